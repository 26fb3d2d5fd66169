"""Small DuckDB helpers shared by the pipelines, the report and the benchmark."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> Any:
    """The first column of the first row of ``sql`` (None when it returns no row)."""
    row = con.execute(sql, list(params or [])).fetchone()
    return row[0] if row else None


def first_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None
) -> tuple[Any, ...]:
    """The first row of ``sql``; a query that returns no row is a bug here, so it raises."""
    row = con.execute(sql, list(params or [])).fetchone()
    if row is None:
        raise LookupError(f"no row from: {sql}")
    return row
