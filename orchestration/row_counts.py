"""Row counts on the dbt models' materializations (``dagster/row_count``, shown in the UI).

dagster-dbt's ``DbtEventIterator.fetch_row_counts()`` counts rows through an in-process dbt
adapter while the dbt subprocess is still running. With DuckDB that cannot work: the dbt process
holds the database file's lock until it exits, so every count fails (logged, no metadata).

On DuckDB, dbt counts them itself: a post-hook of every table model writes its count to a file in
a folder the run names (dbt_project/macros/row_count_file.sql), read here as each model's event
arrives (:func:`with_streamed_row_counts`). Events pass on as dbt emits them, so Dagster records
them while dbt is still building instead of after it exits (≈ 740 events at ≈ 7 ms each in a full
build, docs/benchmark.md). On Spark the tables are read back into the DuckDB file only after dbt
exits, so there the events are held until then and counted on one read-only connection
(:func:`with_row_counts`). Views are never counted: that would run their query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipelines.db import scalar

ROW_COUNT = "dagster/row_count"
#: Environment variable naming the folder the dbt post-hook writes row counts to.
ROW_COUNTS_ENV = "HEALTHPLAN_ROW_COUNTS_DIR"

KeyForOutput = Callable[[str], dg.AssetKey]


def _relation(event: Any, key_for_output: KeyForOutput) -> tuple[str, str] | None:
    """``(schema, name)`` of the table a materialization event is about (None: not one)."""
    if isinstance(event, dg.Output):
        path = key_for_output(event.output_name).path
    elif isinstance(event, dg.AssetMaterialization):
        path = event.asset_key.path
    else:
        return None
    return (path[0], path[1]) if len(path) == 2 else None


def _with_count(event: Any, count: int) -> Any:
    return event.with_metadata({**(event.metadata or {}), ROW_COUNT: count})


def count_file(folder: Path, schema: str, name: str) -> Path:
    """Where the post-hook writes the row count of ``schema.name`` (macros/row_count_file.sql)."""
    return folder / f"{schema}.{name}.csv"


def with_streamed_row_counts(
    events: Iterable[Any], folder: Path, key_for_output: KeyForOutput
) -> Iterator[Any]:
    """``events`` as they arrive, a table's materialization carrying the row count dbt's
    post-hook wrote to ``folder`` before dbt reported the model done (none for a view).

    ``key_for_output`` maps an ``Output``'s name to its asset key
    (``context.asset_key_for_output``)."""
    for event in events:
        key = _relation(event, key_for_output)
        if key is not None:
            try:
                text = count_file(folder, *key).read_text(encoding="utf-8").strip()
            except OSError:
                text = ""
            if text.isdigit():
                event = _with_count(event, int(text))
        yield event


def _tables(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {
        (s, n)
        for s, n in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE'"
        ).fetchall()
    }


def with_row_counts(
    events: Iterable[Any], warehouse: Path, key_for_output: KeyForOutput
) -> Iterator[Any]:
    """``events``, held until dbt has exited, then passed on with each table's row count read
    from ``warehouse`` (Spark: the tables are in the DuckDB file only after the read-back)."""
    held = list(events)  # dbt has exited once its event stream is exhausted
    counts: dict[tuple[str, str], int] = {}
    keyed = [k for e in held if (k := _relation(e, key_for_output)) is not None]
    if keyed:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            tables = _tables(con)
            for key in keyed:
                if key in tables and key not in counts:
                    schema, name = key
                    counts[key] = scalar(con, f'select count(*) from "{schema}"."{name}"')
    for event in held:
        found = _relation(event, key_for_output)
        yield _with_count(event, counts[found]) if found in counts else event
