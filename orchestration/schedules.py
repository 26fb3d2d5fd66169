"""The daily schedule: a full refresh every morning, Asia/Shanghai time.

Change the time with ``HEALTHPLAN_SCHEDULE_CRON`` (cron syntax, default ``0 6 * * *``) and the
time zone with ``HEALTHPLAN_SCHEDULE_TZ`` (IANA name, default ``Asia/Shanghai``); both are read when
the code location loads (restart ``dagster dev`` / reload the location after changing them).
"""

import os

import dagster as dg

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
def daily_full_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """One run over every file partition known to the instance (or no files, if none yet)."""
    keys = list(context.instance.get_dynamic_partitions(LANDING_FILES_NAME))
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
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
