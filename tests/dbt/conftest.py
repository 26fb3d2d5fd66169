"""One real dbt build, shared by every test of this folder.

A copy of `dbt_project/` in a temporary directory keeps the real models, macros, catalogue seeds
(indicators, units, age groups …) and generated rule artefacts, but replaces the plan seeds
(plans, regions, plan_domains, plan_targets) with crafted ones whose answers are known; a real
DuckDB file gets the raw tables of CONTRACTS §2 with crafted rows; then `dbt build` and
`dbt docs generate` run as subprocesses with HEALTHPLAN_WAREHOUSE pointing at that file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import dbt_fixture_data as raw_fixture
import duckdb
import pytest
from dbt_harness import DbtBuild, copy_project, run_dbt

from pipelines.ingest.schema import ensure_raw_schema

VARS = json.dumps({"assessment_year": raw_fixture.ASSESSMENT_YEAR})


@pytest.fixture(scope="session")
def dbt_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DbtBuild]:
    root = tmp_path_factory.mktemp("dbt")
    project = copy_project(root / "dbt_project")
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        raw_fixture.load_raw(con)
    env = dict(os.environ)
    env["HEALTHPLAN_WAREHOUSE"] = str(warehouse)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    result = run_dbt(project, env, "build", "--vars", VARS)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}")
    yield DbtBuild(warehouse, project, result.stdout, env)
