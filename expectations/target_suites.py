"""Generate one GX target suite per plan from the `plan_targets` reference data.

Each target becomes ONE expectation over the latest rows of `marts.fct_target_assessment`, so
a national framework of ~40 targets × ~2,900 regions is 40 vectorised expectations, not 116,000.
The expectation reads its target's own column of the plan's batch, ``verdict_value:<target_id>``
(:func:`verdict_column`): :func:`target_batch` spreads the mart's `verdict_value` into one column
per target, empty on the other targets' rows, which every expectation here ignores as missing.
A GX row condition per target would select the same rows, but GX's pandas engine runs it as a
``DataFrame.query`` for each of the ~6 metrics of every expectation. Every failing region stays
visible by its row label (see :data:`INDEX_COLUMNS`).

- Fixed bounds (ge/gt/le/lt/about/range/eq …) are embedded as numbers, taken from the shared
  comparator rules, and checked with ``expect_column_values_to_be_between``.
- Reference-dependent bounds (reduce_by_pct, increase_by_pct, maintain, improve) differ per region,
  so the expectation compares the target's column with the mart's `required_lower` /
  `required_upper` columns (``expect_column_pair_values_a_to_be_greater_than_b``).

Generation is deterministic: expectation and suite ids are UUID5s of the plan/target ids and the
JSON is written with sorted keys, so the same input gives byte-identical files.

Regenerate the committed suites with ``python -m expectations.target_suites``.
"""

from __future__ import annotations

import argparse
import json
import math
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from expectations.bounds import TargetRule, target_rule
from expectations.suite_ids import ID_NAMESPACE, ensure_gx_context, suite_with_stable_ids
from expectations.target_inputs import (
    TARGET_DESCRIPTION_COLUMNS,
    check_columns,
    load_targets_from_seeds,
)

SUITE_PREFIX = "targets__"
#: Column of the mart that holds the value judged against the target.
VERDICT_COLUMN = "verdict_value"
#: Columns reported for every failing row, so each failing target × region × year is visible.
#: Kept to the row key: GX's cost of listing failing rows grows with the number of index columns
#: (the bound columns of a failing row are then read from the same mart row by its key).
INDEX_COLUMNS = ["region_id", "assessment_year"]
#: Per-region bounds, read by the reference-dependent expectations as they are in the mart.
BOUND_COLUMNS = ["required_lower", "required_upper"]
#: The only mart columns a plan's batch is made from (:func:`target_batch`). GX lists failing
#: rows by their label (:mod:`expectations.failing_rows`), so the key (:data:`INDEX_COLUMNS`) and
#: failure details are read from the full mart row, not from the batch.
GX_COLUMNS = ["target_id", VERDICT_COLUMN, *BOUND_COLUMNS]
#: What a verdict rests on (docs/verdicts.md), carried into every persisted result row: mart
#: column → ``monitoring.validation_results`` column.
VERDICT_EVIDENCE = {
    "status": "status",
    "latest_year": "data_year",
    "latest_source": "data_source",
    "latest_data_nature": "data_nature",
    "latest_ci_lower": "ci_lower",
    "latest_ci_upper": "ci_upper",
}
VERDICT_EVIDENCE_COLUMNS = list(VERDICT_EVIDENCE)
#: Mart columns a failing row's report reads besides GX's own list (key, judged value, bounds).
DETAIL_COLUMNS = [
    "target_id",
    "region_id",
    "assessment_year",
    "indicator_code",
    VERDICT_COLUMN,
    "required_lower",
    "required_lower_inclusive",
    "required_upper",
    "required_upper_inclusive",
    *VERDICT_EVIDENCE_COLUMNS,
]

#: What a target's description holds (:func:`target_descriptions`): the target columns of
#: :mod:`expectations.target_inputs`, defined there once. The expectations themselves carry only
#: ``target_id``: GX re-serialises meta many times per expectation.
META_COLUMNS = TARGET_DESCRIPTION_COLUMNS


def severity_for_nature(nature: str | None) -> str:
    """Binding (约束性) targets are critical; expected (预期性) and unstated ones are warnings."""
    return "critical" if (nature or "").strip().lower() == "binding" else "warning"


def verdict_column(target_id: str) -> str:
    """The batch column that holds ``target_id``'s verdict values (:func:`target_batch`)."""
    return f"{VERDICT_COLUMN}:{target_id}"


