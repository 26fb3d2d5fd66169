"""Collect the report of a target validation: its failing rows and the counts around them."""

from __future__ import annotations

from datetime import datetime

import duckdb

from pipelines.db import as_text
from pipelines.history import failing_streaks
from pipelines.report.queries import (
    expectation_counts,
    failing_assessments,
    failing_elements,
    lead_departments,
    lookup,
    missed_count,
    quality_findings,
    resolve_run_id,
    status_counts,
    trend_points,
)
from pipelines.report.row_builder import Context, build_row, indicator_of
from pipelines.report.rows import ReportData, sort_key


def load_report_data(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    """Collect the report rows of a validation run (see :mod:`pipelines.report.rows`)."""
    resolved = resolve_run_id(con, run_id)
    if resolved is None:
        return ReportData(run_id, "", [], 0, 0, 0, [])
    run_id, validated_at = resolved
    failures = failing_elements(con, run_id, validated_at)
    n_expectations, n_targets = expectation_counts(con, run_id, validated_at)
    assessment = failing_assessments(con, {(f["target_id"], f["region_id"]) for f in failures})
    context = _context(con, validated_at)
    assessed = [(f, assessment.get((f["target_id"], f["region_id"]), {})) for f in failures]
    series = trend_points(con, {(f["region_id"], indicator_of(f, a)) for f, a in assessed})
    rows = [
        build_row(f, a, context, series.get((f["region_id"], indicator_of(f, a))))
        for f, a in assessed
    ]
    rows.sort(key=sort_key)
    return ReportData(
        run_id=run_id,
        validated_at=str(validated_at),
        rows=rows,
        n_expectations=n_expectations,
        n_targets_checked=n_targets,
        n_assessment_missed=missed_count(con),
        quality=quality_findings(con, run_id),
        status_counts=status_counts(con),
        plan_titles={k: as_text(v.get("title_zh")) or k for k, v in context.plans.items()},
    )


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
