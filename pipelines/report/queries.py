"""Every query of the monitors' report (and the alerts) against the warehouse.

Each reads one thing; :func:`pipelines.report.load.load_report_data` puts them together. The SQL
lives in ``pipelines/report/sql/<name>.sql`` (named parameters ``$run_id`` …), never in Python
strings (``tests/structure/test_sql_in_python.py``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.db import fetch_dicts, first_row, has_relation, scalar
from pipelines.translations import label

TARGET_SUITE_PREFIX = "targets__"
SQL_DIR = Path(__file__).resolve().parent / "sql"
#: (years, values, sources, data natures) of one region × indicator, oldest year first.
TrendPoints = tuple[list[int], list[float], list[str], list[str]]


def _sql(name: str) -> str:
    """The text of ``pipelines/report/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _validation(run_id: str, validated_at: datetime) -> dict[str, Any]:
    """The parameters that name one target validation."""
    return {"run_id": run_id, "validated_at": validated_at, "suite_prefix": TARGET_SUITE_PREFIX}


def resolve_run_id(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, Any] | None:
    """The validation to report: the latest target validation of ``run_id`` if it validated
    targets, else the latest target validation of any run. Returns (run id, validated_at)."""
    if not has_relation(con, "monitoring.validation_results"):
        return None
    row = con.execute(
        _sql("latest_target_validation"),
        {"run_id": run_id, "suite_prefix": TARGET_SUITE_PREFIX},
    ).fetchone()
    return (row[0], row[1]) if row else None


def failing_elements(
    con: duckdb.DuckDBPyConnection, run_id: str, validated_at: datetime
) -> list[dict[str, Any]]:
    """The failing target × regions of a target validation, one row each."""
    failures = fetch_dicts(con, _sql("failing_elements"), _validation(run_id, validated_at))
    # One element row per target × region × year: the report shows a target × region once.
    return list({(f["target_id"], f["region_id"]): f for f in failures}.values())


def expectation_counts(
    con: duckdb.DuckDBPyConnection, run_id: str, validated_at: datetime
) -> tuple[int, int]:
    """(expectations, distinct targets) a target validation checked."""
    counts = first_row(con, _sql("expectation_counts"), _validation(run_id, validated_at))
    return int(counts[0]), int(counts[1])


def failing_assessments(
    con: duckdb.DuckDBPyConnection, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """(target_id, region_id) → the current assessment row, for the target × regions ``keys``
    (the failing ones of :func:`failing_elements`)."""
    if not keys:
        return {}
    import pandas as pd

    con.register("_wanted", pd.DataFrame(sorted(keys), columns=["target_id", "region_id"]))
    try:
        rows = fetch_dicts(con, _sql("failing_assessments"))
    finally:
        con.unregister("_wanted")
    return {(r["target_id"], r["region_id"]): r for r in rows}


def missed_count(con: duckdb.DuckDBPyConnection) -> int:
    """Current target × regions whose requirement is not met, counted once each in SQL."""
    return int(scalar(con, _sql("missed_count")))


def lookup(
    con: duckdb.DuckDBPyConnection, relation: str, key: str, cols: str
) -> dict[str, dict[str, Any]]:
    """``key`` → the row's ``cols`` of a reference table (empty when the table is missing)."""
    if not has_relation(con, relation):
        return {}
    # one generic one-line lookup of a whole reference table (allowed inline: see
    # tests/structure/sql_in_python.py)
    return {r[key]: r for r in fetch_dicts(con, f"select {key}, {cols} from {relation}")}


def lead_departments(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """target_id → its lead departments (``marts.dim_target_department``; one per joint lead,
    the "plan names no lead department" placeholder where the plan names none)."""
    if not has_relation(con, "marts.dim_target_department"):
        return {}
    out: dict[str, list[str]] = {}
    for target_id, department in con.execute(_sql("lead_departments")).fetchall():
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

    wanted = pd.DataFrame(sorted(keys), columns=["region_id", "indicator_code"])
    con.register("_wanted", wanted)
    try:
        # whole columns as arrays, cut per pair: Python objects for 0.7 M points at M cost 1 s
        # less than fetching them row by row
        columns = con.execute(_sql("trend_points")).fetchnumpy()
    finally:
        con.unregister("_wanted")
    return _cut_per_pair(columns)


def _cut_per_pair(columns: dict[str, Any]) -> dict[tuple[str, str], TrendPoints]:
    """The points of each (region, indicator): ``columns`` are sorted by pair, then year."""
    import numpy as np

    regions, codes = columns["region_id"], columns["indicator_code"]
    n = len(regions)
    if n == 0:
        return {}
    starts_pair = np.ones(n, dtype=bool)
    starts_pair[1:] = (regions[1:] != regions[:-1]) | (codes[1:] != codes[:-1])
    starts = np.flatnonzero(starts_pair).tolist()
    ends = [*starts[1:], n]
    years, values = columns["year"].tolist(), columns["value"].tolist()
    sources, natures = columns["source"].tolist(), columns["nature"].tolist()
    region_list, code_list = regions.tolist(), codes.tolist()
    return {
        (region_list[s], code_list[s]): (years[s:e], values[s:e], sources[s:e], natures[s:e])
        for s, e in zip(starts, ends, strict=True)
    }


def status_counts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Counts by status per plan and per lead department (``sql/status_counts.sql``)."""
    if not has_relation(con, "marts.fct_target_assessment"):
        return []
    if has_relation(con, "marts.dim_target_department"):
        leads = con.execute(_sql("lead_departments")).df()
    else:
        # A warehouse without the bridge: one department per target, as the assessment names it.
        no_lead = {"no_lead": label("department", "none")}
        leads = con.execute(_sql("lead_departments_unbridged"), no_lead).df()
    con.register("_leads", leads)
    try:
        return fetch_dicts(con, _sql("status_counts"))
    finally:
        con.unregister("_leads")


def quality_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Data-quality findings recorded under the same run id (counts per suite and rule)."""
    return fetch_dicts(con, _sql("quality_findings"), {"run_id": run_id})
