"""Jobs: full refresh, ingest-new-files-and-downstream, re-validate-and-report-only."""

from __future__ import annotations

import dagster as dg

from orchestration.alerting import alert_on_step_failure
from orchestration.keys import (
    DATA_DOCS,
    FAILURE_REPORT,
    PUBLISHED,
    RAW_FILES,
    VALIDATION_RESULTS,
)

FULL_REFRESH = "full_refresh"
INGEST_NEW_FILES = "ingest_new_files"
REVALIDATE = "revalidate_and_report"

full_refresh_job = dg.define_asset_job(
    FULL_REFRESH,
    selection=dg.AssetSelection.all(),
    description=(
        "Everything: the selected landing-zone files (already-loaded ones are skipped by content "
        "hash), every dbt seed/model/test, GX validation, failure report, Data Docs, publish."
    ),
    hooks={alert_on_step_failure},
)

ingest_new_files_job = dg.define_asset_job(
    INGEST_NEW_FILES,
    selection=dg.AssetSelection.assets(RAW_FILES).downstream(),
    description=(
        "The given landing-zone files and everything downstream of raw data (seeds and models "
        "that do not read raw data are not rebuilt)."
    ),
    hooks={alert_on_step_failure},
)


def build_revalidate_job(
    gx_checks: list[dg.AssetChecksDefinition],
) -> dg.UnresolvedAssetJobDefinition:
    """Validation, report, Data Docs and publish, plus the GX checks (not the dbt tests)."""
    check_keys = [key for checks in gx_checks for key in checks.check_keys]
    return dg.define_asset_job(
        REVALIDATE,
        selection=(
            dg.AssetSelection.assets(VALIDATION_RESULTS, DATA_DOCS, FAILURE_REPORT, PUBLISHED)
            | dg.AssetSelection.checks(*check_keys)
        ),
        description=(
            "Re-run GX on the current marts, rebuild the failure report and Data Docs, publish."
        ),
        hooks={alert_on_step_failure},
    )
