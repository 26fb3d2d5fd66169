"""Asset keys shared by assets, checks, jobs and sensors (one place to rename them)."""

from __future__ import annotations

import dagster as dg

#: The per-file ingestion asset (partitioned by landing-zone path); dbt sources ``raw.*`` map here.
RAW_FILES = dg.AssetKey(["raw", "landing_files"])
#: dbt model the target suites validate.
TARGET_ASSESSMENT = dg.AssetKey(["marts", "fct_target_assessment"])
#: Preferred asset for the staging-layer data-quality suites.
STAGING_OBSERVATIONS = dg.AssetKey(["staging", "stg_observations"])
VALIDATION_RESULTS = dg.AssetKey(["monitoring", "validation_results"])
DATA_DOCS = dg.AssetKey(["reports", "gx_data_docs"])
FAILURE_REPORT = dg.AssetKey(["reports", "failure_report"])
PUBLISHED = dg.AssetKey(["published", "warehouse"])

#: Run tag that forces ``dbt build --full-refresh`` (``healthplan run --force`` sets it).
FULL_REFRESH_TAG = "healthplan/dbt_full_refresh"
