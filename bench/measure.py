"""Stage timer and peak-memory sampler of the whole process tree.

The sampler polls the resident set size (RSS) of this process plus every descendant (dbt, Dagster
and Python subprocesses) in a background thread, so a stage that runs in a child process is
measured as well as one that runs in-process.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psutil

MB = 1024 * 1024


def tree_rss(root: psutil.Process) -> int:
    """Sum the RSS in bytes of ``root`` and all its descendants (vanished ones count as 0)."""
    procs = [root]
    try:
        procs += root.children(recursive=True)
    except psutil.Error:
        pass
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total


class MemorySampler:
    """Background thread sampling the process tree's RSS every ``interval`` seconds.

    Keeps the overall peak and a resettable per-stage peak; use as a context manager.
    """

    def __init__(self, interval: float = 0.05, pid: int | None = None) -> None:
        self.interval = interval
        self._root = psutil.Process(pid or os.getpid())
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.peak = 0
        self.stage_peak = 0
        self.samples = 0

    def sample(self) -> int:
        """Take one sample now and fold it into both peaks."""
        rss = tree_rss(self._root)
        with self._lock:
            self.peak = max(self.peak, rss)
            self.stage_peak = max(self.stage_peak, rss)
            self.samples += 1
        return rss

    def reset_stage(self) -> None:
        """Start a new per-stage peak from the current RSS."""
        with self._lock:
            self.stage_peak = 0
        self.sample()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> MemorySampler:
        self.sample()
        self._thread = threading.Thread(target=self._loop, name="bench-mem", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()


@dataclass
class Stage:
    """One measured stage: ours or the DuckDB floor.

    Attributes:
        name: stage name (``ingest``, ``dbt_build`` …).
        seconds: wall seconds (``None`` if the stage did not run).
        rows: rows processed by the stage, if known (for rows per second).
        peak_mb: peak RSS of the whole process tree during the stage, in MiB.
        status: ``ok``, ``error`` or ``skipped``.
        detail: free-form figures (inner time, parse overhead, models rebuilt …).
    """

    name: str
    seconds: float | None = None
    rows: int | None = None
    peak_mb: float | None = None
    status: str = "ok"
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float | None:
        if self.rows is None or not self.seconds:
            return None
        return self.rows / self.seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seconds": self.seconds,
            "rows": self.rows,
            "rows_per_second": self.rows_per_second,
            "peak_mb": self.peak_mb,
            "status": self.status,
            "detail": self.detail,
        }


@contextmanager
def measure(sampler: MemorySampler, name: str) -> Iterator[Stage]:
    """Time the body and record the process tree's peak RSS during it.

    Exceptions inside the body are recorded on the stage (status ``error``) and not raised, so
    one failing component does not hide the figures of the others.
    """
    stage = Stage(name)
    sampler.reset_stage()
    start = time.perf_counter()
    try:
        yield stage
    except Exception as exc:  # noqa: BLE001 - recorded, reported, never swallowed silently
        stage.status = "error"
        stage.detail["error"] = f"{type(exc).__name__}: {exc}"[:2000]
    finally:
        stage.seconds = time.perf_counter() - start
        sampler.sample()
        stage.peak_mb = round(sampler.stage_peak / MB, 1)
