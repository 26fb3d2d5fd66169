"""Recording a run's outcome: the rows of `monitoring.validation_results` and their append.

Per suite: one ``expectation`` row per expectation (a single-region target carries that region's
verdict and evidence on it), one ``element`` row per failing element, and a structural
``frame_readable`` row when the suite's frame could not be read. The append and the retention
policy are :mod:`expectations.results_store`'s; this module only shapes the rows.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from expectations.outcomes import (
    ExpectationOutcome,
    Failure,
    SuiteResult,
    as_float,
    as_int,
    as_text,
    verdict_evidence,
)
from expectations.results_store import CarriedRows, ResultRow, store
from expectations.target_suites import VERDICT_COLUMN
from pipelines.db import connect_warehouse


def _single_region_rows(suite: SuiteResult, frame: pd.DataFrame | None) -> dict[Any, dict]:
    """``{target_id: mart row}`` of the targets of a target suite assessed in one region only."""
    if suite.kind != "targets" or frame is None or "target_id" not in frame.columns:
        return {}
    counts = frame["target_id"].value_counts(dropna=False)
    ones = frame[frame["target_id"].isin(counts.index[counts == 1])]
    return {r["target_id"]: r for r in ones.to_dict(orient="records")}


def _expectation_message(e: ExpectationOutcome) -> str:
    if e.error:
        return f"error: {e.error}"
    if e.element_count is not None:
        return f"{e.unexpected_count or 0} of {e.element_count} rows fail"
    if e.carried_from is not None and e.unexpected_count is not None:
        # A scoped run that cannot count the rows it did not read (expectations.carry_forward).
        return (
            f"{e.unexpected_count} rows fail (affected regions validated now, the others "
            f"as validated by run {e.carried_from})"
        )
    return "passed" if e.success else "failed"


def _expectation_row(
    run_id: str,
    validated_at: datetime,
    suite: SuiteResult,
    e: ExpectationOutcome,
    single: dict[str, Any] | None,
) -> ResultRow:
    """The summary row of one expectation; ``single``: the mart row of a one-region target."""
    meta = e.meta
    region = year = observed = None
    evidence: dict[str, Any] = {}
    if single is not None:
        # A single-region target: put that region's verdict on the summary row itself.
        region, year = as_text(single.get("region_id")), as_int(single.get("assessment_year"))
        observed = as_float(single.get(VERDICT_COLUMN))
        evidence = verdict_evidence(single)
    return ResultRow(
        run_id=run_id,
        validated_at=validated_at,
        suite_name=suite.suite_name,
        expectation_type=e.expectation_type,
        expectation_id=e.expectation_id,
        target_id=meta.get("target_id"),
        plan_id=meta.get("plan_id"),
        indicator_code=meta.get("indicator_code"),
        region_id=region if region is not None else meta.get("region_id"),
        year=year,
        success=e.success,
        observed_value=observed,
        threshold=meta.get("threshold"),
        severity=e.severity,
        lead_department=meta.get("lead_department"),
        nature=meta.get("nature"),
        source_quote=meta.get("source_quote"),
        message=_expectation_message(e),
        row_kind="expectation",
        is_structural=e.structural,
        **evidence,
    )


def _element_row(
    run_id: str, validated_at: datetime, f: Failure, e: ExpectationOutcome
) -> ResultRow:
    """The row of one failing element ``f`` of expectation ``e``."""
    meta = e.meta
    return ResultRow(
        run_id=run_id,
        validated_at=validated_at,
        suite_name=f.suite_name,
        expectation_type=e.expectation_type,
        expectation_id=f.expectation_id,
        target_id=f.target_id,
        plan_id=meta.get("plan_id"),
        indicator_code=f.indicator_code,
        region_id=f.region_id,
        year=f.year,
        success=False,
        observed_value=f.observed_value,
        threshold=f.threshold,
        severity=f.severity,
        lead_department=meta.get("lead_department"),
        nature=meta.get("nature"),
        source_quote=meta.get("source_quote"),
        message=f.message,
        row_kind="element",
        is_structural=bool(meta.get("structural")),
        **f.evidence,
    )


def _unreadable_row(run_id: str, validated_at: datetime, suite: SuiteResult) -> ResultRow:
    """A structural failure row for a suite whose frame could not be read."""
    return ResultRow(
        run_id=run_id,
        validated_at=validated_at,
        suite_name=suite.suite_name,
        expectation_type="frame_readable",
        expectation_id=f"{suite.suite_name}:frame",
        target_id=None,
        plan_id=None,
        indicator_code=None,
        region_id=None,
        year=None,
        success=False,
        observed_value=None,
        threshold=None,
        severity="critical",
        lead_department=None,
        nature=None,
        source_quote=None,
        message=suite.error,
        row_kind="expectation",
        is_structural=True,
    )


def summary_rows(
    run_id: str, validated_at: datetime, suite: SuiteResult, frame: pd.DataFrame | None
) -> list[ResultRow]:
    """Every row one suite's outcome records (module docstring); ``frame``: the validated frame."""
    single = _single_region_rows(suite, frame)
    rows = [
        _expectation_row(run_id, validated_at, suite, e, single.get(e.meta.get("target_id")))
        for e in suite.expectations
    ]
    by_id = {e.expectation_id: e for e in suite.expectations}
    rows.extend(
        _element_row(run_id, validated_at, f, by_id[f.expectation_id]) for f in suite.failures
    )
    if suite.error:
        rows.append(_unreadable_row(run_id, validated_at, suite))
    return rows


def carried_rows(run_id: str, validated_at: datetime, suite: SuiteResult) -> list[CarriedRows]:
    """The failing elements a scoped suite carries from its baseline, to record with the run."""
    if suite.carried is None:
        return []
    c = suite.carried
    return [CarriedRows(suite.suite_name, c.baseline_run_id, c.regions, run_id, validated_at)]


def persist(
    db_path: Path,
    rows: list[ResultRow],
    carried: list[CarriedRows] | None = None,
    con: Any | None = None,
) -> int:
    """Append the rows and the ``carried`` elements and apply the retention policy in one
    transaction (:func:`results_store.store`); returns the rows appended.

    ``con``: an open read-write connection to use (else a short one is opened and closed).
    """
    write = con if con is not None else connect_warehouse(db_path)
    try:
        return store(write, rows, carried=carried or ())[0]
    finally:
        if con is None:
            write.close()
