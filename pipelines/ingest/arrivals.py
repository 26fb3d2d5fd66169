"""Arrivals: the one definition of "has the landing zone changed what it says?" (CONTRACTS §2).

An **arrival** is one observation of a landing-zone path with its content: ``(path, file hash,
sidecar hash, observed at)``. ``raw.ingested_files`` holds one row per arrival (status
``loaded``, ``rejected`` or ``retracted``), and the rows an arrival loaded carry its ``file_path``
and ``ingested_at``. The rules:

- **Per path, the latest arrival wins.** A path's current content is what its latest arrival
  loaded; rows of its earlier arrivals are history. A rejected latest arrival means the path
  currently says nothing usable; a ``retracted`` one (``healthplan retract PATH``) that it says
  nothing at all.
- **Per key, the latest current row wins** across paths (arrival time, then path, then row).
- **A file is a new arrival** exactly when its ``(file hash, sidecar hash)`` differs from its
  path's latest arrival (or the path has none). That covers a revision (v1 → v2), a restore of
  earlier bytes (v2 → v1) and a re-issue of the same bytes under a new name; re-offering an
  unchanged file is a no-op.
- **A file deleted from the landing zone is kept**: its rows stay current until the path is
  retracted on request (``healthplan retract PATH``, only once the file is gone, since a file
  still present says what it says).

dbt applies the first two rules (macro ``latest_revision``); the sensor and ingestion ask
:func:`changes_landing_zone`; nothing else decides it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.ingest.schema import next_arrival_id
from pipelines.ingest.sidecar import sidecar_path

#: Statuses of an arrival row in ``raw.ingested_files``.
LOADED, REJECTED, RETRACTED = "loaded", "rejected", "retracted"


def file_sha256(path: Path) -> str:
    """sha256 hex digest of a file's bytes (streamed). The only file hash of the project."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Content:
    """What a path holds now: its bytes and its description (sidecar), as hashes."""

    file_hash: str
    sidecar_hash: str | None

    @property
    def token(self) -> str:
        """One string for both hashes (sensor cursor, run keys)."""
        return f"{self.file_hash}:{self.sidecar_hash or ''}"


def content_of(path: Path) -> Content:
    """Hash a data file and its sidecar (each read once)."""
    side = sidecar_path(Path(path))
    return Content(file_sha256(path), file_sha256(side) if side.exists() else None)


@dataclass(frozen=True)
class LatestArrival:
    """The latest recorded arrival of one path."""

    file_path: str
    status: str
    content: Content
    ingested_at: datetime


def latest_arrival(con: duckdb.DuckDBPyConnection, rel: str) -> LatestArrival | None:
    """The latest arrival recorded for landing-zone path ``rel`` (None: never seen)."""
    row = con.execute(
        "select status, file_hash, sidecar_hash, ingested_at from raw.ingested_files "
        "where file_path = ? order by ingested_at desc limit 1",
        [rel],
    ).fetchone()
    if row is None:
        return None
    return LatestArrival(rel, row[0], Content(row[1], row[2]), row[3])


def changes_landing_zone(latest: LatestArrival | None, content: Content) -> bool:
    """True when a path now holding ``content`` is a new arrival (see module docstring)."""
    return latest is None or latest.status == RETRACTED or latest.content != content


_last_stamp: datetime | None = None


def arrival_time() -> datetime:
    """Naive-UTC arrival timestamp, strictly increasing within the process (orders arrivals)."""
    global _last_stamp
    stamp = datetime.now(UTC).replace(tzinfo=None)
    if _last_stamp is not None and stamp <= _last_stamp:
        stamp = _last_stamp + timedelta(microseconds=1)
    _last_stamp = stamp
    return stamp


class RetractionError(ValueError):
    """A retraction that would contradict the landing zone or the history."""


def retract(con: duckdb.DuckDBPyConnection, rel: str, raw_dir: Path, run_id: str) -> LatestArrival:
    """Record that path ``rel`` (gone from the landing zone) no longer says anything.

    Appends a ``retracted`` arrival to ``raw.ingested_files``; nothing is deleted, so the path's
    earlier arrivals stay queryable as of any earlier time. Returns the retracted arrival.

    Raises:
        RetractionError: the file is still in the landing zone, was never ingested, or is
            already retracted.
    """
    if (Path(raw_dir) / rel).exists():
        raise RetractionError(
            f"{rel}: still in the landing zone {raw_dir}; a file present says what it says — "
            "remove it first, then retract"
        )
    latest = latest_arrival(con, rel)
    if latest is None:
        raise RetractionError(f"{rel}: no arrival recorded for this path; nothing to retract")
    if latest.status == RETRACTED:
        raise RetractionError(f"{rel}: already retracted at {latest.ingested_at}")
    at = arrival_time()
    message = (
        f"{rel}: retracted on request (file removed from the landing zone); "
        f"its rows up to {latest.ingested_at} stay queryable as of earlier times"
    )
    con.execute(
        "insert into raw.ingested_files (file_hash, file_path, status, message, rows_read, "
        "rows_loaded, rows_quarantined, ingested_at, run_id, sidecar_hash, arrival_id) "
        "values (?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?)",
        [
            latest.content.file_hash,
            rel,
            RETRACTED,
            message,
            at,
            run_id,
            latest.content.sidecar_hash,
            next_arrival_id(con),
        ],
    )
    return LatestArrival(rel, RETRACTED, latest.content, at)
