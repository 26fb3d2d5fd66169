"""The report's data access: every query the monitors' report (and the alerts) read.

A row is one missed target × region from a GX target validation run
(`monitoring.validation_results`, `row_kind = 'element'`), enriched from the latest
`marts.fct_target_assessment` row (gap, status, trend, projection, data year …), the lead
departments (`marts.dim_target_department`, one per joint lead), the validation history ("failing
since", `pipelines.history`), the reference tables (plan title, region and indicator names, unit
label) and the indicator's yearly values for the region with each point's source and data nature
(`marts.fct_indicator_observation`) for the trend chart.

Assessment columns are read by name and defensively (``.get``): the assessment gains columns over
time (latest_source, data_age_years, projection methods …) and the report uses them when present.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.db import first_row, scalar
from pipelines.history import failing_streaks
from pipelines.translations import label

TARGET_SUITE_PREFIX = "targets__"
SQL_DIR = Path(__file__).resolve().parent / "sql"
#: Statuses whose verdict is a projection to the target year (the target year is still ahead).
PROJECTED_STATUSES = ("on_track", "off_track")


@dataclass
class ReportRow:
    """One missed target in one region."""

    plan_id: str
    plan_title: str
    lead_department: str  # every lead department, joined with "；"
    nature: str
    severity: str
    target_id: str
    indicator_code: str
    indicator_name: str
    unit: str  # the unit's Chinese label
    comparator: str
    target_year: int | None
    target_text: str
    source_quote: str
    source_section: str
    region_id: str
    region_name: str
    assessment_year: int | None
    latest_year: int | None
    latest_value: float | None
    verdict_value: float | None
    verdict_basis: str  # "observed" or "projected"
    threshold: str
    required_lower: float | None
    required_upper: float | None
    gap: float | None
    status: str
    trend: str
    illustrative: bool
    data_nature: str
    unit_code: str = ""
    gap_pct: float | None = None  # gap as % of the required level
    target_value: float | None = None
    projected_value: float | None = None
    projection_method: str = ""
    projected_lower: float | None = None  # interval of the projection, where the method gives one
    projected_upper: float | None = None
    trend_method: str = ""
    progress_class: str = ""  # open-sdg / ESCAP progress-ratio class, where computed
    latest_ci_lower: float | None = None
    latest_ci_upper: float | None = None
    latest_source: str = ""
    data_age_years: int | None = None
    failing_since: str = ""  # ISO timestamp (UTC) of the first failing validation of the streak
    failing_validations: int = 0
    is_new: bool = False
    co_departments: str = ""
    departments: list[str] = field(default_factory=list)
    trend_years: list[int] = field(default_factory=list)
    trend_values: list[float] = field(default_factory=list)
    trend_sources: list[str] = field(default_factory=list)
    trend_natures: list[str] = field(default_factory=list)
    suite_name: str = ""
    expectation_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (same as ``dataclasses.asdict``, without its deep copy of
        every value: ~30 s for a national report's 74,000 rows)."""
        out = {name: getattr(self, name) for name in ROW_FIELDS}
        for name in LIST_FIELDS:
            out[name] = list(getattr(self, name))
        return out


#: Field names of :class:`ReportRow`, in declaration order.
ROW_FIELDS = [f.name for f in fields(ReportRow)]
LIST_FIELDS = ["departments", "trend_years", "trend_values", "trend_sources", "trend_natures"]


@dataclass
class ReportData:
    """Everything the renderers need."""

    run_id: str
    validated_at: str
    rows: list[ReportRow]
    n_expectations: int
    n_targets_checked: int
    n_assessment_missed: int
    quality: list[dict[str, Any]]
    status_counts: list[dict[str, Any]] = field(default_factory=list)
    plan_titles: dict[str, str] = field(default_factory=dict)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _has(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, name = relation.split(".")
    return bool(
        scalar(
            con,
            "select count(*) from information_schema.tables where table_schema = ? "
            "and table_name = ?",
            [schema, name],
        )
    )


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    schema, name = relation.split(".")
    return {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? "
            "and table_name = ?",
            [schema, name],
        ).fetchall()
    }


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _int(value: Any) -> int | None:
    number = _num(value)
    return None if number is None else int(number)


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def resolve_run_id(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, Any] | None:
    """The validation to report: the latest target validation of ``run_id`` if it validated
    targets, else the latest target validation of any run. Returns (run id, validated_at)."""
    if not _has(con, "monitoring.validation_results"):
        return None
    row = con.execute(
        "select run_id, max(validated_at) from monitoring.validation_results "
        "where starts_with(suite_name, ?) group by run_id "
        "order by (run_id = ?) desc, max(validated_at) desc limit 1",
        [TARGET_SUITE_PREFIX, run_id],
    ).fetchone()
    return (row[0], row[1]) if row else None


