"""Collect the report of a target validation: its failing rows and the counts around them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from operator import itemgetter
from typing import Any

import duckdb

from pipelines.db import as_text
from pipelines.history import failing_streaks
from pipelines.report.queries import (
    expectation_counts,
    failing_rows,
    lead_departments,
    lookup,
    missed_count,
    quality_findings,
    resolve_run_id,
    status_counts,
    trend_points,
)
from pipelines.report.row_builder import Context, build_columns, indicator_codes, rows_of
from pipelines.report.rows import ReportData, sort_key


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting frees as ever).

    A national report builds about a million lists, rows and strings that all stay alive until
    the files are written; every so many allocations the collector walks all of them again, for
    nothing (more than a second at M: cutting the trend points alone took 0.9 s instead of
    0.15 s). Reentrant; restores the collector as it found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_report_data(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    """Collect the report rows of a validation run (see :mod:`pipelines.report.rows`)."""
    with collector_paused():
        return _load(con, run_id)


def _load(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    resolved = resolve_run_id(con, run_id)
    if resolved is None:
        return ReportData(run_id, "", [], 0, 0, 0, [])
    run_id, validated_at = resolved
    failures = failing_rows(con, run_id, validated_at)
    n_expectations, n_targets = expectation_counts(con, run_id, validated_at)
    context = _context(con, validated_at)
    series = trend_points(
        con, set(zip(failures.raw("region_id"), indicator_codes(failures), strict=True))
    )
    fields = build_columns(failures, context, series)
    rows = rows_of(fields)
    # sorted rows, and the same order for the columns the CSV and JSON writers read
    order = sorted(range(len(rows)), key=lambda i: sort_key(rows[i]))
    rows, columns = _in_order(rows, order), {k: _in_order(v, order) for k, v in fields.items()}
    return ReportData(
        run_id=run_id,
        validated_at=str(validated_at),
        rows=rows,
        columns=columns,
        n_expectations=n_expectations,
        n_targets_checked=n_targets,
        n_assessment_missed=missed_count(con),
        quality=quality_findings(con, run_id),
        status_counts=status_counts(con),
        plan_titles={k: as_text(v.get("title_zh")) or k for k, v in context.plans.items()},
    )


def _in_order(values: list[Any], order: list[int]) -> list[Any]:
    """``values`` in the ``order`` of their indices (an itemgetter picks them in C: the 56
    columns of a national report take a quarter of the time of a comprehension)."""
    if len(order) < 2:  # itemgetter of one index gives the item, not a tuple
        return [values[i] for i in order]
    return list(itemgetter(*order)(values))


def _context(con: duckdb.DuckDBPyConnection, validated_at: datetime) -> Context:
    """Reference rows, lead departments and failing streaks as of ``validated_at``."""
    return Context(
        targets=lookup(
            con,
            "reference.plan_targets",
            "target_id",
            "source_section, target_year, comparator, target_value, co_departments",
        ),
        plans=lookup(con, "reference.plans", "plan_id", "title_zh"),
        regions=lookup(con, "reference.regions", "region_id", "name_zh"),
        indicators=lookup(con, "reference.indicators", "indicator_code", "name_zh, canonical_unit"),
        units=lookup(con, "reference.units", "unit", "label_zh"),
        leads=lead_departments(con),
        streaks=failing_streaks(con, validated_at),
        validated_at=validated_at,
    )
