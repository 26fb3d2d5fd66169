"""The seed tables the sample generator reads, and the plans' own figures resolved against them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.config import SEEDS_DIR
from pipelines.generate import series
from pipelines.generate.reported import REPORTED, ReportedFigure
from pipelines.reference import normalise_label, normalise_unit
from pipelines.rules.units import Unit, conversion, load_units


@dataclass(frozen=True)
class Seeds:
    """The seed tables the sample needs, read from ``dbt_project/seeds``."""

    indicators: dict[str, series.IndicatorInfo]
    indicator_rows: dict[str, dict[str, str]]
    targets: list[series.Target]
    target_domains: dict[str, str]
    indicator_lookup: dict[str, str]
    unit_lookup: dict[str, str]
    units: dict[str, Unit]
    region_names: dict[str, str]


def _f(value: str | None) -> float | None:
    return float(value) if value else None


def _i(value: str | None) -> int | None:
    return int(value) if value else None


def _read(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    path = seeds_dir / f"{name}.csv"
    if not path.exists():
        return []
    return pl.read_csv(path, infer_schema=False).to_dicts()


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> Seeds:
    """Read indicators, aliases, units, regions and plan_targets from the seed CSVs."""
    ind_rows = {r["indicator_code"]: r for r in _read(seeds_dir, "indicators")}
    indicators = {
        code: series.IndicatorInfo(
            code=code,
            unit=r["canonical_unit"],
            direction=r["direction"],
            value_type=r["value_type"],
            plausible_min=float(r["plausible_min"]),
            plausible_max=float(r["plausible_max"]),
        )
        for code, r in ind_rows.items()
    }
    lookup: dict[str, str] = {}
    for code, r in ind_rows.items():
        for label in (code, r.get("name_zh"), r.get("name_en")):
            if label:
                lookup.setdefault(normalise_label(label), code)
    for r in _read(seeds_dir, "indicator_aliases"):
        lookup.setdefault(normalise_label(r["alias"]), r["indicator_code"])
    units = load_units(seeds_dir)
    unit_lookup = {normalise_unit(u): u for u in units}
    for r in _read(seeds_dir, "unit_aliases"):
        unit_lookup.setdefault(normalise_unit(r["alias"]), r["unit"])
    targets, domains = [], {}
    for r in _read(seeds_dir, "plan_targets"):
        if r["scope"] != "region" or r["indicator_code"] not in indicators:
            continue
        targets.append(
            series.Target(
                target_id=r["target_id"],
                indicator_code=r["indicator_code"],
                region_id=r["region_id"],
                target_year=int(r["target_year"]),
                comparator=r["comparator"],
                target_value=_f(r["target_value"]),
                target_upper=_f(r["target_upper"]),
                relative_to_year=_i(r["relative_to_year"]),
                baseline_year=_i(r["baseline_year"]),
                baseline_value=_f(r["baseline_value"]),
            )
        )
        domains[r["target_id"]] = r.get("domain_id") or "other"
    regions = {r["region_id"]: r["name_zh"] for r in _read(seeds_dir, "regions")}
    return Seeds(indicators, ind_rows, targets, domains, lookup, unit_lookup, units, regions)


@dataclass(frozen=True)
class ResolvedFigure:
    """A reported figure with its indicator code and its value in the canonical unit."""

    figure: ReportedFigure
    code: str
    unit_written: str
    canonical_value: float


def resolve_reported(seeds: Seeds) -> tuple[list[ResolvedFigure], list[ReportedFigure]]:
    """Resolve every reported figure's indicator and unit; returns (resolved, unresolved)."""
    resolved, unresolved = [], []
    for fig in REPORTED:
        code = seeds.indicator_lookup.get(normalise_label(fig.label))
        if code is None or code not in seeds.indicators:
            unresolved.append(fig)
            continue
        canonical = seeds.indicators[code].unit
        printed = seeds.unit_lookup.get(normalise_unit(fig.unit)) if fig.unit else None
        if printed is None or printed == canonical:
            resolved.append(ResolvedFigure(fig, code, canonical, float(fig.value)))
            continue
        converted = conversion(printed, canonical, seeds.units)
        if converted.factor is None:  # a figure the sample would otherwise load wrongly
            raise ValueError(f"{fig.label} {fig.value} {fig.unit}: {converted.problem}")
        written = canonical if converted.is_label else fig.unit  # 5.5张 is 5.5 per_1000_pop
        resolved.append(ResolvedFigure(fig, code, written, float(fig.value) * converted.factor))
    return resolved, unresolved
