"""``healthplan status``: paths, the writer-lock holder, recent runs and the latest alerts."""

from __future__ import annotations

import argparse
import time
from typing import Any

from orchestration.cli.execute import dagster_home, dagster_instance
from pipelines.config import Settings, load_settings
from pipelines.history import read_sql
from pipelines.locking import describe_holder, is_locked, read_holder


def cmd_status(args: argparse.Namespace) -> int:
    """Where everything is, who holds the writer lock, recent runs and alerts."""
    from orchestration.landing import LANDING_FILES, discover

    settings = load_settings()
    print(f"warehouse (working): {settings.warehouse}")
    print(f"published:           {settings.published}")
    print(f"landing zone:        {settings.raw}")
    print(f"reports:             {settings.reports}")
    print(f"DAGSTER_HOME:        {dagster_home()}")
    if is_locked(settings.lock_file):
        holder = read_holder(settings.lock_file) or {}
        print(f"writer lock:         HELD by {describe_holder(holder)}")
    else:
        print("writer lock:         free")
    instance = dagster_instance()
    known = set(instance.get_dynamic_partitions(LANDING_FILES.name))
    try:
        files = discover(settings.raw)
        print(f"landing files:       {len(files)} on disk, {len(known)} registered partitions")
    except Exception as exc:
        print(f"landing files:       cannot list ({exc})")
    print("recent runs:")
    for run in instance.get_runs(limit=5):
        stats = instance.get_run_stats(run.run_id)
        start = (
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stats.start_time))
            if stats.start_time
            else "-"
        )
        print(f"  {run.run_id[:8]}  {run.job_name:<24} {run.status.value:<10} {start}")
    _print_alerts(settings)  # first: flushing the spool may create the warehouse
    _print_storage_format(settings)
    return 0


def _print_storage_format(settings: Settings) -> None:
    """The storage format of the working warehouse (of the published copy while a run writes)."""
    import duckdb

    from pipelines.db import storage_version
    from pipelines.storage_upgrade import format_note

    source = settings.published if is_locked(settings.lock_file) else settings.warehouse
    if not source.exists():
        return
    try:
        with duckdb.connect(str(source), read_only=True) as con:
            print(f"storage format:      {format_note(storage_version(con))}")
    except duckdb.Error as exc:
        print(f"storage format:      cannot read ({exc})")


def _print_alerts(settings: Settings) -> None:
    """Flush pending alerts (spool, dead writers) if the warehouse is free, then list the latest.

    Read from the working warehouse when it is free (alerts land there first), else from the
    published copy plus the spool waiting for the running writer.
    """
    import duckdb

    from pipelines.alerts import flush_pending, spooled_count

    flushed = flush_pending(settings.warehouse, lock_file=settings.lock_file, lock_timeout=0)
    if flushed:
        print(f"alerts flushed now:  {len(flushed)} (spooled or raised for a dead writer)")
    busy = is_locked(settings.lock_file)
    source = settings.published if busy else settings.warehouse
    rows: list[tuple[Any, ...]] = []
    if source.exists():
        try:
            con = duckdb.connect(str(source), read_only=True)
        except duckdb.Error:
            con = None
        if con is not None:
            try:
                rows = con.execute(read_sql("latest_alerts")).fetchall()
            except duckdb.Error:
                rows = []
            finally:
                con.close()
    where = "published copy; a run is writing" if busy else "working warehouse"
    print(f"latest alerts ({where}): {len(rows) or 'none'}")
    for raised_at, run_id, job, step, etype, msg in rows:
        first = (msg or "").splitlines()[0][:100] if msg else ""
        print(f"  {raised_at} run={str(run_id)[:8]} {job}/{step}: {etype}: {first}")
    waiting = spooled_count(settings.warehouse)
    if waiting:
        print(f"alerts waiting in the spool for the running writer: {waiting}")
