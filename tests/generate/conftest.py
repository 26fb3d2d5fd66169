"""Shared, expensive fixtures of the generator tests: one sample build, one real pipeline run.

``sample_pipeline`` builds the sample into a temporary landing zone, ingests it with the real
``pipelines.ingest`` into a real DuckDB file, then runs the real ``dbt build`` (models only; the
seeds' own tests belong to their owners) on a copy of ``dbt_project`` — once per session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.config import DBT_PROJECT_DIR, SEEDS_DIR
from pipelines.generate.sample import build_sample
from pipelines.ingest import ingest_all

DBT = str(Path(sys.executable).parent / "dbt")
ASSESSMENT_YEAR = 2026


@dataclass(frozen=True)
class Pipeline:
    """A sample landing zone, its ingestion results and the warehouse dbt built from it."""

    raw: Path
    warehouse: Path
    results: list

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "raw"
    build_sample(out)
    return out


@pytest.fixture(scope="session")
def sample_pipeline(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Pipeline:
    root = tmp_path_factory.mktemp("sample_wh")
    warehouse = root / "warehouse.duckdb"
    results = ingest_all(warehouse, sample_dir, "test-generate")
    project = root / "dbt_project"
    shutil.copytree(
        DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", ".user.yml")
    )
    env = dict(os.environ)
    env["HEALTHPLAN_WAREHOUSE"] = str(warehouse)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    cmd = [
        DBT,
        "build",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--vars",
        json.dumps({"assessment_year": ASSESSMENT_YEAR}),
        "--exclude",
        "resource_type:test",
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1500, check=False)
    if proc.returncode != 0:
        pytest.fail(
            f"dbt build on the sample failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
        )
    return Pipeline(sample_dir, warehouse, results)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR
