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
import numpy as np
import pyarrow as pa

from pipelines.db import fetch_dicts, first_row, has_relation, scalar
from pipelines.report.columns import Columns, fetch_columns
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


def failing_rows(con: duckdb.DuckDBPyConnection, run_id: str, validated_at: datetime) -> Columns:
    """The failing target × regions of a target validation, one row each, with the columns of
    their current assessment the report reads (``a_…``; ``sql/failing_rows.sql``)."""
    rows = fetch_columns(con, _sql("failing_rows"), _validation(run_id, validated_at))
    # One element row per target × region × year: the report shows a target × region once (its
    # last row, at the place of its first).
    last = {
        key: i
        for i, key in enumerate(zip(rows.raw("target_id"), rows.raw("region_id"), strict=True))
    }
    return rows if len(last) == len(rows) else rows.take(list(last.values()))


def expectation_counts(
    con: duckdb.DuckDBPyConnection, run_id: str, validated_at: datetime
) -> tuple[int, int]:
    """(expectations, distinct targets) a target validation checked."""
    counts = first_row(con, _sql("expectation_counts"), _validation(run_id, validated_at))
    return int(counts[0]), int(counts[1])


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
    regions, codes = zip(*keys, strict=True)
    con.register("_wanted", pa.table({"region_id": regions, "indicator_code": codes}))
    try:
        # whole columns as Arrow arrays, cut per pair: 0.6 M points at M, few distinct texts
        table = con.execute(_sql("trend_points")).to_arrow_table()
    finally:
        con.unregister("_wanted")
    return _cut_per_pair({name: _pylist(table[name]) for name in table.column_names})


def _pylist(column: pa.ChunkedArray) -> list[Any]:
    """An Arrow column as a Python list; a text column through its distinct values, so that a
    text repeated over 0.6 M points (a source, a data nature) is one Python string, not 0.6 M."""
    if column.null_count:
        return column.to_pylist()
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        encoded = column.combine_chunks().dictionary_encode()
        texts = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
        return texts[encoded.indices.to_numpy()].tolist()
    return column.to_numpy().tolist()


def _cut_per_pair(columns: dict[str, list[Any]]) -> dict[tuple[str, str], TrendPoints]:
    """The points of each (region, indicator): ``columns`` are sorted by pair, then year."""
    regions, codes = columns["region_id"], columns["indicator_code"]
    years, values = columns["year"], columns["value"]
    sources, natures = columns["source"], columns["nature"]
    pairs = list(zip(regions, codes, strict=True))
    if not pairs:
        return {}
    # a pair starts where it differs from the point before (one string object per distinct
    # text: most comparisons are identity checks)
    starts = [
        i
        for i, (before, pair) in enumerate(zip([None, *pairs], pairs, strict=False))
        if pair != before
    ]
    ends = [*starts[1:], len(pairs)]
    # Equal runs of years, sources or natures (most pairs have the same ones) become one list
    # object: fewer objects, and the writers encode a list once per object. Values are not
    # shared (0.0 == -0.0: equal floats can read differently).
    same_years: dict[tuple[Any, ...], list[Any]] = {}
    same_sources: dict[tuple[Any, ...], list[Any]] = {}
    same_natures: dict[tuple[Any, ...], list[Any]] = {}
    return {
        pairs[s]: (
            _shared(same_years, years[s:e]),
            values[s:e],
            _shared(same_sources, sources[s:e]),
            _shared(same_natures, natures[s:e]),
        )
        for s, e in zip(starts, ends, strict=True)
    }


def _shared(seen: dict[tuple[Any, ...], list[Any]], points: list[Any]) -> list[Any]:
    """The list in ``seen`` equal to ``points`` (ints or texts only), else ``points`` as new."""
    return seen.setdefault(tuple(points), points)


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
