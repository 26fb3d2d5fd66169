"""The landing zone as Dagster partitions: one dynamic partition per file.

A partition key is the file's path relative to ``HEALTHPLAN_RAW`` (POSIX separators), so the UI
lists every file and any single file can be re-run on its own.  A file's data version is ingestion's
identity of it (:func:`content_version`); the sensor records it as an observation of the
file's partition, so Dagster's event log — not the sensor cursor — remembers every file.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

#: Name of the dynamic partitions set (one partition per landing-zone file).
LANDING_FILES_NAME = "landing_files"
LANDING_FILES = dg.DynamicPartitionsDefinition(name=LANDING_FILES_NAME)
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def discover(raw_dir: Path) -> list[Path]:
    """Data files in the landing zone, as ``pipelines.ingest.discover_files`` defines them."""
    from pipelines.ingest import discover_files  # lazy: keep definitions importable

    return list(discover_files(Path(raw_dir)))


def partition_key(path: Path, raw_dir: Path) -> str:
    """Partition key of a landing-zone file: its POSIX path relative to the landing zone."""
    return Path(path).resolve().relative_to(Path(raw_dir).resolve()).as_posix()


def _with_sidecar(path: Path) -> list[Path]:
    from pipelines.ingest.sidecar import sidecar_path  # lazy: keep definitions importable

    sidecar = sidecar_path(path)
    return [path, sidecar] if sidecar.exists() else [path]


def changed_at_ns(path: Path) -> int:
    """When ``path`` or its sidecar last changed: the newest ctime or mtime, in ns.

    The ctime moves on every write, copy or rename into the landing zone, and cannot be set back
    (``cp -p`` or ``touch -d`` keep an old mtime but not an old ctime).
    """
    return max(max(p.stat().st_ctime_ns, p.stat().st_mtime_ns) for p in _with_sidecar(path))


def content_version(path: Path) -> str:
    """The landing file's data version: ingestion's own identity of it (its bytes + sidecar).

    One definition (``pipelines.ingest.arrivals.Content``): the sensor and ingestion agree on
    what "the same file" means.
    """
    from pipelines.ingest.arrivals import content_of  # lazy: keep definitions importable

    return content_of(path).token


def load_cursor(cursor: str | None) -> int:
    """The sensor cursor: files that changed before this time (ns) were already considered.

    One number, whatever the landing zone holds.  A cursor of an older format counts as none.
    """
    try:
        value = json.loads(cursor) if cursor else {}
        return int(value.get("considered_before_ns", 0)) if isinstance(value, dict) else 0
    except (ValueError, TypeError):
        return 0


def dump_cursor(considered_before_ns: int) -> str:
    """Serialise the sensor cursor."""
    return json.dumps({"considered_before_ns": considered_before_ns})


def range_tags(keys: list[str], ordered: list[str]) -> dict[str, str]:
    """Run tags selecting the contiguous span of ``ordered`` that covers every key in ``keys``.

    Dynamic partitions are ordered by when they were added, so new files form a tail range; a
    changed file further up widens the span.  Files inside the span that did not change are
    re-offered to ingestion, which skips them (``arrivals.changes_landing_zone``).
    """
    positions = sorted(ordered.index(k) for k in keys)
    return {RANGE_START_TAG: ordered[positions[0]], RANGE_END_TAG: ordered[positions[-1]]}
