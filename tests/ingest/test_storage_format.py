"""The storage format of a warehouse file (pipelines.db.connect_warehouse): a new file is
created in the current format, an older file keeps its own and still works, and the format is
given without ever clashing with another connection of the same process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.db import STORAGE_VERSION, connect_warehouse, storage_version
from pipelines.ingest import ingest_all

SAMPLE = "region,indicator,period,value,unit\njiangyin,life_expectancy,2020,82.4,years\n"
#: The format DuckDB gives a file when nothing is asked (readable back to DuckDB 0.10.2).
DEFAULT_FORMAT = "v1.0.0+"


def _landing(root: Path) -> Path:
    raw = root / "raw"
    (raw / "jiangyin").mkdir(parents=True)
    (raw / "jiangyin" / "base.csv").write_text(SAMPLE, encoding="utf-8")
    return raw


def _format(db: Path) -> str | None:
    with duckdb.connect(str(db), read_only=True) as con:
        return storage_version(con)


def test_ingestion_creates_a_new_warehouse_in_the_current_format(tmp_path: Path) -> None:
    db = tmp_path / "wh" / "healthplan.duckdb"
    results = ingest_all(db, _landing(tmp_path), seeds_dir=PROJECT_ROOT / "dbt_project" / "seeds")
    assert [r.status for r in results] == ["loaded"]
    assert _format(db) == f"{STORAGE_VERSION}+"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from raw.observations").fetchone() == (1,)


def test_an_older_warehouse_keeps_its_format_and_takes_new_files(tmp_path: Path) -> None:
    db = tmp_path / "healthplan.duckdb"
    duckdb.connect(str(db)).close()  # made before: DuckDB's default format
    assert _format(db) == DEFAULT_FORMAT
    results = ingest_all(db, _landing(tmp_path), seeds_dir=PROJECT_ROOT / "dbt_project" / "seeds")
    assert [r.status for r in results] == ["loaded"]
    assert _format(db) == DEFAULT_FORMAT


def test_the_format_never_clashes_with_an_open_connection(tmp_path: Path) -> None:
    # DuckDB refuses a second connection of one process to one file with another configuration:
    # only the connection that creates the file is given the format.
    db = tmp_path / "healthplan.duckdb"
    with connect_warehouse(db) as first:
        first.execute("create table t as select 1 as x")
        with connect_warehouse(db) as second, duckdb.connect(str(db)) as plain:
            assert second.execute("select x from t").fetchone() == (1,)
            assert plain.execute("select x from t").fetchone() == (1,)


def test_a_read_only_open_never_creates_a_file(tmp_path: Path) -> None:
    db = tmp_path / "missing.duckdb"
    with pytest.raises(duckdb.IOException):
        connect_warehouse(db, read_only=True)
    assert not db.exists()


def test_the_format_is_one_the_pinned_duckdb_writes() -> None:
    def version(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", text)[:3])

    pinned = re.search(r"^duckdb==(\S+)$", (PROJECT_ROOT / "constraints.txt").read_text(), re.M)
    assert pinned is not None
    assert version(STORAGE_VERSION) <= version(pinned.group(1)) == version(duckdb.__version__)


def test_dbt_creates_a_warehouse_in_the_same_format(tmp_path: Path) -> None:
    import yaml

    project = PROJECT_ROOT / "dbt_project"
    profiles = yaml.safe_load((project / "profiles.yml").read_text())
    duckdb_output = profiles["healthplan"]["outputs"]["duckdb"]
    assert duckdb_output["config_options"] == {"storage_compatibility_version": STORAGE_VERSION}
    # bare dbt use before any ingestion: `dbt debug` opens (so creates) the warehouse
    db = tmp_path / "healthplan.duckdb"
    dbt = Path(sys.executable).parent / "dbt"
    env = {**os.environ, "HEALTHPLAN_WAREHOUSE": str(db), "HEALTHPLAN_ENGINE": "duckdb"}
    argv = [str(dbt), "debug", "--project-dir", str(project), "--profiles-dir", str(project)]
    subprocess.run(argv, env=env, capture_output=True, timeout=300, check=True)
    assert _format(db) == f"{STORAGE_VERSION}+"
