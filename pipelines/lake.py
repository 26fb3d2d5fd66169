"""The Parquet lake: validated raw tables as files a Spark target reads (docs/scale-out.md).

Ingestion validates and lands every file in DuckDB's ``raw`` schema (CONTRACTS §2), as always.
When the models are built on Spark, :func:`sync_lake` also writes those rows as Parquet under
``<lake>/<table>/``: one file per table and ingestion run, named by the run id, written once and
never rewritten (raw rows are never updated, so a run's rows never change). The Spark target
declares ``raw.<table>`` as external tables over these folders (macro ``register_lake_tables``).

Timestamps are written as UTC instants (Parquet ``isAdjustedToUTC``) so Spark reads them as its
TIMESTAMP type; with the Spark session time zone at UTC they show the same wall-clock values as
DuckDB's naive TIMESTAMP. A zero-row ``00000000-schema.parquet`` gives each folder its schema
before the first run that has rows for it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.ingest.schema import RAW_COLUMNS, RAW_DDL

#: File that carries a table's schema even when no run wrote a row to it.
SCHEMA_FILE = "00000000-schema.parquet"


@dataclass(frozen=True)
class LakeSync:
    """What one :func:`sync_lake` call wrote: files per table (0 when the lake was current)."""

    files: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.files.values())


def run_file_name(run_id: str) -> str:
    """The Parquet file name of one ingestion run (run ids are free text: keep it a file name)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", run_id) + ".parquet"


def _select(table: str) -> str:
    """Every column of ``raw.<table>``, naive timestamps as UTC instants."""
    timestamps = {
        line.split()[0]
        for line in RAW_DDL[table].strip().splitlines()
        if len(line.split()) > 1 and line.split()[1].rstrip(",") == "timestamp"
    }
    return ", ".join(
        f"cast({c} as timestamptz) as {c}" if c in timestamps else c for c in RAW_COLUMNS[table]
    )


def _copy(con: duckdb.DuckDBPyConnection, sql: str, params: list, dest: Path) -> None:
    """COPY a query to ``dest`` atomically (a reader never sees half a file)."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    con.execute(f"copy ({sql}) to '{tmp}' (format parquet)", params)
    os.replace(tmp, dest)


def sync_lake(warehouse: Path, lake: Path) -> LakeSync:
    """Write every ingestion run of ``raw.*`` that the lake does not hold yet.

    Args:
        warehouse: the DuckDB file ingestion wrote (opened read-only).
        lake: the lake root; ``<lake>/<table>/<run_id>.parquet`` files are added.

    Returns:
        How many files were written per table.
    """
    written: dict[str, int] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for table in RAW_DDL:
            folder = Path(lake) / table
            folder.mkdir(parents=True, exist_ok=True)
            select = f"select {_select(table)} from raw.{table}"
            if not (folder / SCHEMA_FILE).exists():
                _copy(con, f"{select} where false", [], folder / SCHEMA_FILE)
            have = {p.name for p in folder.glob("*.parquet")}
            runs = [
                r[0] for r in con.execute(f"select distinct run_id from raw.{table}").fetchall()
            ]
            todo = [run for run in sorted(runs) if run_file_name(run) not in have]
            for run in todo:
                _copy(con, f"{select} where run_id = ?", [run], folder / run_file_name(run))
            written[table] = len(todo)
    return LakeSync(written)
