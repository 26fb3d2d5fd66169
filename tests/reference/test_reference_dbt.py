"""The seeds load with dbt and pass their YAML tests (unique, not_null, accepted_values,
relationships, comparator-specific not_null); a broken seed makes `dbt build` fail.

Runs against a copy of the dbt project holding only the seeds and macros, so the reference data
is tested on its own, in a real DuckDB file under tmp_path.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.config import DBT_PROJECT_DIR

pytestmark = pytest.mark.integration

DBT = Path(sys.executable).with_name("dbt")


def _seed_project(dest: Path) -> Path:
    """A dbt project with the real dbt_project.yml, profiles.yml, macros, seeds and generic tests
    only (the seeds' YAML uses the project's generic tests, e.g. unique_combination)."""
    dest.mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(DBT_PROJECT_DIR / name, dest / name)
    for folder in ("macros", "seeds", "tests/generic"):
        shutil.copytree(DBT_PROJECT_DIR / folder, dest / folder)
    return dest


def _dbt_build(project: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HEALTHPLAN_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        [str(DBT), "build", "--project-dir", str(project), "--profiles-dir", str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_seeds_build_and_pass_their_yaml_tests(tmp_path: Path) -> None:
    project = _seed_project(tmp_path / "proj")
    warehouse = tmp_path / "ref.duckdb"
    result = _dbt_build(project, warehouse)
    assert result.returncode == 0, result.stdout[-4000:]
    with open(DBT_PROJECT_DIR / "seeds" / "plan_targets.csv", encoding="utf-8") as handle:
        n_rows = sum(1 for _ in csv.DictReader(handle))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        loaded = con.execute("select count(*) from reference.plan_targets").fetchone()[0]
        binding = con.execute(
            "select count(*) from reference.plan_targets where nature = 'binding'"
        ).fetchone()[0]
    finally:
        con.close()
    assert loaded == n_rows
    assert binding > 0


def test_broken_seed_fails_dbt_build(tmp_path: Path) -> None:
    """A range target without its upper bound and an unknown comparator are refused by dbt."""
    project = _seed_project(tmp_path / "proj")
    path = project / "seeds" / "plan_targets.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rng = next(r for r in rows if r["comparator"] == "range")
    rng["target_upper"] = ""
    rows[0]["comparator"] = "at_least"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = _dbt_build(project, tmp_path / "broken.duckdb")
    assert result.returncode != 0
    assert "accepted_values_plan_targets_comparator" in result.stdout
    assert "not_null_plan_targets_target_upper" in result.stdout
