"""One writer per DuckDB file: an OS-level advisory lock held by every writing run.

DuckDB itself refuses a second read-write process with an opaque ``IO Error: Could not set lock``
after the first one already started writing.  Every healthplan writer (``healthplan run``, a
Dagster run, a recorded alert) therefore first takes an exclusive ``flock`` on
``Settings.lock_file``.  A second writer waits up to a timeout and is then refused with a message
naming the holder (pid, command, start time).  The kernel drops the lock when the holder dies, so a
killed run never leaves a stale lock behind.

Within one process the lock is re-entrant: the CLI takes it before launching an in-process Dagster
run whose resource takes it again.

The lock file also tells whether the previous writer finished: a holder that releases the lock
stamps ``finished_at``; one killed (kill -9, power loss) does not. The next holder then carries
the dead holder's record under ``interrupted`` until someone acknowledges it
(:func:`acknowledge_interrupted`, called by ``pipelines.alerts`` to raise the alert), so no
acquisition can lose it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

#: Environment variable: seconds a writer waits for the lock before giving up.
LOCK_TIMEOUT_ENV = "HEALTHPLAN_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 60.0
_POLL_SECONDS = 0.2


class WarehouseLockedError(RuntimeError):
    """Raised when another process holds the writer lock for longer than the timeout."""

    def __init__(self, lock_file: Path, holder: dict[str, object] | None, waited: float) -> None:
        self.lock_file = lock_file
        self.holder = holder or {}
        who = describe_holder(self.holder) if holder else "an unknown process"
        super().__init__(
            f"The warehouse is being written by {who}; waited {waited:.0f}s for it to finish "
            f"(lock file {lock_file}). Only one run may write at a time: retry when it has "
            f"finished, or raise {LOCK_TIMEOUT_ENV} to wait longer."
        )


@dataclass
class _Held:
    fd: int
    depth: int


# Re-entrancy bookkeeping: lock path -> open descriptor holding the flock in this process.
_held: dict[str, _Held] = {}
_guard = threading.RLock()


def lock_timeout_from_env(default: float = DEFAULT_LOCK_TIMEOUT) -> float:
    """Return the writer-lock timeout in seconds from ``HEALTHPLAN_LOCK_TIMEOUT`` (or default)."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV)
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError as exc:
        raise ValueError(f"{LOCK_TIMEOUT_ENV} must be a number of seconds, got {raw!r}") from exc


def describe_holder(holder: dict[str, object]) -> str:
    """Render holder metadata as ``pid 123 on host (healthplan run, started 2026-…)``."""
    parts = [f"pid {holder.get('pid', '?')}"]
    if holder.get("host"):
        parts.append(f"on {holder['host']}")
    extra = []
    if holder.get("purpose"):
        extra.append(str(holder["purpose"]))
    if holder.get("started_at"):
        extra.append(f"started {holder['started_at']}")
    if holder.get("run_id"):
        extra.append(f"run {holder['run_id']}")
    text = " ".join(parts)
    return f"{text} ({', '.join(extra)})" if extra else text


