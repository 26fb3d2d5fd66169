"""Run a Dagster job headless and in-process under the warehouse writer lock.

Runs are recorded in the persistent Dagster instance at ``$DAGSTER_HOME`` (default
``<repo>/.dagster_home``), so ``make dev`` shows them. A run of a ``healthplan`` process that died
(kill -9, power loss) is marked failed before the next run starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipelines.config import PROJECT_ROOT, Settings, load_settings
from pipelines.locking import writer_lock

EXIT_RUN_FAILED = 1
EXIT_LOCKED = 3
PID_TAG = "healthplan/pid"


def dagster_home() -> Path:
    """``$DAGSTER_HOME`` (default ``<repo>/.dagster_home``), created if missing."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    return home


def dagster_instance() -> Any:
    """The persistent Dagster instance the CLI records its runs in (``make dev`` shows them)."""
    import dagster as dg

    dagster_home()
    return dg.DagsterInstance.get()


def recover_stale_runs(instance: Any) -> dict[str, list[str]]:
    """Mark runs of dead ``healthplan`` processes failed and free their pool slots.

    Called while holding the writer lock, so no other healthplan writer is alive: a run still
    "started" (or not yet started) whose process is gone was killed, and its concurrency slots would otherwise block
    the ``duckdb`` pool forever. Returns, per dead pid, what its runs were doing
    (``job: step, step``) for the interruption alert (``pipelines.alerts.flush_pending``).
    """
    import dagster as dg
    import psutil

    doing: dict[str, list[str]] = {}
    # NOT_STARTED too: a process killed while Dagster was still creating its run (logging the
    # planned events) leaves it there, before any step.
    active = [
        dg.DagsterRunStatus.STARTED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.NOT_STARTED,
    ]
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=active)):
        pid = run.tags.get(PID_TAG)
        if pid is None or int(pid) == os.getpid() or psutil.pid_exists(int(pid)):
            continue
        steps = [
            s.step_key
            for s in instance.get_run_step_stats(run.run_id)
            if s.start_time is not None and s.end_time is None
        ]
        instance.report_run_failed(run)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        doing.setdefault(pid, []).append(
            f"run {run.run_id} of job {run.job_name}"
            + (f" in step {', '.join(steps)}" if steps else " before any step finished")
        )
    return doing


def _register_files(instance: Any, settings: Settings, only: Sequence[str] = ()) -> list[str]:
    """Add landing-zone files as partitions; return the keys to ingest (all, or ``only``)."""
    from orchestration.landing import LANDING_FILES, discover, partition_key

    keys = [partition_key(p, settings.raw) for p in discover(settings.raw)]
    if only:
        wanted = []
        for item in only:
            path = Path(item).resolve()
            key = partition_key(path, settings.raw) if path.exists() else item
            if key not in keys:
                raise SystemExit(f"healthplan: {item} is not a data file in {settings.raw}")
            wanted.append(key)
        keys = wanted
    known = set(instance.get_dynamic_partitions(LANDING_FILES.name))
    new = [k for k in keys if k not in known]
    if new:
        instance.add_dynamic_partitions(LANDING_FILES.name, new)
    return keys


def execute_job(
    job_name: str,
    *,
    files: Sequence[str] | None,
    only_assets: Sequence[Any] | None = None,
    wait: float | None,
    purpose: str,
    extra_tags: dict[str, str] | None = None,
) -> tuple[Any, Settings]:
    """Run a job in-process under the writer lock. ``files=None`` means the job takes no files.

    ``extra_tags`` are added to the run's tags (e.g. forcing a full dbt rebuild).
    """
    from orchestration.keys import RAW_FILES
    from orchestration.landing import LANDING_FILES, range_tags
    from orchestration.project import prepare_manifest
    from pipelines.alerts import flush_pending

    settings = load_settings()
    instance = dagster_instance()
    with writer_lock(settings.lock_file, timeout=wait, purpose=purpose):
        # a run that died (kill -9, power loss) raises its alert before anything else happens
        flush_pending(
            settings.warehouse, lock_file=settings.lock_file, doing=recover_stale_runs(instance)
        )
        prepare_manifest()
        from orchestration.definitions import defs

        job = defs.resolve_job_def(job_name)
        tags = {PID_TAG: str(os.getpid()), "healthplan/trigger": "cli", **(extra_tags or {})}
        selection = list(only_assets) if only_assets else None
        if files is not None:
            keys = _register_files(instance, settings, files)
            if keys:
                ordered = list(instance.get_dynamic_partitions(LANDING_FILES.name))
                tags |= range_tags(keys, ordered)
            else:
                print(f"healthplan: no data files in {settings.raw}", file=sys.stderr)
                keys_all = job.asset_layer.selected_asset_keys
                selection = selection or [k for k in keys_all if k != RAW_FILES]
        result = job.execute_in_process(
            instance=instance,
            tags=tags,
            asset_selection=selection,
            raise_on_error=False,
            # The full event stream is in the Dagster UI; the terminal gets INFO and up.
            run_config={"loggers": {"console": {"config": {"log_level": log_level()}}}},
        )
        if not result.success:
            _report_failure(result, job_name)
    return result, settings


def log_level() -> str:
    """The terminal's log level (``HEALTHPLAN_LOG_LEVEL``, default INFO)."""
    return os.environ.get("HEALTHPLAN_LOG_LEVEL", "INFO").upper()


def _report_failure(result: Any, job_name: str) -> None:
    """Print failed steps; alert for failures outside steps (steps alert through the hook)."""
    from orchestration.alerting import alert_for_run_failure

    failures = [e for e in result.all_events if e.is_step_failure]
    for event in failures:
        error = event.step_failure_data.error
        message = error.message.strip() if error else ""
        print(f"healthplan: step {event.step_key} failed: {message}", file=sys.stderr)
    run_failure = next((e for e in result.all_events if e.is_run_failure), None)
    alert_for_run_failure(
        result.run_id, job_name, failures, run_failure.message if run_failure else ""
    )
    print(
        f"healthplan: run {result.run_id} failed; alert recorded in monitoring.alerts. "
        "The published warehouse was left as it was.",
        file=sys.stderr,
    )