def target_batch(frame: pd.DataFrame, target_ids: Sequence[str]) -> pd.DataFrame:
    """The batch a plan's suite validates: for each of ``target_ids`` its column
    :func:`verdict_column`, holding ``frame``'s `verdict_value` on that target's rows and
    missing (NaN) on every other row, then the mart's :data:`BOUND_COLUMNS`. Same rows, same
    labels as ``frame``; a target without rows gets an all-missing column (nothing to judge).
    """
    if VERDICT_COLUMN not in frame.columns or "target_id" not in frame.columns:
        # Nothing to spread: GX then reports each target's column as missing, an error of the
        # expectation, as it reports any missing column.
        return frame[[c for c in BOUND_COLUMNS if c in frame.columns]]
    values = frame[VERDICT_COLUMN].to_numpy(dtype="float64", na_value=np.nan)
    spread = np.full((len(frame), len(target_ids)), np.nan)
    position = {str(t): i for i, t in enumerate(target_ids)}
    keys = frame["target_id"]
    for target_id, at in keys.groupby(keys, observed=True, sort=False).indices.items():
        column = position.get(str(target_id))
        if column is not None:
            spread[at, column] = values[at]
    batch = pd.DataFrame(spread, index=frame.index, columns=[verdict_column(t) for t in target_ids])
    for bound in BOUND_COLUMNS:
        if bound in frame.columns:
            batch[bound] = frame[bound].to_numpy(dtype="float64", na_value=np.nan)
    return batch


def suite_target_ids(suite: Any) -> list[str]:
    """The target ids a suite's expectations judge, in suite order, each once."""
    return list(dict.fromkeys(str(e.meta["target_id"]) for e in suite.expectations))


def suite_name_for_plan(plan_id: str) -> str:
    """GX suite name of a plan's target suite."""
    return f"{SUITE_PREFIX}{plan_id}"


