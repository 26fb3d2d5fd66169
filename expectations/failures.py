"""From a GX result to what monitors read: each failing element with its value and threshold.

GX decides which rows fail; this module only reads them (:mod:`expectations.failing_rows`) and
words them. The two kinds of suite differ in one respect each, decided here and nowhere else:

- a **target** failure is a target × region × year, its observed value is the mart's
  ``verdict_value``, its threshold may be per-region bounds, and it carries the evidence the
  verdict rests on (read from the full mart row by its key, :func:`failing_row_details`);
- a **quality** failure is an offending data row, judged on ``value`` (or, for a pair rule on a
  wide frame, on the left-hand column).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from expectations.failing_rows import domain_columns, failing_rows
from expectations.outcomes import (
    ExpectationOutcome,
    Failure,
    as_float,
    as_int,
    as_text,
    verdict_evidence,
)
from expectations.target_suites import DETAIL_COLUMNS, VERDICT_COLUMN
from pipelines.rules import comparators

#: The key of a target failure: the columns of the latest assessment rows that identify it.
TARGET_KEY = ["target_id", "region_id", "assessment_year"]
#: A failing row's details by key: ``{(target, region, year): {mart column: value}}``.
Details = dict[tuple[Any, ...], dict[str, Any]]


def failing_rows_of(
    batch: pd.DataFrame, result: Any, index_columns: Sequence[str]
) -> list[dict[str, Any]]:
    """An expectation's failing rows as dicts of its domain and index columns.

    GX lists them by label (``result_format`` ``COMPLETE``); a list already made of dicts (a
    result format with ``unexpected_index_column_names``) is GX's own and taken as is.
    """
    res = result.result or {}
    listed = res.get("unexpected_index_list") or []
    if not listed or isinstance(listed[0], dict):
        return [dict(row) for row in listed]
    return failing_rows(
        batch, listed, domain_columns(result.expectation_config.kwargs), index_columns
    )


def raised(exception_info: Mapping[str, Any] | None) -> str | None:
    """What GX raised while validating an expectation, or None.

    GX reports it in one of two shapes: ``{"raised_exception": True, "exception_message": …}``,
    or, for an error in computing a metric (a column missing from the batch), one such entry per
    failed metric keyed by the metric's id.
    """
    if not exception_info:
        return None
    entries = (
        [exception_info]
        if "raised_exception" in exception_info
        else [e for e in exception_info.values() if isinstance(e, Mapping)]
    )
    messages = [
        str(e.get("exception_message") or "expectation errored")
        for e in entries
        if e.get("raised_exception")
    ]
    return "; ".join(dict.fromkeys(messages)) or None


def expectation_outcome(
    result: Any, described: Mapping[str, dict[str, Any]] | None
) -> ExpectationOutcome:
    """One expectation's result; a target's description (by ``target_id``) joins its meta."""
    config = result.expectation_config
    meta = dict(config.meta or {})
    meta = {**(described or {}).get(str(meta.get("target_id")), {}), **meta}
    severity = str(getattr(config.severity, "value", config.severity) or meta.get("severity"))
    res = result.result or {}
    return ExpectationOutcome(
        expectation_id=str(config.id),
        expectation_type=config.type,
        success=bool(result.success),
        severity=severity,
        structural=bool(meta.get("structural")),
        meta=meta,
        element_count=res.get("element_count"),
        unexpected_count=res.get("unexpected_count"),
        error=raised(result.exception_info),
    )


def _cells(column: pd.Series) -> list[Any]:
    """A column's values as ``to_dict`` gives them: Python scalars, pandas NA as None."""
    values = column.tolist()
    if any(v is pd.NA for v in values):
        return [None if v is pd.NA else v for v in values]
    return values


def failing_row_details(frame: pd.DataFrame, keys: set[tuple[Any, ...]]) -> Details:
    """The mart columns a failure reports (:data:`DETAIL_COLUMNS`), keyed by the row key
    (target, region, year), for the failing rows ``keys`` only (converting every row of a
    national frame costs seconds)."""
    if not keys or not all(c in frame.columns for c in TARGET_KEY):
        return {}
    keyed = frame.set_index(TARGET_KEY, drop=False)
    picked = keyed[keyed.index.isin(list(keys))]
    columns = [c for c in DETAIL_COLUMNS if c in picked.columns]
    # ``to_dict(orient="index")`` boxed cell by cell (≈ 1 s for 68,000 failing rows at M); the
    # columns' ``tolist`` gives the same Python values. Like it, refuse a repeated key.
    if not picked.index.is_unique:
        raise ValueError("DataFrame index must be unique for orient='index'.")
    values = zip(*(_cells(picked[c]) for c in columns), strict=True)
    details: Details = {
        key: dict(zip(columns, row, strict=True))
        for key, row in zip(picked.index, values, strict=True)
    }
    return details


