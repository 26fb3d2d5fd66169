"""The report rows from the failing validation elements and the current assessment of each.

The element columns (from ``monitoring.validation_results``) say what GX failed; the ``a_…``
columns (from ``marts.fct_target_assessment``, null where a target × region has no assessment row
or the assessment lacks the column) say why and how far; :class:`Context` holds the reference
names, lead departments and failing streaks (``sql/failing_rows.sql``).

The fields are built column by column (one list per field over every row, see
:mod:`pipelines.report.columns`): a national report has 69,000 rows, and a dict per row with a
lookup and a conversion per value cost seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipelines.db import as_float, as_int, as_text
from pipelines.report.columns import Columns
from pipelines.report.queries import TrendPoints
from pipelines.report.rows import PROJECTED_STATUSES, ROW_FIELDS, ReportRow
from pipelines.translations import label

#: One list per :class:`ReportRow` field, every list one value per row.
FieldColumns = dict[str, list[Any]]


@dataclass
class Context:
    """What every row of one report shares: reference rows by key, leads and streaks."""

    targets: dict[str, dict[str, Any]]
    plans: dict[str, dict[str, Any]]
    regions: dict[str, dict[str, Any]]
    indicators: dict[str, dict[str, Any]]
    units: dict[str, dict[str, Any]]
    leads: dict[str, list[str]]
    streaks: dict[tuple[str, str], Any]
    validated_at: datetime


def indicator_codes(rows: Columns) -> list[str]:
    """The indicator of each failing row: the assessment's, else the one in its target id."""
    return [
        code or target_id.split("__")[1]
        for code, target_id in zip(
            rows.texts("a_indicator_code"), rows.raw("target_id"), strict=True
        )
    ]


def gap_pct(
    gap: float | None, lower: float | None, upper: float | None, value: float | None
) -> float | None:
    """The gap as a percentage of the required level it falls short of."""
    if gap is None:
        return None
    bound = lower if (lower is not None and (value is None or value < lower)) else upper
    bound = bound if bound is not None else lower
    if not bound:
        return None
    return gap / abs(bound) * 100.0


def build_columns(
    rows: Columns, c: Context, series: dict[tuple[str, str], TrendPoints]
) -> FieldColumns:
    """Every :class:`ReportRow` field of the failing ``rows`` (one list each, in row order),
    with each row's trend from ``series`` ((region, indicator) → points)."""
    codes = indicator_codes(rows)
    fields = {
        **_plan_fields(rows, c),
        **_requirement_fields(rows, c, codes),
        **_verdict_fields(rows),
        **_history_fields(rows, c),
        **_trend_fields(rows, codes, series),
        "suite_name": rows.raw("suite_name"),
        "expectation_id": rows.raw("expectation_id"),
    }
    if set(fields) != set(ROW_FIELDS):
        raise AssertionError(f"fields built ≠ ReportRow fields: {set(fields) ^ set(ROW_FIELDS)}")
    return {name: fields[name] for name in ROW_FIELDS}


def rows_of(fields: FieldColumns) -> list[ReportRow]:
    """The :class:`ReportRow` of each row of ``fields`` (declaration order: ROW_FIELDS)."""
    return [ReportRow(*values) for values in zip(*fields.values(), strict=True)]


def _plan_fields(rows: Columns, c: Context) -> FieldColumns:
    """Whose target it is and where: plan, lead departments, nature, quote, region."""
    target_ids, region_ids, plan_ids = (
        rows.raw("target_id"),
        rows.raw("region_id"),
        rows.raw("plan_id"),
    )
    no_lead = label("department", "none")
    departments = [
        c.leads.get(t) or [as_text(f or a) or no_lead]
        for t, f, a in zip(
            target_ids, rows.raw("lead_department"), rows.raw("a_lead_department"), strict=True
        )
    ]
    # names looked up once per plan and per region, not once per row
    plan_titles = {
        p: as_text(c.plans.get(p, {}).get("title_zh")) or as_text(p) for p in set(plan_ids)
    }
    region_names = {
        r: as_text(c.regions.get(r, {}).get("name_zh")) or as_text(r) for r in set(region_ids)
    }
    return {
        "plan_id": _first_text(plan_ids, rows.raw("a_plan_id")),
        "plan_title": [plan_titles[p] for p in plan_ids],
        "lead_department": ["；".join(d) for d in departments],
        "departments": departments,
        "nature": [n or "unstated" for n in _first_text(rows.raw("nature"), rows.raw("a_nature"))],
        "severity": rows.texts("severity"),
        "target_id": target_ids,
        "source_quote": _first_text(rows.raw("source_quote"), rows.raw("a_source_quote")),
        "region_id": rows.texts("region_id"),
        "region_name": [region_names[r] for r in region_ids],
    }


