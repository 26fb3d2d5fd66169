"""Shared, expensive fixtures of the generator tests: one sample build, one real pipeline run.

``sample_pipeline`` builds the sample into a temporary landing zone, ingests it with the real
``pipelines.ingest`` into a real DuckDB file, then runs the real ``dbt build`` (models only; the
seeds' own tests belong to their owners) on a copy of ``dbt_project`` — once per session, with
the warehouse builder every test folder shares (``tests/expectations/dbt_warehouse.py``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.config import SEEDS_DIR
from pipelines.generate.sample import build_sample

# The warehouse builders live with the expectation tests (no package: import by path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "expectations"))

from dbt_warehouse import ingest_and_build  # noqa: E402

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
    warehouse, results = ingest_and_build(
        root, sample_dir, "test-generate", {"assessment_year": ASSESSMENT_YEAR}
    )
    return Pipeline(sample_dir, warehouse, results)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR
