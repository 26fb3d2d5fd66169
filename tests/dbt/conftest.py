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
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.config import DBT_PROJECT_DIR
from pipelines.ingest.schema import ensure_raw_schema
from tests.dbt import raw_fixture

FIXTURE_SEEDS = Path(__file__).parent / "fixtures" / "seeds"
DBT = str(Path(sys.executable).parent / "dbt")
VARS = json.dumps({"assessment_year": raw_fixture.ASSESSMENT_YEAR})


@dataclass(frozen=True)
class DbtBuild:
    """A built warehouse: its DuckDB file, the project copy and the build's output."""

    warehouse: Path
    project_dir: Path
    build_output: str
    env: dict[str, str]

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Run ``sql`` on a short-lived read-only connection (never hold the file's lock)."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def query_dicts(self, sql: str, params: list | None = None) -> list[dict]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            cur = con.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_dbt(self.project_dir, self.env, *args)


def run_dbt(project_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the dbt CLI on ``project_dir`` (profiles in the same folder)."""
    cmd = [DBT, *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)


def _copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml")
    shutil.copytree(DBT_PROJECT_DIR, dest, ignore=ignore)
    for seed in FIXTURE_SEEDS.glob("*.csv"):
        shutil.copy(seed, dest / "seeds" / seed.name)
    return dest


@pytest.fixture(scope="session")
def dbt_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DbtBuild]:
    root = tmp_path_factory.mktemp("dbt")
    project = _copy_project(root / "dbt_project")
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        raw_fixture.load_raw(con)
    env = dict(os.environ)
    env["HEALTHPLAN_WAREHOUSE"] = str(warehouse)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    # The catalogue seeds' own tests (quotes in the plan texts, alias coverage …) belong to the
    # seeds' owners and would fail on the crafted plan seeds: run every other test.
    result = run_dbt(
        project,
        env,
        "build",
        "--vars",
        VARS,
        "--exclude",
        "resource_type:test,path:seeds",
    )
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}")
    yield DbtBuild(warehouse, project, result.stdout, env)
