"""Build small contract-shaped warehouses (CONTRACTS.md §1, §3) for the GX and report tests.

The assessment rows are derived with the shared comparator rules (`pipelines.rules.comparators`),
the same rules dbt renders into SQL, so these fixtures exercise the GX suites without a dbt build.
The dbt-backed agreement test lives in test_gx_agrees_with_dbt.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipelines.config import SEEDS_DIR
from pipelines.rules import comparators

INDICATORS = pd.DataFrame(
    [
        # code, name_zh, name_en, unit, direction, min, max
        ("life_expectancy", "人均预期寿命", "Life expectancy", "years", "higher_is_better", 40, 95),
        ("infant_mortality_rate", "婴儿死亡率", "IMR", "per_mille", "lower_is_better", 0, 100),
        (
            "under5_mortality_rate",
            "5岁以下儿童死亡率",
            "U5MR",
            "per_mille",
            "lower_is_better",
            0,
            150,
        ),
        (
            "health_literacy_rate",
            "居民健康素养水平",
            "Health literacy",
            "percent",
            "higher_is_better",
            0,
            100,
        ),
        ("sex_ratio_at_birth", "出生人口性别比", "SRB", "sex_ratio", "target_range", 90, 130),
        ("smoking_rate", "成人吸烟率", "Smoking", "percent", "lower_is_better", 0, 100),
    ],
    columns=[
        "indicator_code",
        "name_zh",
        "name_en",
        "canonical_unit",
        "direction",
        "plausible_min",
        "plausible_max",
    ],
)

#: The columns of ``reference.plan_targets``: the seed's own header (CONTRACTS.md §1), not a copy.
TARGET_COLUMNS = pd.read_csv(SEEDS_DIR / "plan_targets.csv", nrows=0).columns.tolist()


def target(
    target_id: str,
    plan_id: str,
    indicator: str,
    comparator: str,
    value: float | None,
    *,
    region: str = "jiangyin",
    year: int = 2020,
    upper: float | None = None,
    tol: float | None = None,
    relative_to_year: int | None = None,
    nature: str = "binding",
    lead: str = "市卫健委",
    quote: str | None = None,
    scope: str = "region",
) -> dict[str, Any]:
    """One plan_targets row."""
    return {
        "target_id": target_id,
        "plan_id": plan_id,
        "indicator_code": indicator,
        "region_id": region,
        "scope": scope,
        "domain_id": "d1",
        "target_year": year,
        "comparator": comparator,
        "target_value": value,
        "target_upper": upper,
        "tolerance_pct": tol,
        "relative_to_year": relative_to_year,
        "baseline_year": None,
        "baseline_value": None,
        "nature": nature,
        "lead_department": lead,
        "co_departments": None,
        "source_section": "一、主要指标",
        "source_quote": quote or f"{indicator} 原文 {target_id}",
        "note": None,
    }


def _verdict(
    t: dict[str, Any], value: float | None, ref: float | None, direction: str
) -> tuple[comparators.Bounds, bool | None, str]:
    """Bounds, ``threshold_met`` and status of one target × region, by the shared rules."""
    b = comparators.required_bounds(
        t["comparator"],
        target_value=t["target_value"],
        target_upper=t["target_upper"],
        tolerance_pct=t["tolerance_pct"],
        reference_value=ref,
        direction=direction,
    )
    met = comparators.threshold_met(value, b)
    if t["comparator"] == "none":
        status = "no_target"
    elif value is None:
        status = "no_data"
    elif not b.is_assessable:
        status = "reference_missing"
    else:
        status = "met" if met else "not_met"
    return b, met, status


def _assessment_row(
    t: dict[str, Any],
    region: str,
    assessment_year: int,
    value: float | None,
    ref: float | None,
    direction: str,
) -> dict[str, Any]:
    """One latest `fct_target_assessment` row of target ``t`` in ``region``."""
    b, met, status = _verdict(t, value, ref, direction)
    return {
        "assessment_key": f"{t['target_id']}|{region}|{assessment_year}",
        "target_id": t["target_id"],
        "plan_id": t["plan_id"],
        "indicator_code": t["indicator_code"],
        "region_id": region,
        "assessment_year": assessment_year,
        "is_latest": True,
        "target_year": t["target_year"],
        "comparator": t["comparator"],
        "target_value": t["target_value"],
        "target_upper": t["target_upper"],
        "tolerance_pct": t["tolerance_pct"],
        "relative_to_year": t["relative_to_year"],
        "reference_value": ref,
        "required_lower": b.lower,
        "required_lower_inclusive": b.lower_inclusive,
        "required_upper": b.upper,
        "required_upper_inclusive": b.upper_inclusive,
        "baseline_year": None,
        "baseline_value": None,
        "latest_year": 2020 if value is not None else None,
        "latest_value": value,
        "latest_ci_lower": None,
        "latest_ci_upper": None,
        "latest_data_nature": "illustrative" if value is not None else None,
        "latest_is_illustrative": value is not None,
        "n_points": 3,
        "slope_per_year": None,
        "projected_value": None,
        "cagr": None,
        "pct_targeted_change_achieved": None,
        "gap": comparators.gap(value, b),
        "verdict_value": value,
        "threshold_met": met if status in ("met", "not_met") else None,
        "status": status,
        "trend": "unknown",
        "nature": t["nature"],
        "severity": "critical" if t["nature"] == "binding" else "warning",
        "lead_department": t["lead_department"],
        "domain_id": t["domain_id"],
        "source_quote": t["source_quote"],
    }


def assessment_rows(
    targets: pd.DataFrame,
    latest: dict[tuple[str, str], float | None],
    reference: dict[tuple[str, str], float | None] | None = None,
    regions: dict[str, list[str]] | None = None,
    assessment_year: int = 2021,
) -> pd.DataFrame:
    """`fct_target_assessment` rows (is_latest) derived with the shared comparator rules.

    Args:
        latest: verdict/latest value per (target_id, region_id).
        reference: reference value per (target_id, region_id) for reference comparators.
        regions: regions per target id (default: the target's own region).
    """
    reference = reference or {}
    directions = INDICATORS.set_index("indicator_code")["direction"].to_dict()
    out = []
    for t in targets.to_dict(orient="records"):
        for region in (regions or {}).get(t["target_id"], [t["region_id"]]):
            value = latest.get((t["target_id"], region))
            ref = reference.get((t["target_id"], region))
            direction = directions[t["indicator_code"]]
            out.append(_assessment_row(t, region, assessment_year, value, ref, direction))
    frame = pd.DataFrame(out)
    numeric = [
        "target_value",
        "target_upper",
        "tolerance_pct",
        "reference_value",
        "required_lower",
        "required_upper",
        "latest_value",
        "gap",
        "verdict_value",
    ]
    frame[numeric] = frame[numeric].astype("float64")
    return frame


def _default_plans(targets: pd.DataFrame) -> pd.DataFrame:
    """One `reference.plans` row per plan of ``targets`` (horizon 2018–2020, Jiangyin)."""
    plans = pd.DataFrame({"plan_id": sorted(targets["plan_id"].unique())})
    plans["title_zh"] = plans["plan_id"].map(lambda p: f"{p} 规划")
    plans["title_en"] = plans["plan_id"].map(lambda p: f"Plan {p}")
    plans["region_id"] = "jiangyin"
    plans["horizon_start"] = 2018
    plans["horizon_end"] = 2020
    return plans


def _staged(observations: pd.DataFrame | None) -> pd.DataFrame:
    """`staging.stg_observations` rows with the key columns dbt adds (none: an empty table)."""
    if observations is None:
        observations = pd.DataFrame(
            columns=[
                "region_id",
                "indicator_code",
                "period",
                "year",
                "value",
                "unit",
                "data_nature",
                "file_path",
                "ingested_at",
            ]
        )
    observations = observations.copy()
    # The staging columns the key is made of (dbt macro observations_at_revision); fixtures
    # that plant no publications get one final, source-less publication per key.
    for col, default in (("source", None), ("data_status", "final")):
        if col not in observations:
            observations[col] = default
    if "observation_key" not in observations:
        parts = ["region_id", "indicator_code", "period", "data_nature", "source", "data_status"]
        observations["observation_key"] = (
            observations[parts].map(str).agg("|".join, axis=1)
            if len(observations)
            else pd.Series(dtype=str)
        )
    return observations


def build_warehouse(
    db_path: Path,
    targets: list[dict[str, Any]],
    assessment: pd.DataFrame,
    observations: pd.DataFrame | None = None,
    plans: pd.DataFrame | None = None,
) -> Path:
    """Write reference/staging/marts tables of the contract into a fresh DuckDB file."""
    targets_df = pd.DataFrame(targets, columns=TARGET_COLUMNS)
    if plans is None:
        plans = _default_plans(targets_df)
    observations = _staged(observations)
    con = duckdb.connect(str(db_path))
    try:
        for schema in ("reference", "staging", "marts"):
            con.execute(f"create schema if not exists {schema}")
        frames = {
            "reference.plan_targets": targets_df,
            "reference.indicators": INDICATORS,
            "reference.plans": plans,
            "marts.fct_target_assessment": assessment,
            "staging.stg_observations": observations,
            "marts.fct_indicator_observation": observations.assign(
                is_illustrative=observations.get("data_nature", pd.Series(dtype=str))
                == "illustrative"
            ),
        }
        for name, frame in frames.items():
            con.register("_frame", frame)
            con.execute(f"create or replace table {name} as select * from _frame")
            con.unregister("_frame")
        # Typed columns where pandas inference would give INTEGER/NULL types.
        for col in ("target_value", "target_upper", "tolerance_pct", "baseline_value"):
            con.execute(
                f"alter table reference.plan_targets alter {col} type double using {col}::double"
            )
    finally:
        con.close()
    return db_path