def _requirement_fields(rows: Columns, c: Context, codes: list[str]) -> FieldColumns:
    """What the plan requires: indicator, unit, comparator, threshold, target year and value
    (the assessment's, else the reference target's)."""
    targets = [c.targets.get(t, {}) for t in rows.raw("target_id")]

    def assessed_or_planned(name: str) -> list[Any]:
        return [a or t.get(name) for a, t in zip(rows.raw(f"a_{name}"), targets, strict=True)]

    names, unit_codes, units = _indicator_names(c, codes)
    target_years = [as_int(v) for v in assessed_or_planned("target_year")]
    thresholds = rows.texts("threshold")
    return {
        "co_departments": [as_text(v) for v in assessed_or_planned("co_departments")],
        "indicator_code": codes,
        "indicator_name": names,
        "unit": units,
        "unit_code": unit_codes,
        "comparator": [as_text(v) for v in assessed_or_planned("comparator")],
        "target_year": target_years,
        "target_text": [
            f"{name} {threshold} {unit}".strip() + (f"（{year}年）" if year is not None else "")
            for name, threshold, unit, year in zip(
                names, thresholds, units, target_years, strict=True
            )
        ],
        "target_value": [as_float(v) for v in assessed_or_planned("target_value")],
        "threshold": thresholds,
        "source_section": [as_text(t.get("source_section")) for t in targets],
    }


def _first_text(element: list[Any], assessment: list[Any]) -> list[str]:
    """The element's value, else the assessment's, as text (``as_text(f or a)``)."""
    return [as_text(f or a) for f, a in zip(element, assessment, strict=True)]


def _indicator_names(c: Context, codes: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(indicator name, unit code, unit label) of each row's indicator ``codes``."""
    named = {}
    for code in set(codes):
        ind = c.indicators.get(code, {})
        unit_code = as_text(ind.get("canonical_unit"))
        unit = as_text(c.units.get(unit_code, {}).get("label_zh")) or unit_code
        named[code] = (as_text(ind.get("name_zh")) or code, unit_code, unit)
    names, unit_codes, units = (
        zip(*(named[code] for code in codes), strict=True) if codes else ((), (), ())
    )
    return list(names), list(unit_codes), list(units)


def _verdict_fields(rows: Columns) -> FieldColumns:
    """What the assessment found: status, the value judged, gap, trend, projection, data age."""
    statuses = [s or "not_met" for s in rows.texts("a_status")]
    latest_years, assessment_years = rows.ints("a_latest_year"), rows.ints("a_assessment_year")
    ages = [
        ay - ly if age is None and ly is not None and ay is not None else age
        for age, ly, ay in zip(
            rows.ints("a_data_age_years"), latest_years, assessment_years, strict=True
        )
    ]
    projected = rows.floats("a_projected_value")
    values = rows.floats("observed_value")
    lower, upper, gap = (
        rows.floats("a_required_lower"),
        rows.floats("a_required_upper"),
        rows.floats("a_gap"),
    )
    return {
        "assessment_year": assessment_years,
        "latest_year": latest_years,
        "latest_value": rows.floats("a_latest_value"),
        "verdict_value": values,
        "verdict_basis": [
            b or ("projected" if s in PROJECTED_STATUSES else "observed")
            for b, s in zip(rows.texts("a_verdict_basis"), statuses, strict=True)
        ],
        "required_lower": lower,
        "required_upper": upper,
        "gap": gap,
        "gap_pct": list(map(gap_pct, gap, lower, upper, values)),
        "status": statuses,
        "trend": [t or "unknown" for t in rows.texts("a_trend")],
        "illustrative": list(map(bool, rows.raw("a_latest_is_illustrative"))),
        "data_nature": rows.texts("a_latest_data_nature"),
        "projected_value": projected,
        "projection_method": [
            m or ("linear_least_squares" if p is not None else "none")
            for m, p in zip(rows.texts("a_projection_method"), projected, strict=True)
        ],
        "projected_lower": rows.floats("a_projected_lower"),
        "projected_upper": rows.floats("a_projected_upper"),
        "trend_method": rows.texts("a_trend_method"),
        "progress_class": rows.texts("a_progress_ratio_class"),
        "latest_ci_lower": rows.floats("a_latest_ci_lower"),
        "latest_ci_upper": rows.floats("a_latest_ci_upper"),
        "data_age_years": ages,
    }


def _history_fields(rows: Columns, c: Context) -> FieldColumns:
    """Since when the target × region has been failing, and whether that is news."""
    streaks = [
        c.streaks.get(key) for key in zip(rows.raw("target_id"), rows.raw("region_id"), strict=True)
    ]
    return {
        "failing_since": [s.failing_since.isoformat(sep=" ") if s else "" for s in streaks],
        "failing_validations": [s.failing_validations if s else 0 for s in streaks],
        "is_new": [bool(s and s.is_new_at(c.validated_at)) for s in streaks],
    }


def _trend_fields(
    rows: Columns, codes: list[str], series: dict[tuple[str, str], TrendPoints]
) -> FieldColumns:
    """Each row's yearly points (shared by the rows of one region × indicator) and the source
    of its latest value (the assessment's, else the last point's)."""
    # a row without points gets lists of its own: no empty list shared between rows
    points = [
        series.get(key) or ([], [], [], [])
        for key in zip(rows.raw("region_id"), codes, strict=True)
    ]
    return {
        "latest_source": [
            s or (p[2][-1] if p[2] else "")
            for s, p in zip(rows.texts("a_latest_source"), points, strict=True)
        ],
        "trend_years": [p[0] for p in points],
        "trend_values": [p[1] for p in points],
        "trend_sources": [p[2] for p in points],
        "trend_natures": [p[3] for p in points],
    }
