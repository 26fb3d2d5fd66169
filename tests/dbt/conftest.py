"""One real dbt build, shared by every test of this folder.

A copy of `dbt_project/` in a temporary directory keeps the real models, macros, catalogue seeds
(indicators, units, age groups …) and generated rule artefacts, but replaces the plan seeds
(plans, regions, plan_domains, plan_targets) with crafted ones whose answers are known; a real
DuckDB file gets the raw tables of CONTRACTS §2 with crafted rows; then `dbt build` and
`dbt docs generate` run as subprocesses with HEALTHPLAN_WAREHOUSE pointing at that file.

Built once per test session (``build_once`` of tests/conftest.py): every xdist worker that runs a
file of this folder gets its own copy of the same build.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import dbt_fixture_data as raw_fixture
import duckdb
import pytest
from dbt_harness import DbtBuild, copy_project, run_dbt

from pipelines.ingest.schema import ensure_raw_schema

VARS = json.dumps({"assessment_year": raw_fixture.ASSESSMENT_YEAR})


def _build(root: Path) -> None:
    """The crafted project and warehouse under ``root``, and dbt's output in build_output.txt."""
    project = copy_project(root / "dbt_project")
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        raw_fixture.load_raw(con)
    result = run_dbt(project, _env(warehouse), "build", "--vars", VARS)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}")
    (root / "build_output.txt").write_text(result.stdout, encoding="utf-8")


def _env(warehouse: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HEALTHPLAN_WAREHOUSE"] = str(warehouse)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


@pytest.fixture(scope="session")
def dbt_build(build_once: Callable[[str, Callable], Path]) -> Iterator[DbtBuild]:
    root = build_once("dbt", _build)
    warehouse = root / "warehouse.duckdb"
    output = (root / "build_output.txt").read_text(encoding="utf-8")
    yield DbtBuild(warehouse, root / "dbt_project", output, _env(warehouse))
