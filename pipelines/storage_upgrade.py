"""Move a warehouse file made before :data:`pipelines.db.STORAGE_VERSION` to that format.

DuckDB fixes a file's storage format when it creates the file; a warehouse made by an earlier
version of this code (DuckDB's 0.10.2-compatible default) keeps its slower writes for good. The
upgrade copies every schema, table, view, sequence, macro and comment into a new file of the
current format (DuckDB's ``COPY FROM DATABASE``), checks that every table has the same number of
rows, and only then swaps the files: the old one is kept beside it (``*.before-upgrade.duckdb``)
until its owner deletes it. The caller holds the writer lock (``healthplan upgrade-storage``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.db import STORAGE_VERSION, scalar, storage_version

#: The format tag DuckDB reports for a file in :data:`STORAGE_VERSION`.
CURRENT = f"{STORAGE_VERSION}+"


@dataclass(frozen=True)
class StorageUpgrade:
    """What :func:`upgrade_storage` did: the format found, the format now, the kept old file
    (None when nothing was done) and the rows copied per ``schema.table``."""

    path: Path
    found: str | None
    now: str | None
    backup: Path | None
    rows: dict[str, int]


def format_note(found: str | None) -> str:
    """What ``healthplan status`` says of a warehouse file in storage format ``found``."""
    if found == CURRENT:
        return f"{found} (current)"
    return (
        f"{found} (older than {STORAGE_VERSION}, slower writes: `healthplan upgrade-storage` "
        f"rewrites it; docs/operations.md#storage-format)"
    )


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _row_counts(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?", [catalog]
    ).fetchall()
    counts = {}
    for schema, table in tables:
        counts[f"{schema}.{table}"] = int(
            scalar(con, f'select count(*) from {catalog}."{schema}"."{table}"')
        )
    return counts


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)


def _copy(path: Path, staging: Path) -> tuple[dict[str, int], dict[str, int], str | None]:
    """Copy the database ``path`` into a new file ``staging`` of the current format; returns the
    row counts per table of both and the new file's format."""
    with duckdb.connect() as con:
        con.execute(f"attach {_literal(path)} as old_file (read_only)")
        con.execute(f"attach {_literal(staging)} as new_file (storage_version '{STORAGE_VERSION}')")
        con.execute("copy from database old_file to new_file")
        before, after = _row_counts(con, "old_file"), _row_counts(con, "new_file")
        now = storage_version(con, "new_file")
        # fold the copy's log into the file before it is moved: a log left beside the staging
        # name would not follow the file
        con.execute("checkpoint new_file")
        con.execute("detach new_file")
        con.execute("detach old_file")
    return before, after, now


def upgrade_storage(path: Path) -> StorageUpgrade:
    """Rewrite the warehouse ``path`` in the current storage format (a no-op when it is already).

    Raises:
        FileNotFoundError: no warehouse at ``path``.
        RuntimeError: a table's row count differs after the copy (the original is untouched).
    """
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}")
    with duckdb.connect(str(path)) as con:
        found = storage_version(con)
        if found == CURRENT:
            return StorageUpgrade(path, found, found, None, {})
        con.execute("checkpoint")  # the copy reads the file alone, its WAL folded in
    staging = path.with_name(f"{path.name}.upgrading")
    _remove(staging)
    try:
        before, after, now = _copy(path, staging)
        if Path(f"{staging}.wal").exists():
            raise RuntimeError(f"the copy of {path} left a write-ahead log; nothing was replaced")
        if before != after:
            changed = sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            )
            raise RuntimeError(f"the copy of {path} differs in {changed}; nothing was replaced")
    except BaseException:
        _remove(staging)  # a failed copy leaves no half-written file beside the warehouse
        raise
    backup = path.with_name(f"{path.stem}.before-upgrade{path.suffix}")
    _remove(backup)
    os.replace(path, backup)
    os.replace(staging, path)
    return StorageUpgrade(path, found, now, backup, after)
