"""The landing zone as Dagster partitions: one dynamic partition per file.

A partition key is the file's path relative to ``HEALTHPLAN_RAW`` (POSIX separators), so the UI
lists every file and any single file can be re-run on its own.  Fingerprints (mtime + size, plus the
content hash when those change) let the sensor tell new and changed files from untouched ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

LANDING_FILES = dg.DynamicPartitionsDefinition(name="landing_files")
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def discover(raw_dir: Path) -> list[Path]:
    """Data files in the landing zone, as ``pipelines.ingest.discover_files`` defines them."""
    from pipelines.ingest import discover_files  # lazy: keep definitions importable

    return list(discover_files(Path(raw_dir)))


def partition_key(path: Path, raw_dir: Path) -> str:
    """Partition key of a landing-zone file: its POSIX path relative to the landing zone."""
    return Path(path).resolve().relative_to(Path(raw_dir).resolve()).as_posix()


@dataclass(frozen=True)
class Fingerprint:
    """What the sensor remembers of a file (and its sidecar) between ticks."""

    mtime_ns: int
    size: int
    sha256: str  # arrivals.Content.token: file hash + sidecar hash

    def to_list(self) -> list[object]:
        return [self.mtime_ns, self.size, self.sha256]


def _stat_parts(path: Path) -> tuple[int, int]:
    from pipelines.ingest.sidecar import sidecar_path

    files = [path, sidecar_path(path)]
    mtime, size = 0, 0
    for f in files:
        if f.exists():
            st = f.stat()
            mtime = max(mtime, st.st_mtime_ns)
            size += st.st_size
    return mtime, size


def fingerprint(path: Path, previous: list[object] | None = None) -> Fingerprint:
    """Fingerprint ``path`` and its sidecar; re-hash only if mtime or size moved since ``previous``."""
    mtime, size = _stat_parts(path)
    if previous and previous[0] == mtime and previous[1] == size:
        return Fingerprint(mtime, size, str(previous[2]))
    from pipelines.ingest.arrivals import content_of

    return Fingerprint(mtime, size, content_of(path).token)


def load_cursor(cursor: str | None) -> dict[str, list[object]]:
    """Parse the sensor cursor (JSON ``{partition_key: [mtime_ns, size, sha256]}``)."""
    return json.loads(cursor) if cursor else {}


def dump_cursor(state: dict[str, list[object]]) -> str:
    """Serialise the sensor cursor deterministically."""
    return json.dumps(state, sort_keys=True, separators=(",", ":"))


def range_tags(keys: list[str], ordered: list[str]) -> dict[str, str]:
    """Run tags selecting the contiguous span of ``ordered`` that covers every key in ``keys``.

    Dynamic partitions are ordered by when they were added, so new files form a tail range; a
    changed file further up widens the span.  Files inside the span that did not change are
    re-offered to ingestion, which skips them (``arrivals.changes_landing_zone``).
    """
    positions = sorted(ordered.index(k) for k in keys)
    return {RANGE_START_TAG: ordered[positions[0]], RANGE_END_TAG: ordered[positions[-1]]}
