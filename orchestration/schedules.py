"""The daily schedule: a full refresh every morning, Asia/Shanghai time, unless nothing is new.

Before requesting a run the schedule asks the two questions a run would ask, with their one
definition each, and skips the tick (``dg.SkipReason``: no run is started) when both say nothing
is new: the landing zone, by the files' data versions Dagster keeps for the sensor
(:func:`orchestration.sensors.evaluate_landing_zone`, only files changed since the last ingestion
run started are hashed), and everything else by :func:`pipelines.run_state.decide`.  When the
warehouse cannot be read (a run holds it) the run is requested and decides inside.

Change the time with ``HEALTHPLAN_SCHEDULE_CRON`` (cron syntax, default ``0 6 * * *``) and the
time zone with ``HEALTHPLAN_SCHEDULE_TZ`` (IANA name, default ``Asia/Shanghai``); both are read when
the code location loads (restart ``dagster dev`` / reload the location after changing them).
"""

import os
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.jobs import FULL_REFRESH, full_refresh_job
from orchestration.keys import RAW_FILES
from orchestration.landing import LANDING_FILES_NAME, RANGE_END_TAG, RANGE_START_TAG

SCHEDULE_CRON = os.environ.get("HEALTHPLAN_SCHEDULE_CRON", "0 6 * * *")
SCHEDULE_TZ = os.environ.get("HEALTHPLAN_SCHEDULE_TZ", "Asia/Shanghai")


@dg.schedule(
    name="daily_full_refresh",
    job=full_refresh_job,
    cron_schedule=SCHEDULE_CRON,
    execution_timezone=SCHEDULE_TZ,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Daily safety net: every known landing-zone file (loaded ones skipped by hash), all "
        "models, validation, report and publish. New files arrive sooner through the sensor."
    ),
)
def daily_full_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    """One run over every file partition known to the instance (or no files, if none yet)."""
    keys = list(context.instance.get_dynamic_partitions(LANDING_FILES_NAME))
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    idle = nothing_new(context.instance)
    if idle is not None:
        return dg.SkipReason(idle)
    tags = {"healthplan/trigger": "schedule"}
    if keys:
        tags |= {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}
        return dg.RunRequest(run_key=f"{FULL_REFRESH}-{day}", job_name=FULL_REFRESH, tags=tags)
    # No file partition yet: rebuild everything but the (empty) ingestion asset.
    return dg.RunRequest(
        run_key=f"{FULL_REFRESH}-{day}",
        job_name=FULL_REFRESH,
        asset_selection=list(_non_raw_keys(context)),
        tags=tags,
    )


def _non_raw_keys(context: dg.ScheduleEvaluationContext) -> list[dg.AssetKey]:
    """Every asset of the job but the ingestion asset (the code location hands the job over)."""
    job = context.repository_def.get_job(FULL_REFRESH)
    return [k for k in job.asset_layer.selected_asset_keys if k != RAW_FILES]


def _last_ingestion_start_ns(instance: dg.DagsterInstance) -> int:
    """When the run that last materialised a landing file started (ns; 0: never)."""
    records = instance.fetch_materializations(RAW_FILES, limit=1).records
    if not records:
        return 0
    run = instance.get_run_stats(records[0].run_id)
    return int((run.start_time or 0) * 1e9)


def nothing_new(instance: dg.DagsterInstance) -> str | None:
    """Why a run now would find nothing new, or None (something is new, or it cannot tell)."""
    from orchestration.landing import dump_cursor
    from orchestration.project import dbt_project
    from orchestration.sensors import evaluate_landing_zone
    from pipelines import run_state
    from pipelines.config import load_settings

    settings = load_settings()
    since = _last_ingestion_start_ns(instance)
    files = evaluate_landing_zone(instance, dump_cursor(since), settings.raw)
    if files.run_requests or not settings.warehouse.exists():
        return None
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            now = run_state.current_inputs(con, Path(dbt_project.project_dir))
            last = run_state.read_build_state(con)
    except duckdb.Error:  # a run holds the warehouse: let the run decide
        return None
    decision = run_state.decide(last, now, published_exists=settings.published.exists())
    if decision.action != "skip":
        return None
    return f"no new or changed landing file; {decision.reason}"
