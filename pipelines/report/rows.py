"""The rows of the monitors' failure report, read from the warehouse.

A row is one missed target × region from a GX target validation run
(`monitoring.validation_results`, `row_kind = 'element'`), enriched from the latest
`marts.fct_target_assessment` row (gap, status, trend, illustrative flag …), the reference tables
(plan title, region and indicator names, unit label) and the indicator's yearly values for the
region (`marts.fct_indicator_observation`) for the trend chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

import duckdb

from pipelines.db import first_row, scalar

TARGET_SUITE_PREFIX = "targets__"


@dataclass
class ReportRow:
    """One missed target in one region."""

    plan_id: str
    plan_title: str
    lead_department: str
    nature: str
    severity: str
    target_id: str
    indicator_code: str
    indicator_name: str
    unit: str
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
    trend_years: list[int] = field(default_factory=list)
    trend_values: list[float] = field(default_factory=list)
    suite_name: str = ""
    expectation_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (same as ``dataclasses.asdict``, without its deep copy of
        every value: ~30 s for a national report's 74,000 rows)."""
        out = {name: getattr(self, name) for name in ROW_FIELDS}
        out["trend_years"] = list(self.trend_years)
        out["trend_values"] = list(self.trend_values)
        return out


#: Field names of :class:`ReportRow`, in declaration order.
ROW_FIELDS = [f.name for f in fields(ReportRow)]


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


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


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


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


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


def load_report_data(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    """Collect the report rows of a validation run (see module docstring)."""
    resolved = resolve_run_id(con, run_id)
    if resolved is None:
        return ReportData(run_id, "", [], 0, 0, 0, [])
    run_id, validated_at = resolved
    failures = _fetch(
        con,
        "select suite_name, expectation_id, target_id, plan_id, region_id, observed_value, "
        "threshold, severity, nature, lead_department, source_quote "
        "from monitoring.validation_results where run_id = ? and row_kind = 'element' "
        "and starts_with(suite_name, ?) and validated_at = ? order by target_id, region_id",
        [run_id, TARGET_SUITE_PREFIX, validated_at],
    )
    counts = first_row(
        con,
        "select count(*), count(distinct target_id) from monitoring.validation_results "
        "where run_id = ? and row_kind = 'expectation' and starts_with(suite_name, ?) "
        "and validated_at = ?",
        [run_id, TARGET_SUITE_PREFIX, validated_at],
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
            [run_id, TARGET_SUITE_PREFIX, validated_at],
        )
    }
    n_missed = scalar(
        con,
        "select count(*) from (select target_id, region_id from marts.fct_target_assessment "
        "where is_latest group by target_id, region_id "
        "having bool_or(threshold_met is not distinct from false))",
    )
    targets = _lookup(
        con, "reference.plan_targets", "target_id", "source_section, target_year, comparator"
    )
    plans = _lookup(con, "reference.plans", "plan_id", "title_zh")
    regions = _lookup(con, "reference.regions", "region_id", "name_zh")
    indicators = _lookup(con, "reference.indicators", "indicator_code", "name_zh, canonical_unit")
    units = _lookup(con, "reference.units", "unit", "label_zh")
    series = _series(con, {(f["region_id"], _indicator(f, assessment)) for f in failures})
    rows = []
    for f in failures:
        a = assessment.get((f["target_id"], f["region_id"]), {})
        code = _indicator(f, assessment)
        ind = indicators.get(code, {})
        unit_code = _text(ind.get("canonical_unit"))
        unit = _text(units.get(unit_code, {}).get("label_zh")) or unit_code
        target = targets.get(f["target_id"], {})
        years, values = series.get((f["region_id"], code), ([], []))
        latest_year = a.get("latest_year")
        target_year = a.get("target_year") or target.get("target_year")
        # Before the target year the verdict is the trend projection (on/off track statuses).
        projected = a.get("status") in ("on_track", "off_track")
        threshold = _text(f["threshold"])
        name = _text(ind.get("name_zh")) or code
        rows.append(
            ReportRow(
                plan_id=_text(f["plan_id"] or a.get("plan_id")),
                plan_title=_text(plans.get(f["plan_id"], {}).get("title_zh"))
                or _text(f["plan_id"]),
                lead_department=_text(f["lead_department"] or a.get("lead_department"))
                or "（未注明牵头部门）",
                nature=_text(f["nature"] or a.get("nature")),
                severity=_text(f["severity"]),
                target_id=f["target_id"],
                indicator_code=code,
                indicator_name=name,
                unit=unit,
                comparator=_text(a.get("comparator") or target.get("comparator")),
                target_year=int(target_year) if target_year is not None else None,
                target_text=f"{name} {threshold} {unit}".strip()
                + (f"（{int(target_year)}年）" if target_year is not None else ""),
                source_quote=_text(f["source_quote"] or a.get("source_quote")),
                source_section=_text(target.get("source_section")),
                region_id=_text(f["region_id"]),
                region_name=_text(regions.get(f["region_id"], {}).get("name_zh"))
                or _text(f["region_id"]),
                assessment_year=a.get("assessment_year"),
                latest_year=latest_year,
                latest_value=_num(a.get("latest_value")),
                verdict_value=_num(f["observed_value"]),
                verdict_basis="projected" if projected else "observed",
                threshold=threshold,
                required_lower=_num(a.get("required_lower")),
                required_upper=_num(a.get("required_upper")),
                gap=_num(a.get("gap")),
                status=_text(a.get("status")) or "not_met",
                trend=_text(a.get("trend")) or "unknown",
                illustrative=bool(a.get("latest_is_illustrative")),
                data_nature=_text(a.get("latest_data_nature")),
                trend_years=years,
                trend_values=values,
                suite_name=f["suite_name"],
                expectation_id=f["expectation_id"],
            )
        )
    rows.sort(key=sort_key)
    return ReportData(
        run_id=run_id,
        validated_at=str(validated_at),
        rows=rows,
        n_expectations=int(counts[0]),
        n_targets_checked=int(counts[1]),
        n_assessment_missed=n_missed,
        quality=_quality(con, run_id),
    )


def sort_key(row: ReportRow) -> tuple:
    """Per plan, per lead department, binding (critical) first, then target and region."""
    return (
        row.plan_id,
        row.lead_department,
        0 if row.severity == "critical" else 1,
        row.target_id,
        row.region_id,
    )


def _indicator(failure: dict, assessment: dict) -> str:
    a = assessment.get((failure["target_id"], failure["region_id"]), {})
    return _text(a.get("indicator_code")) or failure["target_id"].split("__")[1]


def _series(
    con: duckdb.DuckDBPyConnection, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[list[int], list[float]]]:
    """Yearly values per (region, indicator) for the sparklines (one value per year)."""
    if not keys or not _has(con, "marts.fct_indicator_observation"):
        return {}
    import pandas as pd

    wanted = pd.DataFrame(sorted(keys), columns=["region_id", "indicator_code"])
    con.register("_wanted", wanted)
    try:
        rows = con.execute(
            "select o.region_id, o.indicator_code, o.year, avg(o.value) as value "
            "from marts.fct_indicator_observation as o "
            "inner join _wanted as w using (region_id, indicator_code) "
            "where o.value is not null group by all order by o.region_id, o.indicator_code, o.year"
        ).fetchall()
    finally:
        con.unregister("_wanted")
    out: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
    for region, code, year, value in rows:
        years, values = out.setdefault((region, code), ([], []))
        years.append(int(year))
        values.append(float(value))
    return out


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
