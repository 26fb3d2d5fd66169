"""Query results as one Python list per column, read as the report reads warehouse values.

The report reads tens of thousands of rows; a dict per row and an ``as_float``/``as_int``/
``as_text`` call per value (:mod:`pipelines.db`) cost seconds there. Here a result is fetched
column by column and each column is converted once: where DuckDB's type already gives what the
helper would return (a DOUBLE is a float or None, an integer type an int, a VARCHAR a str) only
what differs is touched (NaN → None, None → ""); any other type goes through the helper value by
value, so the result is the helper's either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines.db import as_float, as_int, as_text

INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}


@dataclass(frozen=True)
class Columns:
    """A query's rows as ``name → list of values`` (in row order) with each column's DuckDB type."""

    values: dict[str, list[Any]]
    types: dict[str, str]

    def __len__(self) -> int:
        return len(next(iter(self.values.values()), []))

    def raw(self, name: str) -> list[Any]:
        """The column as DuckDB returned it."""
        return self.values[name]

    def floats(self, name: str) -> list[float | None]:
        """``as_float`` of every value of the column."""
        values, kind = self.values[name], self.types[name]
        if kind == "DOUBLE":
            return [
                v if v == v else None for v in values
            ]  # NaN is the only value not equal to itself
        return _each(as_float, values)

    def ints(self, name: str) -> list[int | None]:
        """``as_int`` of every value of the column."""
        values, kind = self.values[name], self.types[name]
        if kind in INTEGER_TYPES:  # int(float(v)) is v for any year, count or age
            return list(values)
        return _each(as_int, values)

    def texts(self, name: str) -> list[str]:
        """``as_text`` of every value of the column."""
        values, kind = self.values[name], self.types[name]
        if kind == "VARCHAR":
            return ["" if v is None else v for v in values]
        return _each(as_text, values)

    def take(self, indices: list[int]) -> Columns:
        """The rows at ``indices``, in that order."""
        return Columns({k: [v[i] for i in indices] for k, v in self.values.items()}, self.types)


def _each(convert: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    return [convert(v) for v in values]


def fetch_columns(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None
) -> Columns:
    """Every row of ``sql`` as :class:`Columns` (fetched as arrays: no Python object per row)."""
    cur = con.execute(sql, dict(params or {}))
    types = {d[0]: str(d[1]) for d in cur.description}
    # a masked array (a column with nulls) lists its nulls as None
    arrays = cur.fetchnumpy()
    return Columns({name: arrays[name].tolist() for name in types}, types)
