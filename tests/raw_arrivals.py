"""A loaded arrival in ``raw.ingested_files``, recorded as ingestion records one, for the test
fixtures that write raw rows themselves: the rows of a table stored by arrival are keyed by it
(CONTRACTS §2, ``pipelines.ingest.schema``)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from pipelines.ingest.schema import ARRIVAL_KEY, FILE_LINEAGE, next_arrival_id


def record_loaded_arrival(
    con: duckdb.DuckDBPyConnection, lineage: Sequence[object], rows: int = 0
) -> int:
    """Record a ``loaded`` arrival of ``lineage`` (values of ``FILE_LINEAGE``, in its order)
    that read and loaded ``rows`` rows; returns its key."""
    arrival = next_arrival_id(con)
    con.execute(
        f"insert into raw.ingested_files ({', '.join(FILE_LINEAGE)}, status, rows_read, "
        f"rows_loaded, rows_quarantined, {ARRIVAL_KEY}) values (?, ?, ?, ?, 'loaded', ?, ?, 0, ?)",
        [*lineage, rows, rows, arrival],
    )
    return arrival
