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
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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
from pipelines.ingest.errors import FileRejectedError, failure_message
from pipelines.ingest.loading import insert_validated
from pipelines.ingest.prepare import Arrival, Prepared, prepare
from pipelines.ingest.registers import ingest_register
from pipelines.ingest.result import FileResult
from pipelines.ingest.schema import ARRIVAL_KEY, RAW_COLUMNS, ensure_raw_schema, next_arrival_id
from pipelines.ingest.sidecar import SIDECAR_SUFFIX
from pipelines.reference import Reference, load_reference

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


def _write_rows(con: duckdb.DuckDBPyConnection, arrival: Arrival, prepared: Prepared) -> None:
    """Write a prepared file's rows (inside its transaction); fills ``result`` for a register.

    Raises:
        FileRejectedError: the file is rejected (found while parsing, or by the register's
            aggregation).
    """
    if prepared.rejected is not None:
        raise FileRejectedError(prepared.rejected)
    if prepared.validated is not None:
        insert_validated(con, prepared.validated, arrival.ctx)
        return
    assert prepared.register is not None
    register, ref, desc, delimiter = prepared.register
    tally = ingest_register(con, register, ref, desc, arrival.ctx, delimiter=delimiter)
    if tally.rows_read == 0:
        raise FileRejectedError("the register has a header but no records")
    result = arrival.result
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
    if not schema_ready:
        started = time.perf_counter()
        try:
            ensure_raw_schema(con)
        except Exception as exc:  # noqa: BLE001 — reported per file; KeyboardInterrupt propagates
            rel = _relative(Path(path), raw_dir)
            return _failed(rel, failure_message(rel, exc), started)
    return next(iter(ingest_files(con, [path], raw_dir, run_id, reference=reference)))


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    raw_dir: Path,
    run_id: str,
    *,
    reference: Reference | None = None,
) -> Iterator[FileResult]:
    """Ingest files in order, each in its own transaction, as :func:`ingest_file` does; yields
    each file's result after its commit.

    While one file is written, the next new arrival is parsed and validated on a second thread
    (polars and DuckDB release the GIL, so the two overlap on two cores); the warehouse is only
    ever used from the caller's thread, in landing-zone order. ``raw`` must exist
    (:func:`ensure_raw_schema`).
    """
    ref: Reference | None = reference
    ahead: deque[tuple[Arrival, Future[Prepared]] | FileResult] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-prepare") as pool:
        try:
            for path in paths:
                planned = _plan(con, Path(path), raw_dir, run_id)
                if isinstance(planned, Arrival):
                    try:
                        ref = ref or load_reference()
                    except Exception as exc:  # noqa: BLE001 — reported per file, as any error
                        text = failure_message(planned.rel, exc)
                        ahead.append(_failed(planned.rel, text, planned.started))
                    else:
                        ahead.append((planned, pool.submit(prepare, planned, ref)))
                else:
                    ahead.append(planned)
                while len(ahead) > 1:  # keep one file being prepared while this one writes
                    yield _finish(con, ahead.popleft())
            while ahead:
                yield _finish(con, ahead.popleft())
        finally:
            for item in ahead:
                if not isinstance(item, FileResult):
                    item[1].cancel()


def _plan(
    con: duckdb.DuckDBPyConnection, path: Path, raw_dir: Path, run_id: str
) -> Arrival | FileResult:
    """A file's result when it is unchanged since its latest arrival (or cannot be read), else
    the new arrival with its lineage (arrival key and time, in landing-zone order)."""
    rel = _relative(path, raw_dir)
    started = time.perf_counter()
    try:
        content = content_of(path)
        latest = latest_arrival(con, rel)
        if not changes_landing_zone(latest, content):
            assert latest is not None
            return FileResult(
                file_path=rel,
                status="skipped",
                file_hash=content.file_hash,
                message=f"{rel}: unchanged since its arrival at {latest.ingested_at} "
                f"(status {latest.status})",
                seconds=round(time.perf_counter() - started, 4),
            )
        ctx = FileContext(
            file_path=rel,
            file_hash=content.file_hash,
            ingested_at=arrival_time(),
            run_id=run_id,
            arrival_id=next_arrival_id(con),
        )
        mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    except Exception as exc:  # noqa: BLE001 — reported per file; KeyboardInterrupt propagates
        return _failed(rel, failure_message(rel, exc), started)
    result = FileResult(file_path=rel, status=LOADED, file_hash=content.file_hash)
    return Arrival(path, rel, content, ctx, mtime, result, started)


def _failed(rel: str, message: str, started: float) -> FileResult:
    return FileResult(
        file_path=rel,
        status="failed",
        message=message,
        seconds=round(time.perf_counter() - started, 4),
    )


def _finish(
    con: duckdb.DuckDBPyConnection, item: tuple[Arrival, Future[Prepared]] | FileResult
) -> FileResult:
    """Write a planned file in its own transaction once it is prepared; its result."""
    if isinstance(item, FileResult):
        return item
    arrival, future = item
    prepared = future.result()
    started = time.perf_counter()
    if prepared.failed is not None:
        result = _failed(arrival.rel, prepared.failed, started)
    else:
        try:
            result = _transaction(con, arrival, prepared)
        except Exception as exc:  # noqa: BLE001 — reported per file; KeyboardInterrupt propagates
            result = _failed(arrival.rel, failure_message(arrival.rel, exc), started)
    # the file's own work: its preparation and its write (not the time it waited in line)
    result.seconds = round(prepared.seconds + time.perf_counter() - started, 4)
    return result


def _transaction(
    con: duckdb.DuckDBPyConnection, arrival: Arrival, prepared: Prepared
) -> FileResult:
    """The file's rows (or its rejection) and its ``raw.ingested_files`` row, one transaction."""
    result = arrival.result
    con.begin()
    try:
        try:
            _write_rows(con, arrival, prepared)
        except FileRejectedError as exc:
            con.rollback()
            con.begin()
            text = str(exc)
            result = FileResult(
                file_path=arrival.rel,
                status=REJECTED,
                file_hash=arrival.content.file_hash,
                file_format=result.file_format,
                encoding=result.encoding,
            )
            result.message = text if text.startswith(arrival.rel) else f"{arrival.rel}: {text}"
        _record(con, result, arrival.ctx, arrival.mtime, arrival.content.sidecar_hash)
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
            results = list(
                ingest_files(con, discover_files(raw_dir), raw_dir, run_id, reference=reference)
            )
    finally:
        con.close()
    if lake is not None:
        from pipelines.lake import sync_lake

        sync_lake(Path(db_path), Path(lake))
    return results
