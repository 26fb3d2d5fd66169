"""Helpers to build a copy of the dbt project on crafted data and query the result (used by
conftest.py's session fixture and by the tests)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.config import DBT_PROJECT_DIR

FIXTURE_SEEDS = Path(__file__).parent / "fixtures" / "seeds"
DBT = str(Path(sys.executable).parent / "dbt")


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

    def models(self) -> list[dict]:
        """The model nodes of the build's ``target/manifest.json``."""
        path = self.project_dir / "target" / "manifest.json"
        nodes = json.loads(path.read_text(encoding="utf-8"))["nodes"].values()
        return [n for n in nodes if n["resource_type"] == "model"]


def run_dbt(project_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the dbt CLI on ``project_dir`` (profiles in the same folder)."""
    cmd = [DBT, *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)


#: Seeds the fixture replaces (plan framework) or drops (aliases, which reference real regions
#: and indicators). Their property files go too: their tests describe the real plans.
REPLACED_SEEDS = ("plans", "regions", "plan_domains", "plan_targets", "department_aliases")
DROPPED_SEEDS = ("region_aliases", "indicator_aliases")


def copy_project(dest: Path) -> Path:
    """Copy the dbt project to ``dest`` with the crafted plan seeds instead of the real ones."""
    ignore = shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml")
    shutil.copytree(DBT_PROJECT_DIR, dest, ignore=ignore)
    seeds = dest / "seeds"
    for name in (*REPLACED_SEEDS, *DROPPED_SEEDS):
        for suffix in (".csv", ".yml", ".yaml"):
            (seeds / f"{name}{suffix}").unlink(missing_ok=True)
    for seed in FIXTURE_SEEDS.glob("*.csv"):
        shutil.copy(seed, seeds / seed.name)
    return dest


#: Columns that say when a row was built, not what it holds (incremental-by-region watermark).
BUILD_TIMESTAMP_COLUMNS = ("built_through_ingested_at",)


def select_data_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """``select <every column but the build timestamps>`` for ``schema.table``."""
    schema, name = table.split(".")
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
        if row[0] not in BUILD_TIMESTAMP_COLUMNS
    ]
    return "select " + ", ".join(f'"{c}"' for c in columns)
