"""Persist validation outcomes to `monitoring.validation_results` (CONTRACTS.md §4).

Rows are appended: one per expectation (the suite-level verdict of a target or rule) and one per
failing element (target × region × year, or the offending observation), so failures can be
queried over time in SQL. Retention (:func:`compact`, after every append): every verdict change
is kept; identical repeats in consecutive runs are compacted into the streak's first row, which
records the streak's last run (``last_run_id``, ``last_validated_at``) and its length
(``n_runs``); the newest :data:`KEEP_RUNS` runs stay whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from typing import Any

from expectations.frames import read_sql

TABLE = "monitoring.validation_results"
#: Runs kept whole by :func:`compact` (the report and the GX checks read the latest run).
KEEP_RUNS = 2

#: Creates the schema and both tables when missing.
DDL = read_sql("monitoring_schema")


@dataclass(frozen=True)
class ResultRow:
    """One persisted row; ``row_kind`` is ``expectation`` (summary) or ``element`` (a failing row).

    ``row_kind`` and ``is_structural`` extend the §4 column list (added at the end, nullable), and
    so does what a target verdict rests on (docs/verdicts.md): the assessment ``status`` and the
    ``data_year``, ``data_source``, ``data_nature`` and 95 % interval (``ci_lower``/``ci_upper``)
    of the latest value behind it (null for quality rules).
    """

    run_id: str
    validated_at: datetime
    suite_name: str
    expectation_type: str
    expectation_id: str
    target_id: str | None
    plan_id: str | None
    indicator_code: str | None
    region_id: str | None
    year: int | None
    success: bool
    observed_value: float | None
    threshold: str | None
    severity: str
    lead_department: str | None
    nature: str | None
    source_quote: str | None
    message: str | None
    row_kind: str
    is_structural: bool
    status: str | None = None
    data_year: int | None = None
    data_source: str | None = None
    data_nature: str | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None


COLUMNS = [f.name for f in fields(ResultRow)]


def _arrow_types() -> dict[str, Any]:
    """The Arrow type of each column, from its annotation (``str | None`` → string …)."""
    import pyarrow as pa

    by_name = {
        "str": pa.string(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "float": pa.float64(),
        "datetime": pa.timestamp("us"),
    }
    return {f.name: by_name[str(f.type).split(" | ")[0]] for f in fields(ResultRow)}


#: Arrow types of :data:`COLUMNS` (every annotation of :class:`ResultRow` must map to one).
ARROW_TYPES = _arrow_types()

#: Columns added after CONTRACTS §4, in order, with their SQL types (nullable).
EXTENSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row_kind", "varchar"),
    ("is_structural", "boolean"),
    ("status", "varchar"),
    ("data_year", "integer"),
    ("data_source", "varchar"),
    ("data_nature", "varchar"),
    ("ci_lower", "double"),
    ("ci_upper", "double"),
    ("last_run_id", "varchar"),
    ("last_validated_at", "timestamp"),
    ("n_runs", "integer"),
)


def ensure_monitoring_schema(con: Any) -> None:
    """Create schema `monitoring` and the results table if missing (idempotent)."""
    con.execute(DDL)
    existing = {r[0] for r in con.execute(f"describe {TABLE}").fetchall()}
    # Older tables created with only the §4 columns get the extension columns added.
    for name, sql_type in EXTENSION_COLUMNS:
        if name not in existing:
            con.execute(f"alter table {TABLE} add column {name} {sql_type}")


def _insert(con: Any, rows: Sequence[ResultRow]) -> None:
    """Insert ``rows`` (in the caller's transaction)."""
    import pyarrow as pa

    # Column-wise, as Arrow: one attribute tuple per row, transposed (``dataclasses.astuple``
    # deep-copies every field: ~9 s for the 100,000 rows of a national run); DuckDB reads a pandas
    # object column value by value under the GIL, an Arrow one as buffers.
    columns = zip(*map(attrgetter(*COLUMNS), rows), strict=True)
    frame = pa.table(
        {
            name: pa.array(values, ARROW_TYPES[name])
            for name, values in zip(COLUMNS, columns, strict=True)
        }
    )
    con.register("_validation_rows", frame)
    try:
        con.execute(
            f"insert into {TABLE} ({', '.join(COLUMNS)}) "
            f"select {', '.join(COLUMNS)} from _validation_rows"
        )
    finally:
        con.unregister("_validation_rows")


@dataclass(frozen=True)
class CarriedRows:
    """A scoped suite's failing elements that stand from its baseline run (every region but the
    re-validated ``regions``), to be copied under run ``run_id`` (:func:`store`)."""

    suite_name: str
    baseline_run_id: str
    regions: tuple[str, ...]
    run_id: str
    validated_at: datetime


def carried_params(suite_name: str, baseline_run_id: str, regions: Sequence[str]) -> dict[str, Any]:
    """The parameters of ``carried_elements.sql``: the suite, its baseline run, the element
    rows, and the re-validated regions (whose elements do not stand)."""
    return {
        "suite_name": suite_name,
        "run_id": baseline_run_id,
        "row_kind": "element",
        "regions": list(regions),
    }


def carried_sql(outer: str) -> str:
    """SQL file ``outer`` (``carried_counts`` or ``carry_elements``) over the carried elements
    of a baseline (``carried_elements`` over ``baseline_rows``): one definition of which rows
    stand, for what a scoped run counts and what it records."""
    carried = read_sql("carried_elements").format(baseline=read_sql("baseline_rows"))
    return read_sql(outer).format(carried=carried)


def _carry(con: Any, carried: CarriedRows) -> int:
    """Copy ``carried`` under its new run (in the caller's transaction); returns the rows."""
    params = carried_params(carried.suite_name, carried.baseline_run_id, carried.regions)
    params |= {"new_run_id": carried.run_id, "validated_at": carried.validated_at}
    row = con.execute(carried_sql("carry_elements"), params).fetchone()
    return int(row[0]) if row else 0


def _compact(con: Any, keep_runs: int) -> None:
    """The retention statements (in the caller's transaction)."""
    for statement in read_sql("compact_validation_results").split(";\n"):
        if statement.strip():
            params = {"keep_runs": keep_runs} if "$keep_runs" in statement else None
            con.execute(statement, params)


def _count(con: Any) -> int:
    (rows,) = con.execute(f"select count(*) from {TABLE}").fetchone()
    return int(rows)


def store(
    con: Any,
    rows: Sequence[ResultRow],
    compact: bool = True,
    keep_runs: int = KEEP_RUNS,
    *,
    carried: Sequence[CarriedRows] = (),
) -> tuple[int, int]:
    """Append ``rows`` and the ``carried`` elements, and apply the retention policy
    (``compact``), in one transaction (one commit: at M each commit of a run's rows costs a
    second of WAL checkpoint). Carried rows are copied by SQL: a scoped run at M carries ~170,000
    failing elements, which cost ≈ 5 s as Python objects.

    Returns:
        (rows appended, carried included; rows removed by the retention policy).
    """
    ensure_monitoring_schema(con)
    before = _count(con)
    appended = len(rows)
    con.execute("begin transaction")
    try:
        if rows:
            _insert(con, rows)
        for spec in carried:
            appended += _carry(con, spec)
        if compact:
            _compact(con, keep_runs)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return appended, before + appended - _count(con)


def append_rows(con: Any, rows: Sequence[ResultRow]) -> int:
    """Append rows in one transaction (no retention); returns how many were written."""
    return store(con, rows, compact=False)[0]


def compact(con: Any, keep_runs: int = KEEP_RUNS) -> int:
    """Apply the retention policy (module docstring) in one transaction; returns rows removed.

    Idempotent: compacting again changes nothing until another run arrives.
    """
    return store(con, [], keep_runs=keep_runs)[1]
