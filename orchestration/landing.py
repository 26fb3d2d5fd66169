"""The landing zone as Dagster partitions: one dynamic partition per file.

A partition key is the file's path relative to ``HEALTHPLAN_RAW`` (POSIX separators), so the UI
lists every file and any single file can be re-run on its own.  Fingerprints (mtime + size, plus the
content hash when those change) let the sensor tell new and changed files from untouched ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

LANDING_FILES = dg.DynamicPartitionsDefinition(name="landing_files")
#: Sidecar suffix (CONTRACTS §5): file-level metadata that changes how a data file is read.
SIDECAR_SUFFIX = ".source.yml"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def discover(raw_dir: Path) -> list[Path]:
    """Data files in the landing zone, as ``pipelines.ingest.discover_files`` defines them."""
    from pipelines.ingest import discover_files  # lazy: keep definitions importable

    return list(discover_files(Path(raw_dir)))


def partition_key(path: Path, raw_dir: Path) -> str:
    """Partition key of a landing-zone file: its POSIX path relative to the landing zone."""
    return Path(path).resolve().relative_to(Path(raw_dir).resolve()).as_posix()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes (streamed)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """What the sensor remembers of a file (and its sidecar) between ticks."""

    mtime_ns: int
    size: int
    sha256: str

    def to_list(self) -> list[object]:
        return [self.mtime_ns, self.size, self.sha256]


def _stat_parts(path: Path) -> tuple[int, int]:
    files = [path, path.with_name(path.name + SIDECAR_SUFFIX)]
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
    digest = hashlib.sha256(sha256_file(path).encode())
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        digest.update(sha256_file(sidecar).encode())
    return Fingerprint(mtime, size, digest.hexdigest())


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
    re-offered to ingestion, which skips them by content hash.
    """
    positions = sorted(ordered.index(k) for k in keys)
    return {RANGE_START_TAG: ordered[positions[0]], RANGE_END_TAG: ordered[positions[-1]]}
