"""The one :class:`dagster.Definitions` of healthplan (``dagster dev -m orchestration.definitions``).

Lineage: landing-zone files (one partition each) → ``raw`` → dbt seeds/staging/intermediate/marts
(dbt tests as checks) → GX validation (checks on the validated models) → failure report and Data
Docs → published read-only warehouse.  Every run executes in one process (DuckDB allows one
writer) and holds the warehouse writer lock for its whole duration.
"""

from __future__ import annotations

import dagster as dg

from orchestration.alerting import alert_on_run_failure
from orchestration.assets.dbt import dbt_asset_keys, dbt_models
from orchestration.assets.ingest import landing_files
from orchestration.assets.publish import build_publish_asset, failure_report
from orchestration.assets.validation import build_validation_defs
from orchestration.jobs import build_revalidate_job, full_refresh_job, ingest_new_files_job
from orchestration.resources import default_resources
from orchestration.schedules import daily_full_refresh
from orchestration.sensors import landing_zone_sensor

_dbt_keys = dbt_asset_keys()
validation_assets, gx_checks = build_validation_defs(_dbt_keys)
published_warehouse = build_publish_asset(_dbt_keys)

defs = dg.Definitions(
    assets=[landing_files, dbt_models, *validation_assets, failure_report, published_warehouse],
    asset_checks=gx_checks,
    jobs=[full_refresh_job, ingest_new_files_job, build_revalidate_job(gx_checks)],
    schedules=[daily_full_refresh],
    sensors=[landing_zone_sensor, alert_on_run_failure],
    resources=default_resources(),
    # One process per run: DuckDB admits a single writer, and steps share the run's writer lock.
    executor=dg.in_process_executor,
)
