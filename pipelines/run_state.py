"""Is the warehouse already up to date with its inputs? (lets a re-run with nothing new be a no-op)

A run's result depends on: the landing-zone files (bytes + sidecars), the reference data, models,
suites and code, and the assessment year (targets are judged "as of" today). After a successful,
published run we record a fingerprint of all of them next to the warehouse; ``healthplan run``
compares it before doing any work. Any change to any input, or to either DuckDB file by another
command (``healthplan ingest``/``validate``), makes the fingerprint stale and the run rebuilds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import PROJECT_ROOT, Settings

#: Source trees whose content changes what a run produces.
CODE_TREES: tuple[str, ...] = (
    "dbt_project/models",
    "dbt_project/macros",
    "dbt_project/seeds",
    "dbt_project/tests",
    "dbt_project/dbt_project.yml",
    "expectations",
    "pipelines",
    "orchestration",
)
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json"}


def hash_tree(digest: hashlib._Hash, root: Path, base: Path, suffixes: set[str] | None) -> None:
    """Feed ``digest`` each file's path (relative to ``base``) and content hash, in path order.

    ``root`` is a file or a folder; ``suffixes`` limits which files count (None: all).
    """
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
            continue
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def inputs_fingerprint(settings: Settings, today: dt.date | None = None) -> str:
    """sha256 over every input of a run: landing zone, reference data, models, suites, code, year."""
    digest = hashlib.sha256()
    digest.update(str((today or dt.date.today()).year).encode())
    if settings.raw.exists():
        hash_tree(digest, settings.raw, settings.raw, None)
    for rel in CODE_TREES:
        path = PROJECT_ROOT / rel
        if path.exists():
            hash_tree(digest, path, PROJECT_ROOT, CODE_SUFFIXES)
    return digest.hexdigest()


def read_stamp(path: Path) -> list[int] | None:
    """Size and mtime of a file (None if missing): detects a rewrite by any other command."""
    if not path.exists():
        return None
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


@dataclass(frozen=True)
class RunState:
    """What the last successful, published run recorded."""

    fingerprint: str
    run_id: str
    finished_at: str
    warehouse: list[int] | None
    published: list[int] | None


def state_path(settings: Settings) -> Path:
    """Where the state is kept: beside the working warehouse (deleted with it by ``make clean``)."""
    return settings.warehouse.with_name(settings.warehouse.name + ".state.json")


def read_state(settings: Settings) -> RunState | None:
    """The recorded state, or None when there is none or it is unreadable."""
    try:
        return RunState(**json.loads(state_path(settings).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def write_state(settings: Settings, fingerprint: str, run_id: str) -> RunState:
    """Record a successful, published run (call it after the run, under the writer lock)."""
    state = RunState(
        fingerprint=fingerprint,
        run_id=run_id,
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        warehouse=read_stamp(settings.warehouse),
        published=read_stamp(settings.published),
    )
    path = state_path(settings)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state.__dict__, indent=2), encoding="utf-8")
    tmp.replace(path)
    return state


def up_to_date(settings: Settings, fingerprint: str) -> RunState | None:
    """The recorded state if it matches ``fingerprint`` and both DuckDB files are untouched."""
    state = read_state(settings)
    if state is None or state.fingerprint != fingerprint:
        return None
    if state.warehouse is None or state.warehouse != read_stamp(settings.warehouse):
        return None
    if state.published is None or state.published != read_stamp(settings.published):
        return None
    return state