def target_details(
    frame: pd.DataFrame, results: Sequence[Any], failing_of: Sequence[list[dict[str, Any]]]
) -> Details:
    """The details of every failing target row of a suite, read once for all expectations."""
    keys = {
        (
            (r.expectation_config.meta or {}).get("target_id"),
            row.get("region_id"),
            row.get("assessment_year"),
        )
        for r, rows in zip(results, failing_of, strict=True)
        for row in rows
    }
    return failing_row_details(frame, keys)


def element_threshold(meta: dict[str, Any], row: dict[str, Any]) -> str | None:
    """Threshold text for one failing row (numeric bounds for per-region comparators)."""
    if meta.get("bound_source") != "mart_columns":
        return meta.get("threshold")
    lo, hi = as_float(row.get("required_lower")), as_float(row.get("required_upper"))
    bounds = comparators.Bounds(
        lower=lo,
        lower_inclusive=None if lo is None else bool(row.get("required_lower_inclusive")),
        upper=hi,
        upper_inclusive=None if hi is None else bool(row.get("required_upper_inclusive")),
    )
    return comparators.requirement_text(bounds) or meta.get("threshold")


def order_key(row: dict[str, Any], columns: Sequence[str]) -> tuple[tuple[bool, str], ...]:
    """Sort key of a failing row: its values in ``columns`` as text, missing values last."""
    out: list[tuple[bool, str]] = []
    for col in columns:
        text = as_text(row.get(col))
        out.append((text is None, text or ""))
    return tuple(out)


def _observed(kind: str, row: dict[str, Any], kwargs: Mapping[str, Any]) -> float | None:
    if kind == "targets":
        return as_float(row.get(VERDICT_COLUMN))
    if "value" in row:
        return as_float(row.get("value"))
    # A pair rule on a wide frame: the left-hand column is the judged one.
    return as_float(row.get(kwargs.get("column_A", "")))


def _shown(value: float | None) -> str:
    """A verdict value as a message shows it: ten significant digits, so that the last-ulp
    differences of two engines' sums (the 1e-9 parity tolerance) never change the text."""
    return "None" if value is None else f"{value:.10g}"


def _message(kind: str, meta: dict[str, Any], row: dict[str, Any]) -> str:
    if kind == "targets":
        return (
            f"{meta.get('target_id')} missed in {row.get('region_id')}: "
            f"{VERDICT_COLUMN}={_shown(as_float(row.get(VERDICT_COLUMN)))} vs "
            f"{element_threshold(meta, row)}"
        )
    shown = {k: as_text(v) for k, v in row.items()}
    return f"{meta.get('rule')}: {shown}"


def element_failures(
    suite_name: str,
    kind: str,
    outcome: ExpectationOutcome,
    kwargs: Mapping[str, Any],
    failing: list[dict[str, Any]],
    details: Details,
    failure_order: Sequence[str] = (),
) -> list[Failure]:
    """One :class:`Failure` per failing row of one expectation (sorted by ``failure_order``)."""
    meta = outcome.meta
    if failure_order and failing:
        failing = sorted(failing, key=lambda row: order_key(row, failure_order))
    out: list[Failure] = []
    for listed in failing:
        row = dict(listed)
        if kind == "targets":
            # The failing row's other columns (bounds, years), read by its key.
            key = (meta.get("target_id"), row.get("region_id"), row.get("assessment_year"))
            row = {**details.get(key, {}), **row}
        out.append(
            Failure(
                suite_name=suite_name,
                expectation_id=outcome.expectation_id,
                severity=outcome.severity,
                target_id=as_text(row.get("target_id", meta.get("target_id"))),
                region_id=as_text(row.get("region_id")),
                indicator_code=as_text(row.get("indicator_code", meta.get("indicator_code"))),
                year=as_int(row.get("assessment_year", row.get("year"))),
                observed_value=_observed(kind, row, kwargs),
                threshold=element_threshold(meta, row),
                message=_message(kind, meta, row),
                evidence=verdict_evidence(row) if kind == "targets" else {},
            )
        )
    return out
