"""Every query of the monitors' report (and the alerts) against the warehouse.

Each reads one thing; :func:`pipelines.report.load.load_report_data` puts them together.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.db import as_text, column_names, fetch_dicts, first_row, has_relation, scalar
from pipelines.translations import label

TARGET_SUITE_PREFIX = "targets__"
SQL_DIR = Path(__file__).resolve().parent / "sql"
#: (years, values, sources, data natures) of one region × indicator, oldest year first.
TrendPoints = tuple[list[int], list[float], list[str], list[str]]


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def resolve_run_id(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, Any] | None:
    """The validation to report: the latest target validation of ``run_id`` if it validated
    targets, else the latest target validation of any run. Returns (run id, validated_at)."""
    if not has_relation(con, "monitoring.validation_results"):
        return None
    row = con.execute(
        "select run_id, max(validated_at) from monitoring.validation_results "
        "where starts_with(suite_name, ?) group by run_id "
        "order by (run_id = ?) desc, max(validated_at) desc limit 1",
        [TARGET_SUITE_PREFIX, run_id],
    ).fetchone()
    return (row[0], row[1]) if row else None


def failing_elements(
    con: duckdb.DuckDBPyConnection, run_id: str, validated_at: datetime
) -> list[dict[str, Any]]:
    """The failing target × regions of a target validation, one row each."""
    failures = fetch_dicts(
        con,
        "select suite_name, expectation_id, target_id, plan_id, region_id, observed_value, "
        "threshold, severity, nature, lead_department, source_quote "
        "from monitoring.validation_results where run_id = ? and row_kind = 'element' "
        "and starts_with(suite_name, ?) and validated_at = ? order by target_id, region_id",
        [run_id, TARGET_SUITE_PREFIX, validated_at],
    )
    # One element row per target × region × year: the report shows a target × region once.
    return list({(f["target_id"], f["region_id"]): f for f in failures}.values())


def expectation_counts(
    con: duckdb.DuckDBPyConnection, run_id: str, validated_at: datetime
) -> tuple[int, int]:
    """(expectations, distinct targets) a target validation checked."""
    counts = first_row(
        con,
        "select count(*), count(distinct target_id) from monitoring.validation_results "
        "where run_id = ? and row_kind = 'expectation' and starts_with(suite_name, ?) "
        "and validated_at = ?",
        [run_id, TARGET_SUITE_PREFIX, validated_at],
    )
    return int(counts[0]), int(counts[1])


def failing_assessments(
    con: duckdb.DuckDBPyConnection, run_id: str, validated_at: datetime
) -> dict[tuple[str, str], dict[str, Any]]:
    """(target_id, region_id) → the current assessment row, for the failing target × regions."""
    # Only the current assessment rows of the failing target × regions are read (a national mart
    # has 275,000 current rows).
    rows = fetch_dicts(
        con,
        "select a.* from marts.fct_target_assessment as a where a.is_latest "
        "and (a.target_id, a.region_id) in (select target_id, region_id "
        "from monitoring.validation_results where run_id = ? and row_kind = 'element' "
        "and starts_with(suite_name, ?) and validated_at = ?)",
        [run_id, TARGET_SUITE_PREFIX, validated_at],
    )
    return {(r["target_id"], r["region_id"]): r for r in rows}


def missed_count(con: duckdb.DuckDBPyConnection) -> int:
    """Current target × regions whose requirement is not met, counted once each in SQL."""
    return int(
        scalar(
            con,
            "select count(*) from (select target_id, region_id from marts.fct_target_assessment "
            "where is_latest group by target_id, region_id "
            "having bool_or(threshold_met is not distinct from false))",
        )
    )


def lookup(
    con: duckdb.DuckDBPyConnection, relation: str, key: str, cols: str
) -> dict[str, dict[str, Any]]:
    """``key`` → the row's ``cols`` of a reference table (empty when the table is missing)."""
    if not has_relation(con, relation):
        return {}
    return {r[key]: r for r in fetch_dicts(con, f"select {key}, {cols} from {relation}")}


def lead_departments(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """target_id → its lead departments (``marts.dim_target_department``; one per joint lead,
    the "plan names no lead department" placeholder where the plan names none)."""
    if not has_relation(con, "marts.dim_target_department"):
        return {}
    out: dict[str, list[str]] = {}
    for target_id, department in con.execute(
        "select target_id, department from marts.dim_target_department where role = 'lead' "
        "order by target_id, is_stated desc, department"
    ).fetchall():
        out.setdefault(target_id, []).append(department)
    return out


def trend_points(
    con: duckdb.DuckDBPyConnection, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], TrendPoints]:
    """Yearly values per (region, indicator) with each point's source and data nature (the
    preferred figure of the year where the fact marks one, else the yearly mean)."""
    if not keys or not has_relation(con, "marts.fct_indicator_observation"):
        return {}
    import pandas as pd

    cols = column_names(con, "marts.fct_indicator_observation")
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
    out: dict[tuple[str, str], TrendPoints] = {}
    for region, code, year, value, src, nat in rows:
        years, values, sources, natures = out.setdefault((region, code), ([], [], [], []))
        years.append(int(year))
        values.append(float(value))
        sources.append(as_text(src))
        natures.append(as_text(nat))
    return out


def status_counts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Counts by status per plan and per lead department (``sql/status_counts.sql``)."""
    if not has_relation(con, "marts.fct_target_assessment"):
        return []
    sql = _sql("status_counts")
    if not has_relation(con, "marts.dim_target_department"):
        # A warehouse without the bridge: one department per target, as the assessment names it.
        sql = sql.replace(
            "from marts.dim_target_department\n    where role = 'lead'",
            "from (select distinct target_id, coalesce(lead_department, "
            f"'{label('department', 'none')}') as department "
            "from marts.fct_target_assessment)",
        )
    return fetch_dicts(con, sql)


def quality_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Data-quality findings recorded under the same run id (counts per suite and rule)."""
    return fetch_dicts(
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
