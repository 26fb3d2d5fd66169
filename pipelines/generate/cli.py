"""``healthplan generate``: synthetic data at any scale, or the shipped sample data.

Usage (the orchestration CLI forwards its arguments to :func:`main`)::

    healthplan generate --regions 2900 --years 2024 --deaths-per-year 10000000 \\
        --births-per-year 10000000 --out /tmp/national --seed 42 --formats csv,parquet
    healthplan generate --sample --out raw     # rebuild the shipped sample data in raw/

Prints the rows written, the wall seconds and the peak resident memory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from pipelines.config import SEEDS_DIR
from pipelines.generate.scale import ScaleSpec, generate_scale, parse_years

FORMATS = ("csv", "xlsx", "parquet")


def _formats(text: str) -> tuple[str, ...]:
    items = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise argparse.ArgumentTypeError(f"formats must be among {FORMATS}, got {text!r}")
    return items


def _positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (shared with ``healthplan generate --help``)."""
    p = argparse.ArgumentParser(
        prog="healthplan generate",
        description="Write illustrative landing-zone data (registers, counts, observations).",
    )
    p.add_argument(
        "--sample",
        action="store_true",
        help="rebuild the shipped sample data (plans' figures, series, counts, real data)",
    )
    p.add_argument(
        "--steering",
        action="store_true",
        help="print the scenario each sample series is steered to, and why, then exit",
    )
    p.add_argument("--regions", type=_positive, default=10, help="number of synthetic regions")
    p.add_argument(
        "--years",
        type=parse_years,
        default=parse_years("2015-2024"),
        help="e.g. 2015-2024, 2020 or 2015,2018",
    )
    p.add_argument("--deaths-per-year", type=_positive, default=100_000)
    p.add_argument("--births-per-year", type=_positive, default=100_000)
    p.add_argument("--out", type=Path, default=None, help="output directory (landing zone)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--formats",
        type=_formats,
        default=("csv", "parquet"),
        help="comma list of csv,xlsx,parquet (registers in parquet if listed)",
    )
    p.add_argument("--encoding", choices=("utf-8", "gb18030"), default="utf-8")
    p.add_argument(
        "--reference-out",
        type=Path,
        default=None,
        help="also write regions.csv / region_aliases.csv for the synthetic regions here",
    )
    p.add_argument(
        "--chunk-rows",
        type=_positive,
        default=1_000_000,
        help="rows per chunk / Parquet row group (bounds memory)",
    )
    return p


def _typical_values(seeds_dir: Path) -> dict[str, float]:
    """A realistic level per indicator: a plan's baseline value, else its target value."""
    path = seeds_dir / "plan_targets.csv"
    if not path.exists():
        return {}
    targets = pl.read_csv(path, infer_schema=False)
    typical: dict[str, float] = {}
    for col in ("target_value", "baseline_value"):  # baseline wins: written last
        for code, value in targets.select("indicator_code", col).drop_nulls().iter_rows():
            try:
                typical[code] = float(value)
            except ValueError:
                continue
    return typical


def observation_indicators(
    seeds_dir: Path = SEEDS_DIR,
) -> tuple[tuple[str, str, float, float, str, float], ...]:
    """(code, unit, plausible min, max, direction, typical level) of non-computed indicators."""
    path = seeds_dir / "indicators.csv"
    if not path.exists():
        return ()
    typical = _typical_values(seeds_dir)
    units_path = seeds_dir / "units.csv"
    known_units = (
        set(pl.read_csv(units_path, infer_schema=False)["unit"]) if units_path.exists() else set()
    )
    frame = pl.read_csv(path, infer_schema=False)
    frame = frame.filter(pl.col("canonical_unit").is_in(sorted(known_units)))
    frame = frame.filter(
        (pl.col("computed_from_counts") != "true")
        & pl.col("definition_family").fill_null("").eq("")
        & pl.col("canonical_unit").is_not_null()
    )
    return tuple(
        (
            r["indicator_code"],
            r["canonical_unit"],
            float(r["plausible_min"]),
            float(r["plausible_max"]),
            r["direction"],
            typical.get(
                r["indicator_code"],
                (float(r["plausible_min"]) + float(r["plausible_max"])) / 2,
            ),
        )
        for r in frame.iter_rows(named=True)
    )


def main(argv: list[str] | None = None) -> int:
    """Run the generator; returns the process exit code (0 ok, 2 bad arguments)."""
    args = build_parser().parse_args(argv)
    if args.steering:
        from pipelines.generate.sample import scenario_table

        for region, code, scenario, why in scenario_table():
            print(f"{region:<14} {code:<45} {scenario:<9} {why}")
        return 0
    if args.out is None:
        print("healthplan generate: --out is required", file=sys.stderr)
        return 2
    if args.sample:
        from pipelines.generate.sample import build_sample

        written = build_sample(args.out)
        print(f"sample data: {len(written)} files under {args.out}")
        return 0
    if args.chunk_rows == 0:
        print("--chunk-rows must be positive", file=sys.stderr)
        return 2
    spec = ScaleSpec(
        regions=args.regions,
        years=args.years,
        deaths_per_year=args.deaths_per_year,
        births_per_year=args.births_per_year,
        out=args.out,
        seed=args.seed,
        formats=args.formats,
        encoding=args.encoding,
        chunk_rows=args.chunk_rows,
        indicators=observation_indicators(),
        reference_out=args.reference_out,
    )
    result = generate_scale(spec)
    for name, rows in sorted(result.files.items()):
        print(f"{rows:>12,d}  {name}")
    print(
        f"rows written: {result.rows:,d}  seconds: {result.seconds:.1f}  "
        f"peak RSS: {result.peak_rss_bytes / 2**20:.0f} MiB"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
