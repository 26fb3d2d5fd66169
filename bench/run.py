"""``python -m bench.run [--scales S,M,incremental,L] [--out bench/results]`` (``make bench``).

Prints a table per scale and writes ``<out>/<scale>.json``. L is opt-in (it takes long): the
default is ``S,M,incremental``; ``--l-years`` chooses how many of L's 10 years to generate.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bench import scales
from bench.results import ScaleResult, table, write_json

DEFAULT_SCALES = "S,M,incremental"
KNOWN = ("tiny", "S", "M", "incremental", "L")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--scales",
        default=DEFAULT_SCALES,
        help=f"comma-separated, of {', '.join(KNOWN)} (default {DEFAULT_SCALES}; L is opt-in)",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument(
        "--l-years", type=int, default=10, help="years of scale L to generate (1–10, default 10)"
    )
    parser.add_argument(
        "--no-m-staged",
        action="store_true",
        help="at M, skip the per-stage breakdown (run only the main job and the incremental)",
    )
    parser.add_argument(
        "--no-spark",
        action="store_true",
        help="at M, skip the same dbt build on local Spark (row dbt_build_spark)",
    )
    args = parser.parse_args(argv)
    args.scale_list = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in args.scale_list if s not in KNOWN]
    if unknown:
        parser.error(f"unknown scale(s) {unknown}; choose from {KNOWN}")
    if not 1 <= args.l_years <= 10:
        parser.error("--l-years must be between 1 and 10")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.resolve()
    chosen = set(args.scale_list)
    runs: list[Callable[[], list[ScaleResult]]] = []
    if "tiny" in chosen:
        runs.append(lambda: [scales.run_tiny(out)])
    if "S" in chosen:
        runs.append(lambda: [scales.run_s(out)])
    if chosen & {"M", "incremental"}:
        runs.append(
            lambda: scales.run_m(
                out,
                report_m="M" in chosen,
                breakdown="M" in chosen and not args.no_m_staged,
                incremental="incremental" in chosen,
                spark=not args.no_spark,
            )
        )
    if "L" in chosen:
        runs.append(lambda: [scales.run_l(out, args.l_years)])
    failed = False
    for run in runs:
        for result in run():
            result.complete = True
            path = write_json(result, out)
            print(table(result), flush=True)
            print(f"→ {path}\n", flush=True)
            failed |= any(s.status == "error" for s in result.stages.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
