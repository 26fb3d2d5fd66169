"""The targets the suites are generated from: `plan_targets` joined with the indicators.

Read from the dbt seeds (:func:`load_targets_from_seeds`) or from the warehouse's `reference`
schema (:func:`load_targets_from_warehouse`); either way the columns are checked
(:func:`check_columns`, CONTRACTS.md §1) and numbers are numbers, with a clear error naming the
target and the column otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.engine import BuiltWarehouse

#: What describes a target to a monitor: every column of a target suite's description
#: (``expectations.target_suites.META_COLUMNS`` is this list, named there for its readers).
TARGET_DESCRIPTION_COLUMNS = [
    "target_id",
    "plan_id",
    "indicator_code",
    "region_id",
    "scope",
    "target_year",
    "comparator",
    "target_value",
    "target_upper",
    "tolerance_pct",
    "relative_to_year",
    "nature",
    "lead_department",
    "source_quote",
]
#: plan_targets columns the generator needs (CONTRACTS.md §1): the description, and the
#: baseline the bounds of a relative target may rest on.
REQUIRED_TARGET_COLUMNS = [*TARGET_DESCRIPTION_COLUMNS, "baseline_year", "baseline_value"]


def check_columns(targets: pd.DataFrame) -> None:
    """Raise ValueError naming the missing columns or the duplicated target ids, if any."""
    missing = [c for c in REQUIRED_TARGET_COLUMNS + ["direction"] if c not in targets.columns]
    if missing:
        raise ValueError(f"plan_targets input lacks required columns: {', '.join(missing)}")
    dupes = targets["target_id"][targets["target_id"].duplicated()].unique().tolist()
    if dupes:
        raise ValueError(f"plan_targets has duplicate target_id values: {', '.join(dupes)}")


def load_targets_from_seeds(seeds_dir: Path) -> pd.DataFrame:
    """Read `plan_targets.csv` joined with `indicators.csv` (direction, names, unit) from seeds."""
    targets = pd.read_csv(seeds_dir / "plan_targets.csv", dtype=str, keep_default_na=False)
    indicators = pd.read_csv(seeds_dir / "indicators.csv", dtype=str, keep_default_na=False)
    return join_indicators(targets, indicators)


def join_indicators(targets: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Targets with their indicator's names, unit and direction; numeric columns as numbers.

    Raises:
        ValueError: a target's indicator is unknown, or a numeric cell is not a number (the
            message names the target, the column and the text).
    """
    ind = indicators.rename(
        columns={"name_zh": "indicator_name_zh", "name_en": "indicator_name_en"}
    )[["indicator_code", "indicator_name_zh", "indicator_name_en", "canonical_unit", "direction"]]
    merged = targets.merge(ind, on="indicator_code", how="left", validate="many_to_one")
    unknown = merged.loc[merged["direction"].isna(), "target_id"].tolist()
    if unknown:
        raise ValueError(f"plan_targets rows with an unknown indicator_code: {', '.join(unknown)}")
    # Blank CSV cells are "no value"; numeric columns become floats so meta/bounds are numbers.
    merged = merged.replace({"": None})
    for col in [
        "target_value",
        "target_upper",
        "tolerance_pct",
        "baseline_value",
        "target_year",
        "relative_to_year",
        "baseline_year",
    ]:
        converted = pd.to_numeric(merged[col], errors="coerce")
        bad = merged[converted.isna() & merged[col].notna()]
        if len(bad):
            first = bad.iloc[0]
            raise ValueError(
                f"plan_targets column {col!r} is not a number for target "
                f"{first['target_id']!r}: {first[col]!r} ({len(bad)} such rows)"
            )
        merged[col] = converted
    for col in ["target_year", "relative_to_year", "baseline_year"]:
        merged[col] = merged[col].astype("Int64")
    return merged


def load_targets_from_warehouse(reader: BuiltWarehouse) -> pd.DataFrame:
    """Read `reference.plan_targets` joined with `reference.indicators` through ``reader``
    (:mod:`pipelines.engine`: the DuckDB file, or the Spark tables)."""
    targets = reader.frame("select * from reference.plan_targets")
    indicators = reader.frame("select * from reference.indicators")
    for frame in (targets, indicators):
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].where(frame[col].notna(), None)
    return join_indicators(targets.astype({"target_id": str}), indicators)
