"""Row counts on the dbt models' materializations (``dagster/row_count``, shown in the UI).

dagster-dbt's ``DbtEventIterator.fetch_row_counts()`` counts rows through an in-process dbt
adapter while the dbt subprocess is still running. With DuckDB that cannot work: the dbt process
holds the database file's lock until it exits, so every count fails (logged, no metadata). Here
the events of one ``dbt build`` are held back until dbt has exited, then every table the build
materialized is counted on one read-only connection and the events are passed on with
``dagster/row_count`` attached (views are not counted: that would run their query).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipelines.db import scalar

ROW_COUNT = "dagster/row_count"


def _tables(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {
        (s, n)
        for s, n in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE'"
        ).fetchall()
    }


def with_row_counts(
    events: Iterable[Any], warehouse: Path, key_for_output: Callable[[str], dg.AssetKey]
) -> Iterator[Any]:
    """``events`` unchanged, except that materializations of tables carry their row count.

    ``key_for_output`` maps an ``Output``'s name to its asset key
    (``context.asset_key_for_output``)."""
    held = list(events)  # dbt has exited once its event stream is exhausted

    def relation(event: Any) -> tuple[str, str] | None:
        if isinstance(event, dg.Output):
            path = key_for_output(event.output_name).path
        elif isinstance(event, dg.AssetMaterialization):
            path = event.asset_key.path
        else:
            return None
        return (path[0], path[1]) if len(path) == 2 else None

    counts: dict[tuple[str, str], int] = {}
    keyed = [e for e in held if relation(e) is not None]
    if keyed:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            tables = _tables(con)
            for event in keyed:
                key = relation(event)
                if key in tables and key not in counts:
                    schema, name = key
                    counts[key] = scalar(con, f'select count(*) from "{schema}"."{name}"')
    for event in held:
        key = relation(event)
        if key in counts:
            event = event.with_metadata({**(event.metadata or {}), ROW_COUNT: counts[key]})
        yield event
