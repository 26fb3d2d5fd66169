"""Ingesting landing-zone files into schema ``raw``: one file = one DuckDB transaction.

Guarantees (CONTRACTS §2):
- lineage (file hash, path, sheet, row, ingestion time, run) on every row written;
- a file is ingested exactly when it is a new *arrival* (``pipelines.ingest.arrivals``): its
  bytes or sidecar differ from its path's latest arrival — a revision, a restore of earlier
  bytes, or the same bytes under a new name; an unchanged file is ``skipped``;
- a file either lands completely (data rows, quarantined rows and its ``raw.ingested_files`` row
  in one transaction) or not at all, so a run killed mid-file leaves nothing and the next run
  simply ingests the file again;
- for every file, rows_read = rows_loaded + rows_quarantined.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.db import connect_warehouse
from pipelines.ingest.arrivals import (
    LOADED,
    REJECTED,
    arrival_time,
    changes_landing_zone,
    content_of,
    latest_arrival,
)
from pipelines.ingest.context import FileContext
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.layout import HeaderInfo
from pipelines.ingest.loading import records_by_table, validate_and_insert
from pipelines.ingest.readers import file_format
from pipelines.ingest.registers import RegisterFile, ingest_register
from pipelines.ingest.result import FileResult
from pipelines.ingest.schema import ARRIVAL_KEY, RAW_COLUMNS, ensure_raw_schema, next_arrival_id
from pipelines.ingest.sidecar import SIDECAR_SUFFIX, SourceDescription, load_sidecar
from pipelines.ingest.tables import (
    REGISTERS,
    read_tables,
)
from pipelines.reference import Reference, ReferenceDataError, load_reference

#: The write-ahead log a batch of files may grow to before DuckDB checkpoints in the middle of it.
#: Each file still commits on its own (its rows are durable in the log at its commit); at the
#: default 16 MB a 110 k-row count file (≈ 20 MB of log) checkpoints at every commit, which at L
#: cost 4.5 s over ten files against 3.2 s for one checkpoint of the whole batch. Most of that
#: checkpoint is DuckDB's vacuum merging the part-filled row groups each thread of an insert
#: leaves; turning the vacuum off only moves it to the next checkpoint (docs/benchmark.md).
BATCH_CHECKPOINT_THRESHOLD = "1GB"

#: files in the landing zone that are documentation, not data.
_IGNORED_SUFFIXES = (".md",)


def discover_files(raw_dir: Path) -> list[Path]:
    """Data files under ``raw_dir`` in ingestion order: file mtime, then relative path.

    Hidden files/folders, ``*.source.yml`` sidecars and Markdown notes are not data files; every
    other file is returned (an unsupported type is then *rejected*, never silently ignored).
    """
    raw_dir = Path(raw_dir)
    found = []
    for path in raw_dir.rglob("*"):
        rel = path.relative_to(raw_dir)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if path.name.endswith(SIDECAR_SUFFIX) or path.suffix.lower() in _IGNORED_SUFFIXES:
            continue
        found.append(path)
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.relative_to(raw_dir).as_posix()))


def _relative(path: Path, raw_dir: Path) -> str:
    try:
        return path.resolve().relative_to(Path(raw_dir).resolve()).as_posix()
    except ValueError:
        return path.name


def _load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    rel: str,
    ctx: FileContext,
    ref: Reference,
    result: FileResult,
) -> None:
    """Parse and insert one file's rows; fills ``result``. Raises FileRejectedError."""
    fmt = file_format(path)
    result.file_format = fmt
    desc = load_sidecar(path)
    try:
        ref = ref.with_region_aliases(desc.region_map).with_indicator_aliases(desc.indicator_map)
    except ReferenceDataError as exc:
        raise FileRejectedError(f"sidecar {desc.path}: {exc}") from exc
    read = read_tables(path, rel, fmt, desc)
    result.encoding = read.decoded.encoding if read.decoded else None
    first = read.tables[0]
    if first.header.layout in REGISTERS:  # a register is one table (CSV or Parquet)
        _load_register(con, path, fmt, first.header, ref, desc, ctx, result)
        return
    records = records_by_table(read, rel, ref, desc, result)
    validate_and_insert(con, records, read, rel, ref, desc, ctx, result)


def _load_register(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fmt: str,
    header: HeaderInfo,
    ref: Reference,
    desc: SourceDescription,
    ctx: FileContext,
    result: FileResult,
) -> None:
    """Aggregate a register in DuckDB (:mod:`pipelines.ingest.registers`); fills ``result``."""
    columns = {c: header.names[j] for c, j in header.columns.items()}
    if "region" not in columns:
        raise FileRejectedError(f"{header.layout} needs a region column")
    tally = ingest_register(
        con,
        RegisterFile(path, fmt, result.encoding, header.layout, columns, header.index),
        ref,
        desc,
        ctx,
        delimiter=header.delimiter,
    )
    if tally.rows_read == 0:
        raise FileRejectedError("the register has a header but no records")
    result.layout = header.layout
    result.rows_read = tally.rows_read
    result.rows_loaded = tally.rows_loaded
    result.rows_quarantined = tally.rows_quarantined


