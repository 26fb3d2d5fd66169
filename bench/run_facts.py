"""What a finished component run left behind: Dagster step durations and warehouse figures.

Read back after the process of :mod:`bench.ours` has exited, over read-only connections.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from bench.workspace import Workspace


def latest_run_steps(ws: Workspace) -> dict[str, float]:
    """Step durations of the newest run in the workspace's Dagster instance (``{}`` if none)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(ws.dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        return {
            s.step_key: round(s.end_time - s.start_time, 3)
            for s in instance.get_run_step_stats(runs[0].run_id)
            if s.start_time is not None and s.end_time is not None
        }


_STEP = re.compile(r'Finished execution of step "([^"]+)" in ([0-9hms.]+)')


_PART = re.compile(r"([0-9.]+)(ms|h|m|s)")


def step_seconds(log: str) -> dict[str, float]:
    """Dagster step durations from a run's log (``… step "x" in 1m9s`` → ``{"x": 69.0}``)."""
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    out: dict[str, float] = {}
    for step, text in _STEP.findall(log):
        seconds = sum(float(n) * scale[u] for n, u in _PART.findall(text))
        out[step] = round(out.get(step, 0.0) + seconds, 3)
    return out


def scalar(db: Path, sql: str, params: list[Any] | None = None) -> Any:
    """One value from the warehouse over a read-only connection (``None`` if it fails)."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute(sql, params or []).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def ingested_files_summary(db: Path, run_id: str) -> dict[str, Any]:
    """Files and rows ``raw.ingested_files`` recorded for ``run_id``."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(
                "select status, count(*), coalesce(sum(rows_read), 0),"
                " coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)"
                " from raw.ingested_files where run_id = ? group by status",
                [run_id],
            ).fetchall()
    except duckdb.Error as exc:
        return {"ingested_files_error": str(exc)[:300]}
    files = {status: n for status, n, *_ in rows}
    return {
        "files_by_status": files,
        "rows_read": int(sum(r[2] for r in rows)),
        "rows_loaded": int(sum(r[3] for r in rows)),
        "rows_quarantined": int(sum(r[4] for r in rows)),
    }