def _plain(value: Any) -> Any:
    """JSON-friendly scalar: NaN/NA → None, numpy → Python, integral floats kept as floats."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _meta(row: Mapping[str, Any], rule: TargetRule, threshold: str) -> dict[str, Any]:
    meta: dict[str, Any] = {col: _plain(row.get(col)) for col in META_COLUMNS}
    meta["severity"] = severity_for_nature(row.get("nature"))
    meta["threshold"] = threshold
    meta["bound_source"] = "fixed" if rule.fixed is not None else "mart_columns"
    return meta


def reference_threshold_text(row: Mapping[str, Any], rule: TargetRule) -> str:
    """Words for a per-region threshold, e.g. ``≤ required_upper (reduce_by_pct 10 vs 2015)``,
    ``≤ required_upper (reduce_by_points 3–5 vs 2018)``."""
    sides = []
    if rule.uses_lower_column:
        sides.append(("≥ " if rule.lower_inclusive else "> ") + "required_lower")
    if rule.uses_upper_column:
        sides.append(("≤ " if rule.upper_inclusive else "< ") + "required_upper")
    detail = [str(rule.comparator)]
    if _plain(row.get("target_value")) is not None:
        detail.append(f"{_plain(row.get('target_value')):g}")
        if _plain(row.get("target_upper")) is not None:  # reduce_by_points 3–5: its aspiration
            detail[-1] += f"–{_plain(row.get('target_upper')):g}"
    ref_year = _plain(row.get("relative_to_year")) or _plain(row.get("baseline_year"))
    if ref_year is not None:
        detail.append(f"vs {int(ref_year)}")
    return " and ".join(sides) + f" ({' '.join(detail)})"


def _rule(row: Mapping[str, Any]) -> TargetRule:
    return target_rule(
        str(row["comparator"]),
        _plain(row.get("direction")),
        row.get("target_value"),
        row.get("target_upper"),
        row.get("tolerance_pct"),
    )


def _description(row: Mapping[str, Any], rule: TargetRule) -> dict[str, Any]:
    """What monitors read about a target (:data:`META_COLUMNS`, severity, threshold words)."""
    if rule.fixed is not None:
        return _meta(row, rule, rule.threshold_text or "")
    return _meta(row, rule, reference_threshold_text(row, rule))


def target_descriptions(targets: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """``{target_id: description}`` of every target that has an expectation.

    The expectations carry only their ``target_id`` in ``meta``: GX rebuilds an expectation's
    configuration (meta included) ~175 times while validating it, so a 17-field meta tripled
    that cost. The runner joins these descriptions to the results by ``target_id``.
    """
    check_columns(targets)
    out: dict[str, dict[str, Any]] = {}
    for row in targets.to_dict(orient="records"):
        rule = _rule(row)
        if rule.has_threshold:
            out[str(row["target_id"])] = _description(row, rule)
    return out


def _target_expectations(row: Mapping[str, Any]) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    rule = _rule(row)
    if not rule.has_threshold:
        return []
    target_id = str(row["target_id"])
    judged = verdict_column(target_id)
    severity = FailureSeverity(severity_for_nature(row.get("nature")))
    if rule.fixed is not None:
        bounds = rule.fixed
        threshold = rule.threshold_text or ""
        meta = {"target_id": target_id}
        return [
            gxe.ExpectColumnValuesToBeBetween(
                column=judged,
                min_value=bounds.lower,
                max_value=bounds.upper,
                strict_min=bounds.lower is not None and not bounds.lower_inclusive,
                strict_max=bounds.upper is not None and not bounds.upper_inclusive,
                meta=meta,
                severity=severity,
                description=f"{target_id}: {VERDICT_COLUMN} {threshold}",
            )
        ]
    threshold = reference_threshold_text(row, rule)
    meta = {"target_id": target_id}
    out = []
    if rule.uses_lower_column:
        out.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=judged,
                column_B="required_lower",
                or_equal=rule.lower_inclusive,
                ignore_row_if="either_value_is_missing",
                meta=meta,
                severity=severity,
                description=f"{target_id}: {threshold}",
            )
        )
    if rule.uses_upper_column:
        out.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="required_upper",
                column_B=judged,
                or_equal=rule.upper_inclusive,
                ignore_row_if="either_value_is_missing",
                meta=meta,
                severity=severity,
                description=f"{target_id}: {threshold}",
            )
        )
    return out


def build_target_suites(targets: pd.DataFrame) -> dict[str, Any]:
    """Build ``{plan_id: ExpectationSuite}`` from plan targets joined with indicator `direction`.

    Args:
        targets: one row per target with the `plan_targets` columns (CONTRACTS.md §1) plus the
            indicator's `direction` (and optionally its names/unit, carried into meta).

    Returns:
        Suites keyed by plan id, expectations ordered by target id.
    """
    check_columns(targets)
    ensure_gx_context()
    suites: dict[str, Any] = {}
    ordered = targets.sort_values(["plan_id", "target_id"], kind="stable")
    for plan_id, plan_rows in ordered.groupby("plan_id", sort=True):
        expectations = [
            e for row in plan_rows.to_dict(orient="records") for e in _target_expectations(row)
        ]
        suite = suite_with_stable_ids(
            suite_name_for_plan(str(plan_id)),
            str(uuid.uuid5(ID_NAMESPACE, f"suite:{plan_id}")),
            {
                "plan_id": str(plan_id),
                "kind": "targets",
                "generated_by": "expectations.target_suites",
            },
            expectations,
        )
        suites[str(plan_id)] = suite
    return suites


def suite_to_json(suite: Any) -> str:
    """Serialise a suite deterministically (sorted keys, no GX version stamp, trailing newline)."""
    data = suite.to_json_dict()
    meta = dict(data.get("meta") or {})
    meta.pop("great_expectations_version", None)
    data["meta"] = meta
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def write_suites(suites: Mapping[str, Any], out_dir: Path) -> list[Path]:
    """Write each suite as ``<out_dir>/<suite name>.json``; stale target suites are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for plan_id in sorted(suites):
        path = out_dir / f"{suite_name_for_plan(plan_id)}.json"
        path.write_text(suite_to_json(suites[plan_id]), encoding="utf-8")
        written.append(path)
    for stale in out_dir.glob(f"{SUITE_PREFIX}*.json"):
        if stale not in written:
            stale.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    """CLI: regenerate the committed suites from the dbt seeds."""
    from pipelines.config import EXPECTATIONS_DIR, SEEDS_DIR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    parser.add_argument("--out", type=Path, default=EXPECTATIONS_DIR / "suites")
    args = parser.parse_args(argv)
    for path in write_suites(build_target_suites(load_targets_from_seeds(args.seeds)), args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
