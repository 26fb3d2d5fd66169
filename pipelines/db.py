"""Small DuckDB helpers shared by the pipelines, the report and the benchmark."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

#: The storage format of a warehouse file this code creates (DuckDB's
#: ``storage_compatibility_version``; docs/operations.md#storage-format). DuckDB's default writes
#: files that DuckDB 0.10.2 can still read, through older write paths: at M the big tables took
#: 25–35 % longer to write (stg_observations 9.2–10.3 s against 6.7–6.9 s, docs/benchmark.md).
#: The format is fixed when a file is created: an older warehouse keeps its own.
STORAGE_VERSION = "v1.5.0"


def connect_warehouse(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the DuckDB file ``path``; a missing file is first created in
    :data:`STORAGE_VERSION` (read-write only: a read-only open never creates a file).

    The format is given to a short first connection alone: DuckDB refuses two connections of one
    process to one file with different configurations, and every later connection, made without
    any, reads the format from the file.
    """
    target = Path(path)
    if not read_only and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        duckdb.connect(
            str(target), config={"storage_compatibility_version": STORAGE_VERSION}
        ).close()
    return duckdb.connect(str(target), read_only=read_only)


def storage_version(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> str | None:
    """The storage format of the database file attached as ``catalog`` (default: the connected
    one), e.g. ``v1.5.0+``; None in memory."""
    name = catalog or scalar(con, "select current_database()")
    return scalar(
        con,
        "select tags['storage_version'] from duckdb_databases() where database_name = ?",
        [name],
    )


#: Query parameters: positional (``?``) or named (``$name``, as the SQL files use).
Params = Sequence[Any] | Mapping[str, Any] | None


def _bound(params: Params) -> list[Any] | dict[str, Any]:
    """``params`` as DuckDB takes them: a dict for named parameters, else a list."""
    return dict(params) if isinstance(params, Mapping) else list(params or [])


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> Any:
    """The first column of the first row of ``sql`` (None when it returns no row)."""
    row = con.execute(sql, _bound(params)).fetchone()
    return row[0] if row else None


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> tuple[Any, ...]:
    """The first row of ``sql``; a query that returns no row is a bug here, so it raises."""
    row = con.execute(sql, _bound(params)).fetchone()
    if row is None:
        raise LookupError(f"no row from: {sql}")
    return row


def has_relation(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    """Whether ``schema.name`` exists as a table or view in the connected database."""
    schema, name = relation.split(".")
    return bool(
        scalar(
            con,
            "select count(*) from information_schema.tables where table_schema = ? "
            "and table_name = ?",
            [schema, name],
        )
    )


def column_names(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    """The column names of ``schema.name`` (empty when it does not exist)."""
    schema, name = relation.split(".")
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? "
        "and table_name = ?",
        [schema, name],
    ).fetchall()
    return {r[0] for r in rows}


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: Params = None
) -> list[dict[str, Any]]:
    """Every row of ``sql`` as a dict keyed by column name."""
    cur = con.execute(sql, _bound(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def as_float(value: Any) -> float | None:
    """A value read back from the warehouse as a float; None for null, NaN or non-numbers."""
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def as_int(value: Any) -> int | None:
    """:func:`as_float`, truncated to an int (None stays None)."""
    number = as_float(value)
    return None if number is None else int(number)


def as_text(value: Any) -> str:
    """A value read back from the warehouse as text; "" for null and NaN."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
