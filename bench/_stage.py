"""Run one Python component in its own process and print its timings as JSON (last line).

``python -m bench._stage ingest|validate|report '<json kwargs>'``. Import time and call time are
reported separately so the benchmark can say how much of a stage is interpreter start and imports.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _summary(result: Any) -> Any:
    """A JSON-able summary of whatever the component returned."""
    if isinstance(result, list | tuple):
        statuses: dict[str, int] = {}
        rows = 0
        for item in result:
            status = str(getattr(item, "status", "?"))
            statuses[status] = statuses.get(status, 0) + 1
            rows += int(getattr(item, "rows_read", 0) or 0)
        return {"items": len(result), "statuses": statuses, "rows_read": rows}
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return {k: v for k, v in dataclasses.asdict(result).items() if _jsonable(v)}
    if isinstance(result, dict):
        return {k: v for k, v in result.items() if _jsonable(v)}
    return repr(result)[:500]


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def sensor_run() -> dict[str, Any]:
    """One tick of the landing-zone sensor, then the run it requests, executed in-process.

    This is what the Dagster daemon does for a new file, minus the daemon's polling delay: the
    benchmark's "time from the sensor's request to updated marts and report".
    """
    t0 = time.perf_counter()
    import dagster as dg

    from orchestration.project import prepare_manifest
    from orchestration.sensors import evaluate_landing_zone
    from pipelines.config import load_settings
    from pipelines.locking import writer_lock

    t1 = time.perf_counter()
    settings = load_settings()
    instance = dg.DagsterInstance.get()
    tick = evaluate_landing_zone(instance, None, settings.raw)
    t2 = time.perf_counter()
    if not tick.run_requests:
        raise SystemExit(f"the sensor requested no run: {tick.skip_reason}")
    for req in tick.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(req.partitions_def_name, list(req.partition_keys))
    request = tick.run_requests[0]
    with writer_lock(settings.lock_file, purpose="bench incremental"):
        prepare_manifest()
        from orchestration.definitions import defs

        job = defs.resolve_job_def(request.job_name or "")
        t3 = time.perf_counter()
        result = job.execute_in_process(
            instance=instance, tags=dict(request.tags), raise_on_error=False
        )
        t4 = time.perf_counter()
    if not result.success:
        raise SystemExit(f"the requested run {result.run_id} failed")
    return {
        "import_s": t1 - t0,
        "sensor_tick_s": t2 - t1,
        "prepare_s": t3 - t2,
        "call_s": t4 - t3,
        "job": request.job_name,
        "tags": dict(request.tags),
        "run_id": result.run_id,
    }


def schedule_run() -> dict[str, Any]:
    """The daily schedule's run request, executed in-process as the daemon would.

    With nothing new it must do no dbt, GX, report or publish work: ``work_assets`` lists every
    asset the run materialised besides ingestion (empty when the run skipped itself).
    """
    t0 = time.perf_counter()
    import datetime as dt

    import dagster as dg

    from orchestration.keys import RAW_FILES
    from orchestration.project import prepare_manifest
    from orchestration.schedules import daily_full_refresh
    from pipelines.config import load_settings
    from pipelines.locking import writer_lock

    t1 = time.perf_counter()
    settings = load_settings()
    instance = dg.DagsterInstance.get()
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=dt.datetime.now(dt.UTC)
    )
    request = daily_full_refresh(context)
    t2 = time.perf_counter()
    if not isinstance(request, dg.RunRequest):
        return {"import_s": t1 - t0, "schedule_tick_s": t2 - t1, "run": None, "work_assets": []}
    with writer_lock(settings.lock_file, purpose="bench nothing new"):
        prepare_manifest()
        from orchestration.definitions import defs

        job = defs.resolve_job_def(request.job_name or "")
        t3 = time.perf_counter()
        result = job.execute_in_process(
            instance=instance, tags=dict(request.tags), raise_on_error=False
        )
        t4 = time.perf_counter()
    if not result.success:
        raise SystemExit(f"the scheduled run {result.run_id} failed")
    work = sorted(
        {
            e.asset_key.to_user_string()
            for e in result.get_asset_materialization_events()
            if e.asset_key
        }
        - {RAW_FILES.to_user_string()}
    )
    return {
        "import_s": t1 - t0,
        "schedule_tick_s": t2 - t1,
        "prepare_s": t3 - t2,
        "call_s": t4 - t3,
        "run": result.run_id,
        "work_assets": work,
        "work_steps": len(work),
    }


def main(argv: list[str]) -> int:
    stage, kwargs = argv[0], json.loads(argv[1])
    if stage == "sensor":
        print(json.dumps(sensor_run(), default=str))
        return 0
    if stage == "schedule":
        print(json.dumps(schedule_run(), default=str))
        return 0
    t0 = time.perf_counter()
    func: Callable[..., Any]
    if stage == "ingest":
        from pipelines.ingest import ingest_all as func

        args = (Path(kwargs["db_path"]), Path(kwargs["raw_dir"]), kwargs["run_id"])
    elif stage == "validate":
        from expectations.runner import run_target_validation as func

        args = (Path(kwargs["db_path"]), kwargs["run_id"], Path(kwargs["data_docs_dir"]))
    elif stage == "report":
        from pipelines.report import build_failure_report as func

        args = (Path(kwargs["db_path"]), kwargs["run_id"], Path(kwargs["out_dir"]))
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    t1 = time.perf_counter()
    result = func(*args)
    t2 = time.perf_counter()
    out = {"import_s": t1 - t0, "call_s": t2 - t1, "summary": _summary(result)}
    if stage == "ingest":
        out["files"] = [
            {"file": r.file_path, "layout": r.layout, "rows": r.rows_read, "seconds": r.seconds}
            for r in result
        ]
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