def _record(
    con: duckdb.DuckDBPyConnection,
    result: FileResult,
    ctx: FileContext,
    mtime: datetime,
    sidecar_hash: str | None,
) -> None:
    columns = ", ".join([*RAW_COLUMNS["ingested_files"], ARRIVAL_KEY])
    con.execute(
        f"insert into raw.ingested_files ({columns}) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.file_hash,
            result.file_path,
            result.file_format,
            result.layout,
            result.encoding,
            result.status,
            result.message,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            mtime,
            ctx.ingested_at,
            ctx.run_id,
            sidecar_hash,
            ctx.arrival_id,
        ],
    )


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    raw_dir: Path,
    run_id: str,
    *,
    reference: Reference | None = None,
    schema_ready: bool = False,
) -> FileResult:
    """Ingest one landing-zone file in its own transaction (idempotent by content hash).

    Args:
        con: open read-write connection (no transaction active).
        path: the file.
        raw_dir: landing-zone root; ``file_path`` lineage is relative to it.
        run_id: identifier of the run, stored on every row.
        reference: lookups to resolve against (default: :func:`load_reference` on the seeds).
        schema_ready: the caller has run :func:`ensure_raw_schema` on ``con`` (a batch does it
            once, not a dozen catalog statements per file); otherwise this call does.

    Returns:
        The :class:`FileResult`. An unexpected error rolls the file back and returns status
        ``failed`` (nothing recorded, so the next run retries); KeyboardInterrupt propagates.
    """
    path = Path(path)
    rel = _relative(path, raw_dir)
    started = time.perf_counter()
    try:
        if not schema_ready:
            ensure_raw_schema(con)
        result = _ingest_one(con, path, rel, run_id, reference)
    except Exception as exc:  # noqa: BLE001 — reported per file; KeyboardInterrupt propagates
        result = FileResult(
            file_path=rel, status="failed", message=f"{rel}: {type(exc).__name__}: {exc}"
        )
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    rel: str,
    run_id: str,
    reference: Reference | None,
) -> FileResult:
    content = content_of(path)
    file_hash = content.file_hash
    result = FileResult(file_path=rel, status=LOADED, file_hash=file_hash)
    latest = latest_arrival(con, rel)
    if not changes_landing_zone(latest, content):
        assert latest is not None
        result.status = "skipped"
        result.message = (
            f"{rel}: unchanged since its arrival at {latest.ingested_at} (status {latest.status})"
        )
        return result
    ref = reference or load_reference()
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    ctx = FileContext(
        file_path=rel,
        file_hash=file_hash,
        ingested_at=arrival_time(),
        run_id=run_id,
        arrival_id=next_arrival_id(con),
    )
    con.begin()
    try:
        try:
            _load(con, path, rel, ctx, ref, result)
        except FileRejectedError as exc:
            con.rollback()
            con.begin()
            text = str(exc)
            result = FileResult(
                file_path=rel,
                status=REJECTED,
                file_hash=file_hash,
                file_format=result.file_format,
                encoding=result.encoding,
            )
            result.message = text if text.startswith(rel) else f"{rel}: {text}"
        _record(con, result, ctx, mtime, content.sidecar_hash)
        con.commit()
    except BaseException:
        con.rollback()  # nothing of this file remains; the next run ingests it again
        raise
    return result


@contextmanager
def one_checkpoint(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Ingest a batch of files with one checkpoint at its end, not one per file's commit.

    Every file keeps its own transaction; only the moment the log is folded into the database
    file moves (:data:`BATCH_CHECKPOINT_THRESHOLD`). The checkpoint runs even when a file failed,
    so the next open of the warehouse has no log to replay.
    """
    con.execute(f"set checkpoint_threshold = '{BATCH_CHECKPOINT_THRESHOLD}'")
    try:
        yield
    finally:
        con.execute("reset checkpoint_threshold")
        con.execute("checkpoint")


def ingest_all(
    db_path: Path,
    raw_dir: Path,
    run_id: str | None = None,
    *,
    seeds_dir: Path | None = None,
    lake: Path | None = None,
) -> list[FileResult]:
    """Ingest every data file of ``raw_dir`` into the DuckDB file ``db_path`` (mtime order).

    A file that fails unexpectedly is rolled back and reported ``failed``; the others still load.
    With ``lake`` (the models run on Spark) the validated raw rows are also written there as
    Parquet (:func:`pipelines.lake.sync_lake`).
    """
    run_id = run_id or f"ingest-{uuid.uuid4().hex[:12]}"
    reference = load_reference(seeds_dir)
    con = connect_warehouse(db_path)
    results = []
    try:
        ensure_raw_schema(con)
        with one_checkpoint(con):
            for path in discover_files(raw_dir):
                results.append(
                    ingest_file(con, path, raw_dir, run_id, reference=reference, schema_ready=True)
                )
    finally:
        con.close()
    if lake is not None:
        from pipelines.lake import sync_lake

        sync_lake(Path(db_path), Path(lake))
    return results
