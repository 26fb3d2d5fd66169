"""The one Definitions loads, validates, and wires lineage, checks, jobs, schedule and sensors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import defs
from orchestration.keys import (
    DATA_DOCS,
    FAILURE_REPORT,
    PUBLISHED,
    RAW_FILES,
    STAGING_OBSERVATIONS,
    TARGET_ASSESSMENT,
    VALIDATION_RESULTS,
)
from pipelines.config import PROJECT_ROOT


def test_dagster_definitions_validate_passes() -> None:
    dagster = Path(sys.executable).parent / "dagster"
    proc = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_lineage_from_files_to_published_copy() -> None:
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    for key in (RAW_FILES, STAGING_OBSERVATIONS, TARGET_ASSESSMENT, VALIDATION_RESULTS):
        assert key in keys, key
    # dbt sources raw.* are the ingestion asset, not separate source assets.
    assert RAW_FILES in graph.get(STAGING_OBSERVATIONS).parent_keys
    assert not [k for k in keys if k.path[0] == "raw" and k != RAW_FILES]
    assert TARGET_ASSESSMENT in graph.get(VALIDATION_RESULTS).parent_keys
    assert VALIDATION_RESULTS in graph.get(FAILURE_REPORT).parent_keys
    published_parents = graph.get(PUBLISHED).parent_keys
    assert {FAILURE_REPORT, DATA_DOCS, STAGING_OBSERVATIONS, TARGET_ASSESSMENT} <= published_parents
    assert graph.get(RAW_FILES).partitions_def is not None


def test_gx_suites_are_checks_on_the_models_they_validate() -> None:
    checks = {(k.asset_key, k.name): k for k in defs.resolve_asset_graph().asset_check_keys}
    target_checks = [name for (key, name) in checks if key == TARGET_ASSESSMENT]
    assert "finding_targets__jy_fyp14" in target_checks
    assert (STAGING_OBSERVATIONS, "gx_structure") in checks
    assert (STAGING_OBSERVATIONS, "gx_quality__stg_observations") in checks
    specs = {
        (spec.asset_key, spec.name): spec
        for cdef in defs.asset_checks or []
        for spec in cdef.check_specs
    }
    assert specs[(STAGING_OBSERVATIONS, "gx_structure")].blocking
    assert not specs[(TARGET_ASSESSMENT, "finding_targets__jy_fyp14")].blocking
    # dbt tests are asset checks too.
    assert any(
        key.path[0] in {"staging", "marts", "reference"} and name.startswith(("unique", "not_null"))
        for (key, name) in checks
    )


PLANS_SEED = dg.AssetKey(["reference", "plans"])


@pytest.mark.parametrize(
    ("job", "must", "must_not"),
    [
        ("full_refresh", {RAW_FILES, PLANS_SEED, PUBLISHED}, set()),
        ("ingest_new_files", {RAW_FILES, TARGET_ASSESSMENT, PUBLISHED}, {PLANS_SEED}),
        (
            "revalidate_and_report",
            {VALIDATION_RESULTS, FAILURE_REPORT, PUBLISHED},
            {RAW_FILES, TARGET_ASSESSMENT},
        ),
    ],
)
def test_jobs_select_the_right_assets(
    job: str, must: set[dg.AssetKey], must_not: set[dg.AssetKey]
) -> None:
    selected = defs.resolve_job_def(job).asset_layer.selected_asset_keys
    assert must <= selected
    assert not (must_not & selected)


def test_schedule_and_sensors_are_registered() -> None:
    assert defs.resolve_schedule_def("daily_full_refresh").execution_timezone == "Asia/Shanghai"
    assert defs.resolve_sensor_def("landing_zone_sensor").job_name == "ingest_new_files"
    assert defs.resolve_sensor_def("alert_on_run_failure")


def test_only_the_cli_imports_the_definitions() -> None:
    """Jobs, schedules and sensors stand on their own: no import circle through definitions.py."""
    import ast

    importers = []
    for path in sorted((PROJECT_ROOT / "orchestration").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "orchestration.definitions":
                importers.append(path.relative_to(PROJECT_ROOT).as_posix())
    assert set(importers) <= {"orchestration/cli/execute.py"}, importers