def read_holder(lock_file: Path) -> dict[str, object] | None:
    """Return the metadata the current (or last) holder wrote into the lock file, if any."""
    try:
        text = Path(lock_file).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def is_locked(lock_file: Path) -> bool:
    """True when some process (possibly this one) currently holds the writer lock."""
    key = str(Path(lock_file).resolve())
    with _guard:
        if key in _held:
            return True
    try:
        fd = os.open(lock_file, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _acquire(lock_file: Path, wait: float) -> int:
    """Open ``lock_file`` and take its exclusive flock, polling for up to ``wait`` seconds.

    Returns the open descriptor holding the lock. Raises :class:`WarehouseLockedError` (naming
    the current holder) when another process held it for the whole wait.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    start = time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= wait:
                    raise WarehouseLockedError(lock_file, read_holder(lock_file), waited) from None
                time.sleep(min(_POLL_SECONDS, max(0.01, wait - waited)))
    except BaseException:
        os.close(fd)
        raise


def _new_holder(previous: dict[str, object], purpose: str, run_id: str | None) -> dict[str, object]:
    """The holder record of this process, carrying forward an interruption of ``previous``."""
    holder: dict[str, object] = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "purpose": purpose or " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:2]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": LOCK_FORMAT,
    }
    if run_id:
        holder["run_id"] = run_id
    interrupted = _interrupted_before(previous)
    if interrupted:
        holder["interrupted"] = interrupted
    return holder


@contextmanager
def writer_lock(
    lock_file: Path,
    *,
    timeout: float | None = None,
    purpose: str = "",
    run_id: str | None = None,
) -> Iterator[dict[str, object]]:
    """Hold the exclusive writer lock for the warehouse guarded by ``lock_file``.

    Args:
        lock_file: the lock file (``Settings.lock_file``); created if missing.
        timeout: seconds to wait for another holder; ``None`` reads ``HEALTHPLAN_LOCK_TIMEOUT``
            (default 60 s); ``0`` refuses immediately.
        purpose: what the holder is doing (shown to a refused writer), e.g. ``healthplan run``.
        run_id: Dagster run id, if any (shown to a refused writer).

    Yields:
        The holder metadata written into the lock file.

    Raises:
        WarehouseLockedError: another process held the lock for the whole timeout.
    """
    lock_file = Path(lock_file)
    key = str(lock_file.resolve())
    with _guard:
        held = _held.get(key)
        if held is not None:
            held.depth += 1
            try:
                yield read_holder(lock_file) or {}
            finally:
                held.depth -= 1
            return

    wait = lock_timeout_from_env() if timeout is None else max(0.0, timeout)
    fd = _acquire(lock_file, wait)
    holder = _new_holder(read_holder(lock_file) or {}, purpose, run_id)
    _write_holder(fd, holder)
    with _guard:
        _held[key] = _Held(fd=fd, depth=1)
    try:
        yield holder
    finally:
        with _guard:
            _held.pop(key, None)
        # Stamp a clean finish, keeping any unacknowledged interruption for the next holder.
        final = read_holder(lock_file) or holder
        final["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        _write_holder(fd, final)
        # Leave the file in place (deleting it would race with a waiter that already opened it).
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


#: Version of the holder record; from this version on a record without finished_at means death.
LOCK_FORMAT = 2


def _write_holder(fd: int, holder: dict[str, object]) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)


def _interrupted_before(previous: dict[str, object]) -> list[dict[str, object]]:
    """Unacknowledged dead holders: those ``previous`` carried, plus ``previous`` if it died."""
    carried = previous.get("interrupted")
    interrupted = [h for h in carried if isinstance(h, dict)] if isinstance(carried, list) else []
    # Records written before finished_at existed (no "format") say nothing about how they ended.
    dead = previous.get("format") == LOCK_FORMAT and "finished_at" not in previous
    if previous.get("pid") is not None and dead:
        interrupted.append({k: v for k, v in previous.items() if k != "interrupted"})
    return interrupted


def acknowledge_interrupted(lock_file: Path) -> list[dict[str, object]]:
    """Take (and clear) the records of earlier holders that died holding the lock.

    Must be called while this process holds the lock. Each record names the dead holder's pid,
    host, purpose (what it was doing), start time and run id, if any.
    """
    lock_file = Path(lock_file)
    key = str(lock_file.resolve())
    with _guard:
        held = _held.get(key)
        if held is None:
            raise RuntimeError(f"acknowledge_interrupted: {lock_file} is not held by this process")
        holder = read_holder(lock_file) or {}
        interrupted = holder.pop("interrupted", None)
        if not interrupted or not isinstance(interrupted, list):
            return []
        _write_holder(held.fd, holder)
    return [h for h in interrupted if isinstance(h, dict)]
