"""One report row from a failing validation element and the current assessment of its target.

The element (``f``, from ``monitoring.validation_results``) says what GX failed; the assessment
(``a``, from ``marts.fct_target_assessment``) says why and how far; :class:`Context` holds the
reference names, lead departments and failing streaks. Assessment columns are read defensively
(``.get``): a column the assessment lacks leaves its field empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipelines.db import as_float, as_int, as_text
from pipelines.report.queries import TrendPoints
from pipelines.report.rows import PROJECTED_STATUSES, ReportRow
from pipelines.translations import label


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


def indicator_of(f: dict[str, Any], a: dict[str, Any]) -> str:
    """The indicator of a failing element: the assessment's, else the one in its target id."""
    return as_text(a.get("indicator_code")) or f["target_id"].split("__")[1]


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


def build_row(
    f: dict[str, Any], a: dict[str, Any], c: Context, points: TrendPoints | None = None
) -> ReportRow:
    """One report row from a failing element ``f``, its assessment row ``a`` and its trend."""
    code = indicator_of(f, a)
    points = points or ([], [], [], [])  # a row of its own: no list shared between rows
    return ReportRow(
        **_target_fields(f, a, c, code),
        **_verdict_fields(f, a),
        **_history_fields(f, c),
        latest_source=as_text(a.get("latest_source")) or (points[2][-1] if points[2] else ""),
        trend_years=points[0],
        trend_values=points[1],
        trend_sources=points[2],
        trend_natures=points[3],
        suite_name=f["suite_name"],
        expectation_id=f["expectation_id"],
    )


def _target_fields(f: dict[str, Any], a: dict[str, Any], c: Context, code: str) -> dict[str, Any]:
    """What the plan sets: plan, lead departments, indicator, unit, requirement, quote."""
    ind = c.indicators.get(code, {})
    unit_code = as_text(ind.get("canonical_unit"))
    unit = as_text(c.units.get(unit_code, {}).get("label_zh")) or unit_code
    target = c.targets.get(f["target_id"], {})
    target_year = as_int(a.get("target_year") or target.get("target_year"))
    threshold = as_text(f["threshold"])
    name = as_text(ind.get("name_zh")) or code
    departments = c.leads.get(f["target_id"]) or [
        as_text(f["lead_department"] or a.get("lead_department")) or label("department", "none")
    ]
    return {
        "plan_id": as_text(f["plan_id"] or a.get("plan_id")),
        "plan_title": as_text(c.plans.get(f["plan_id"], {}).get("title_zh"))
        or as_text(f["plan_id"]),
        "lead_department": "；".join(departments),
        "departments": departments,
        "co_departments": as_text(a.get("co_departments") or target.get("co_departments")),
        "nature": as_text(f["nature"] or a.get("nature")) or "unstated",
        "severity": as_text(f["severity"]),
        "target_id": f["target_id"],
        "indicator_code": code,
        "indicator_name": name,
        "unit": unit,
        "unit_code": unit_code,
        "comparator": as_text(a.get("comparator") or target.get("comparator")),
        "target_year": target_year,
        "target_text": f"{name} {threshold} {unit}".strip()
        + (f"（{target_year}年）" if target_year is not None else ""),
        "target_value": as_float(a.get("target_value") or target.get("target_value")),
        "threshold": threshold,
        "source_quote": as_text(f["source_quote"] or a.get("source_quote")),
        "source_section": as_text(target.get("source_section")),
        "region_id": as_text(f["region_id"]),
        "region_name": as_text(c.regions.get(f["region_id"], {}).get("name_zh"))
        or as_text(f["region_id"]),
    }


def _verdict_fields(f: dict[str, Any], a: dict[str, Any]) -> dict[str, Any]:
    """What the assessment found: status, the value judged, gap, trend, projection, data age."""
    status = as_text(a.get("status")) or "not_met"
    latest_year = as_int(a.get("latest_year"))
    assessment_year = as_int(a.get("assessment_year"))
    age = as_int(a.get("data_age_years"))
    if age is None and latest_year is not None and assessment_year is not None:
        age = assessment_year - latest_year
    projected = as_float(a.get("projected_value"))
    method = as_text(a.get("projection_method"))
    if not method:
        method = "linear_least_squares" if projected is not None else "none"
    value = as_float(f["observed_value"])
    lower, upper, gap = (
        as_float(a.get("required_lower")),
        as_float(a.get("required_upper")),
        as_float(a.get("gap")),
    )
    return {
        "assessment_year": assessment_year,
        "latest_year": latest_year,
        "latest_value": as_float(a.get("latest_value")),
        "verdict_value": value,
        "verdict_basis": as_text(a.get("verdict_basis"))
        or ("projected" if status in PROJECTED_STATUSES else "observed"),
        "required_lower": lower,
        "required_upper": upper,
        "gap": gap,
        "gap_pct": gap_pct(gap, lower, upper, value),
        "status": status,
        "trend": as_text(a.get("trend")) or "unknown",
        "illustrative": bool(a.get("latest_is_illustrative")),
        "data_nature": as_text(a.get("latest_data_nature")),
        "projected_value": projected,
        "projection_method": method,
        "projected_lower": as_float(a.get("projected_lower")),
        "projected_upper": as_float(a.get("projected_upper")),
        "trend_method": as_text(a.get("trend_method")),
        "progress_class": as_text(a.get("progress_ratio_class")),
        "latest_ci_lower": as_float(a.get("latest_ci_lower")),
        "latest_ci_upper": as_float(a.get("latest_ci_upper")),
        "data_age_years": age,
    }


def _history_fields(f: dict[str, Any], c: Context) -> dict[str, Any]:
    """Since when the target × region has been failing, and whether that is news."""
    streak = c.streaks.get((f["target_id"], f["region_id"]))
    return {
        "failing_since": streak.failing_since.isoformat(sep=" ") if streak else "",
        "failing_validations": streak.failing_validations if streak else 0,
        "is_new": bool(streak and streak.is_new_at(c.validated_at)),
    }