def _lookup(con: duckdb.DuckDBPyConnection, relation: str, key: str, cols: str) -> dict[str, dict]:
    if not _has(con, relation):
        return {}
    return {r[key]: r for r in _fetch(con, f"select {key}, {cols} from {relation}")}


def lead_departments(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """target_id → its lead departments (``marts.dim_target_department``; one per joint lead,
    the "plan names no lead department" placeholder where the plan names none)."""
    if not _has(con, "marts.dim_target_department"):
        return {}
    out: dict[str, list[str]] = {}
    for target_id, department in con.execute(
        "select target_id, department from marts.dim_target_department where role = 'lead' "
        "order by target_id, is_stated desc, department"
    ).fetchall():
        out.setdefault(target_id, []).append(department)
    return out


def load_report_data(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    """Collect the report rows of a validation run (see module docstring)."""
    resolved = resolve_run_id(con, run_id)
    if resolved is None:
        return ReportData(run_id, "", [], 0, 0, 0, [])
    run_id, validated_at = resolved
    params = [run_id, TARGET_SUITE_PREFIX, validated_at]
    failures = _fetch(
        con,
        "select suite_name, expectation_id, target_id, plan_id, region_id, observed_value, "
        "threshold, severity, nature, lead_department, source_quote "
        "from monitoring.validation_results where run_id = ? and row_kind = 'element' "
        "and starts_with(suite_name, ?) and validated_at = ? order by target_id, region_id",
        params,
    )
    # One element row per target × region × year: the report shows a target × region once.
    failures = list({(f["target_id"], f["region_id"]): f for f in failures}.values())
    counts = first_row(
        con,
        "select count(*), count(distinct target_id) from monitoring.validation_results "
        "where run_id = ? and row_kind = 'expectation' and starts_with(suite_name, ?) "
        "and validated_at = ?",
        params,
    )
    # Only the current assessment rows of the failing target × regions are read (a national mart
    # has 275,000 current rows); the missed count is counted in SQL, once per target × region.
    assessment = {
        (r["target_id"], r["region_id"]): r
        for r in _fetch(
            con,
            "select a.* from marts.fct_target_assessment as a where a.is_latest "
            "and (a.target_id, a.region_id) in (select target_id, region_id "
            "from monitoring.validation_results where run_id = ? and row_kind = 'element' "
            "and starts_with(suite_name, ?) and validated_at = ?)",
            params,
        )
    }
    n_missed = scalar(
        con,
        "select count(*) from (select target_id, region_id from marts.fct_target_assessment "
        "where is_latest group by target_id, region_id "
        "having bool_or(threshold_met is not distinct from false))",
    )
    plans = _lookup(con, "reference.plans", "plan_id", "title_zh")
    context = _Context(
        targets=_lookup(
            con,
            "reference.plan_targets",
            "target_id",
            "source_section, target_year, comparator, target_value, co_departments",
        ),
        plans=plans,
        regions=_lookup(con, "reference.regions", "region_id", "name_zh"),
        indicators=_lookup(
            con, "reference.indicators", "indicator_code", "name_zh, canonical_unit"
        ),
        units=_lookup(con, "reference.units", "unit", "label_zh"),
        leads=lead_departments(con),
        streaks=failing_streaks(con, validated_at),
        validated_at=validated_at,
    )
    series = _series(con, {(f["region_id"], _indicator(f, assessment)) for f in failures})
    rows = [
        _row(f, assessment.get((f["target_id"], f["region_id"]), {}), context, series)
        for f in failures
    ]
    rows.sort(key=sort_key)
    return ReportData(
        run_id=run_id,
        validated_at=str(validated_at),
        rows=rows,
        n_expectations=int(counts[0]),
        n_targets_checked=int(counts[1]),
        n_assessment_missed=n_missed,
        quality=_quality(con, run_id),
        status_counts=status_counts(con),
        plan_titles={k: _text(v.get("title_zh")) or k for k, v in plans.items()},
    )


@dataclass
class _Context:
    targets: dict[str, dict]
    plans: dict[str, dict]
    regions: dict[str, dict]
    indicators: dict[str, dict]
    units: dict[str, dict]
    leads: dict[str, list[str]]
    streaks: dict[tuple[str, str], Any]
    validated_at: datetime


def _gap_pct(gap: float | None, lower: float | None, upper: float | None, value: float | None):
    """The gap as a percentage of the required level it falls short of."""
    if gap is None:
        return None
    bound = lower if (lower is not None and (value is None or value < lower)) else upper
    bound = bound if bound is not None else lower
    if not bound:
        return None
    return gap / abs(bound) * 100.0


def _row(f: dict, a: dict, c: _Context, series: dict) -> ReportRow:
    """One report row from a failing element ``f`` and its assessment row ``a``."""
    code = _text(a.get("indicator_code")) or f["target_id"].split("__")[1]
    ind = c.indicators.get(code, {})
    unit_code = _text(ind.get("canonical_unit"))
    unit = _text(c.units.get(unit_code, {}).get("label_zh")) or unit_code
    target = c.targets.get(f["target_id"], {})
    points = series.get((f["region_id"], code), ([], [], [], []))
    target_year = _int(a.get("target_year") or target.get("target_year"))
    threshold = _text(f["threshold"])
    name = _text(ind.get("name_zh")) or code
    status = _text(a.get("status")) or "not_met"
    latest_year = _int(a.get("latest_year"))
    assessment_year = _int(a.get("assessment_year"))
    age = _int(a.get("data_age_years"))
    if age is None and latest_year is not None and assessment_year is not None:
        age = assessment_year - latest_year
    projected = _num(a.get("projected_value"))
    method = _text(a.get("projection_method"))
    if not method:
        method = "linear_least_squares" if projected is not None else "none"
    streak = c.streaks.get((f["target_id"], f["region_id"]))
    value = _num(f["observed_value"])
    lower, upper, gap = (
        _num(a.get("required_lower")),
        _num(a.get("required_upper")),
        _num(a.get("gap")),
    )
    departments = c.leads.get(f["target_id"]) or [
        _text(f["lead_department"] or a.get("lead_department")) or label("department", "none")
    ]
    return ReportRow(
        plan_id=_text(f["plan_id"] or a.get("plan_id")),
        plan_title=_text(c.plans.get(f["plan_id"], {}).get("title_zh")) or _text(f["plan_id"]),
        lead_department="；".join(departments),
        nature=_text(f["nature"] or a.get("nature")) or "unstated",
        severity=_text(f["severity"]),
        target_id=f["target_id"],
        indicator_code=code,
        indicator_name=name,
        unit=unit,
        comparator=_text(a.get("comparator") or target.get("comparator")),
        target_year=target_year,
        target_text=f"{name} {threshold} {unit}".strip()
        + (f"（{target_year}年）" if target_year is not None else ""),
        source_quote=_text(f["source_quote"] or a.get("source_quote")),
        source_section=_text(target.get("source_section")),
        region_id=_text(f["region_id"]),
        region_name=_text(c.regions.get(f["region_id"], {}).get("name_zh"))
        or _text(f["region_id"]),
        assessment_year=assessment_year,
        latest_year=latest_year,
        latest_value=_num(a.get("latest_value")),
        verdict_value=value,
        verdict_basis=_text(a.get("verdict_basis"))
        or ("projected" if status in PROJECTED_STATUSES else "observed"),
        threshold=threshold,
        required_lower=lower,
        required_upper=upper,
        gap=gap,
        status=status,
        trend=_text(a.get("trend")) or "unknown",
        illustrative=bool(a.get("latest_is_illustrative")),
        data_nature=_text(a.get("latest_data_nature")),
        unit_code=unit_code,
        gap_pct=_gap_pct(gap, lower, upper, value),
        target_value=_num(a.get("target_value") or target.get("target_value")),
        projected_value=projected,
        projection_method=method,
        projected_lower=_num(a.get("projected_lower")),
        projected_upper=_num(a.get("projected_upper")),
        trend_method=_text(a.get("trend_method")),
        progress_class=_text(a.get("progress_ratio_class")),
        latest_ci_lower=_num(a.get("latest_ci_lower")),
        latest_ci_upper=_num(a.get("latest_ci_upper")),
        latest_source=_text(a.get("latest_source")) or (points[2][-1] if points[2] else ""),
        data_age_years=age,
        failing_since=streak.failing_since.isoformat(sep=" ") if streak else "",
        failing_validations=streak.failing_validations if streak else 0,
        is_new=bool(streak and streak.is_new_at(c.validated_at)),
        co_departments=_text(a.get("co_departments") or target.get("co_departments")),
        departments=departments,
        trend_years=points[0],
        trend_values=points[1],
        trend_sources=points[2],
        trend_natures=points[3],
        suite_name=f["suite_name"],
        expectation_id=f["expectation_id"],
    )


def sort_key(row: ReportRow) -> tuple:
    """Per plan, per lead department, binding (critical) first, then how far off (gap as % of
    the target, largest first; rows without a gap last), then region."""
    far = abs(row.gap_pct) if row.gap_pct is not None else -1.0
    return (
        row.plan_id,
        row.lead_department,
        0 if row.severity == "critical" else 1,
        -far,
        row.region_name,
        row.target_id,
    )


def _indicator(failure: dict, assessment: dict) -> str:
    a = assessment.get((failure["target_id"], failure["region_id"]), {})
    return _text(a.get("indicator_code")) or failure["target_id"].split("__")[1]


def _series(
    con: duckdb.DuckDBPyConnection, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[list[int], list[float], list[str], list[str]]]:
    """Yearly values per (region, indicator) with each point's source and data nature (the
    preferred figure of the year where the fact marks one, else the yearly mean)."""
    if not keys or not _has(con, "marts.fct_indicator_observation"):
        return {}
    import pandas as pd

    cols = _columns(con, "marts.fct_indicator_observation")
    preferred = "and o.is_preferred" if "is_preferred" in cols else ""
    source = "o.source" if "source" in cols else "null"
    nature = "o.data_nature" if "data_nature" in cols else "null"
    wanted = pd.DataFrame(sorted(keys), columns=["region_id", "indicator_code"])
    con.register("_wanted", wanted)
    try:
        rows = con.execute(
            "select o.region_id, o.indicator_code, o.year, avg(o.value) as value, "
            f"string_agg(distinct {source}, '；') as source, "
            f"string_agg(distinct {nature}, '；') as nature "
            "from marts.fct_indicator_observation as o "
            "inner join _wanted as w using (region_id, indicator_code) "
            f"where o.value is not null {preferred} group by all "
            "order by o.region_id, o.indicator_code, o.year"
        ).fetchall()
    finally:
        con.unregister("_wanted")
    out: dict[tuple[str, str], tuple[list[int], list[float], list[str], list[str]]] = {}
    for region, code, year, value, src, nat in rows:
        years, values, sources, natures = out.setdefault((region, code), ([], [], [], []))
        years.append(int(year))
        values.append(float(value))
        sources.append(_text(src))
        natures.append(_text(nat))
    return out


def status_counts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Counts by status per plan and per lead department (``sql/status_counts.sql``)."""
    if not _has(con, "marts.fct_target_assessment"):
        return []
    sql = _sql("status_counts")
    if not _has(con, "marts.dim_target_department"):
        # A warehouse without the bridge: one department per target, as the assessment names it.
        sql = sql.replace(
            "from marts.dim_target_department\n    where role = 'lead'",
            "from (select distinct target_id, coalesce(lead_department, "
            f"'{label('department', 'none')}') as department "
            "from marts.fct_target_assessment)",
        )
    return _fetch(con, sql)


def _quality(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Data-quality findings recorded under the same run id (counts per suite and rule)."""
    return _fetch(
        con,
        "select suite_name, severity, coalesce(is_structural, false) as is_structural, "
        "count(*) filter (where row_kind = 'expectation' and not success) as failed_rules, "
        "count(*) filter (where row_kind = 'element') as failing_rows "
        "from monitoring.validation_results where run_id = ? and starts_with(suite_name, "
        "'quality__') and validated_at = (select max(validated_at) from "
        "monitoring.validation_results where run_id = ? and starts_with(suite_name, 'quality__')) "
        "group by all having count(*) filter (where not success) > 0 "
        "order by is_structural desc, suite_name, severity",
        [run_id, run_id],
    )
