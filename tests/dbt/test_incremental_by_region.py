"""The region-keyed models are incremental by region: after more raw data for one or two regions,
an incremental run rewrites only those regions' rows, and every table and view of the
intermediate and marts schemas then equals a ``--full-refresh`` build of the same raw data."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import dbt_fixture_data as fx
import duckdb
import pytest
from dbt_harness import BUILD_TIMESTAMP_COLUMNS, DbtBuild, run_dbt

pytestmark = pytest.mark.integration

FIRST = datetime(2024, 10, 1, 8, 0, 0)  # a new observation for town_a, new counts for town_b
SECOND = datetime(2024, 11, 1, 8, 0, 0)  # town_b's live births revised to 0
#: The models the issue names; every other incremental model is found in the manifest.
NAMED = {
    "int_resolved_observations",  # stores fct_indicator_observation's rows (a view of it)
    "int_assessment_inputs",
    "fct_target_assessment",
    "mart_target_progress",  # (the mart_indicator_trend is a view of stored rows now)
}
VARS = json.dumps({"assessment_year": fx.ASSESSMENT_YEAR})


def _town_b_counts(live_births: float, at: datetime, path: str) -> list[dict[str, object]]:
    rows = [
        {**fx.count_rows()[0], "value": live_births},  # live_births 2022
        {**fx.count_rows()[1], "value": 1.0},  # infant_deaths 2022
    ]
    for i, row in enumerate(rows, start=2):
        row.update(region_id="town_b", file_path=path, file_hash=f"hash-{path}")
        row.update(ingested_at=at, source_row=i)
    return rows[:1] if live_births == 0 else rows


#: Keep their watermark in intermediate.incremental_watermarks: a table of exactly its contract
#: columns (no built_through_ingested_at), and one that may hold no row (only the years with
#: something to resolve: its rows still carry the column).
WATERMARK_TABLE_MODELS = {"marts.fct_target_assessment", "intermediate.int_observation_duplicates"}
NO_WATERMARK_COLUMN = {"marts.fct_target_assessment"}


def _watermark(con: duckdb.DuckDBPyConnection, model: str) -> datetime:
    return con.execute(
        "select built_through_ingested_at from intermediate.incremental_watermarks where model = ?",
        [model.split(".")[1]],
    ).fetchone()[0]


def _incremental_models(dbt_build: DbtBuild) -> list[str]:
    return sorted(
        f"{n['schema']}.{n['name']}"
        for n in dbt_build.models()
        if n["config"]["materialized"] == "incremental"
        and n["config"].get("unique_key") == "region_id"
    )


def _relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('staging', 'intermediate', 'marts') order by 1"
    ).fetchall()
    return [r for (r,) in rows]


def _data_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """Every column but the build timestamps; doubles to 12 significant digits and without the
    sign of zero: DuckDB's parallel aggregates (product, sum) differ in the last bits between two
    full builds of the same data, which is not a difference between incremental and full."""
    schema, name = relation.split(".")
    rows = con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? "
        "and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [
        f'printf(\'%.12g\', "{c}" + 0.0) as "{c}"' if t in ("DOUBLE", "FLOAT") else f'"{c}"'
        for (c, t) in rows
        if c not in BUILD_TIMESTAMP_COLUMNS
    ]


def _written_at(con: duckdb.DuckDBPyConnection, table: str, at: datetime) -> dict[str, int]:
    """Rows per region whose watermark is ``at`` (written by the run that saw raw up to ``at``)."""
    rows = con.execute(
        f"select region_id, count(*) from {table} where built_through_ingested_at = ? "
        "group by region_id",
        [at],
    ).fetchall()
    return dict(rows)


def _rows_per_region(con: duckdb.DuckDBPyConnection, table: str, regions: set[str]) -> dict:
    rows = con.execute(
        f"select region_id, count(*) from {table} where region_id in "
        f"({', '.join('?' for _ in regions)}) group by region_id",
        sorted(regions),
    ).fetchall()
    return dict(rows)


@pytest.fixture(scope="module")
def copy(dbt_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    # same file name: views inside the file name their catalog after it
    warehouse = tmp_path_factory.mktemp("by_region") / dbt_build.warehouse.name
    shutil.copy(dbt_build.warehouse, warehouse)
    return warehouse, {**dbt_build.env, "HEALTHPLAN_WAREHOUSE": str(warehouse)}


def _dbt(dbt_build: DbtBuild, env: dict, target: Path, *args: str) -> str:
    result = run_dbt(
        dbt_build.project_dir,
        env,
        "run",
        "--select",
        "source:raw+",
        "--vars",
        VARS,
        "--target-path",
        str(target),
        *args,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return result.stdout


#: town_b's computed infant mortality rate (present while its live births are non-zero).
IMR_TOWN_B = (
    "select value from intermediate.int_computed_rates where region_id = 'town_b' "
    "and indicator_code = 'infant_mortality_rate'"
)
#: Where the incremental run's tables are kept before the full rebuild replaces them.
SNAPSHOT_SCHEMA = "incremental_copy"


def _snapshot(relation: str) -> str:
    return f"{SNAPSHOT_SCHEMA}.{relation.replace('.', '__')}"


def _assert_first_run_wrote_only_its_regions(
    con: duckdb.DuckDBPyConnection, models: list[str]
) -> None:
    """After run 1 (raw for town_a and town_b at FIRST): those regions rewritten whole, no other."""
    for table in WATERMARK_TABLE_MODELS:
        assert _watermark(con, table) == FIRST
    for table in set(models) - NO_WATERMARK_COLUMN:
        written = _written_at(con, table, FIRST)
        # only the affected regions were written, and each of them entirely
        assert set(written) <= {"town_a", "town_b"}, (table, written)
        assert written == _rows_per_region(con, table, {"town_a", "town_b"}), table
        others = con.execute(
            f"select count(*) from {table} where region_id not in ('town_a', 'town_b') "
            "and built_through_ingested_at >= ?",
            [FIRST],
        ).fetchone()
        assert others == (0,), table  # no other region was rewritten
    assert _written_at(con, "marts.fct_indicator_observation", FIRST)["town_a"] > 0
    assert con.execute(IMR_TOWN_B).fetchall() == [(pytest.approx(10.0),)]  # 1 / 100 births × 1000


def _assert_second_run_wrote_only_its_regions(
    con: duckdb.DuckDBPyConnection, models: list[str]
) -> None:
    """After run 2 (town_b revised, a national value at SECOND): town_b and china rewritten, the
    cross-plan mart whole, and town_b's stale rate deleted."""
    for table in WATERMARK_TABLE_MODELS:
        assert _watermark(con, table) == SECOND
    for table in set(models) - NO_WATERMARK_COLUMN:
        written = _written_at(con, table, SECOND)
        if table == "marts.mart_cross_plan_indicators":
            total = con.execute(f"select count(*) from {table}").fetchone()[0]
            assert sum(written.values()) == total > 0  # the whole table, once
        else:
            assert set(written) <= {"town_b", "china"}, (table, written)
    assert con.execute(IMR_TOWN_B).fetchall() == []  # the stale row was deleted, not kept


def _keep_incremental_copy(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Copy every relation's data columns into :data:`SNAPSHOT_SCHEMA`; the relations copied."""
    con.execute(f"create schema {SNAPSHOT_SCHEMA}")
    relations = _relations(con)
    for rel in relations:
        cols = ", ".join(_data_columns(con, rel))
        con.execute(f"create table {_snapshot(rel)} as select {cols} from {rel}")
    return relations


def _assert_equals_incremental_copy(
    con: duckdb.DuckDBPyConnection, relations: list[str], models: list[str]
) -> None:
    """Every relation of the full rebuild holds exactly the rows of its incremental copy."""
    assert _relations(con) == relations
    checked: dict[str, int] = {}
    for rel in relations:
        cols = ", ".join(_data_columns(con, rel))
        snap = _snapshot(rel)
        only_full = con.execute(
            f"select count(*) from (select {cols} from {rel} except all select * from {snap})"
        ).fetchone()[0]
        only_incremental = con.execute(
            f"select count(*) from (select * from {snap} except all select {cols} from {rel})"
        ).fetchone()[0]
        assert (only_full, only_incremental) == (0, 0), rel
        checked[rel] = con.execute(f"select count(*) from {rel}").fetchone()[0]
    assert all(checked[m] > 0 for m in models), checked  # the comparison saw real rows


def test_incremental_runs_rewrite_only_affected_regions_and_equal_a_full_rebuild(
    dbt_build: DbtBuild, copy: tuple[Path, dict], tmp_path: Path
) -> None:
    warehouse, env = copy
    models = _incremental_models(dbt_build)
    assert NAMED <= {m.split(".")[1] for m in models}, models
    assert len(models) >= 8, models

    # 1. one figure for town_a in two publications (int_observation_duplicates resolves that
    # year, so its only rows are town_a's), counts for town_b (new regions of the computed chain)
    town_a = fx._observation("town_a", "immunization_coverage", 2022, 97.0, "obs/a.csv", FIRST, 2)
    reprint = {**town_a, "source": "test news reprint", "source_row": 3}
    with duckdb.connect(str(warehouse)) as con:
        fx.insert(con, "observations", [town_a, reprint])
        fx.insert(con, "count_observations", _town_b_counts(100.0, FIRST, "counts/b.csv"))
    _dbt(dbt_build, env, tmp_path / "t1")
    for table in models:  # the affected regions are literals: DuckDB pushes them to the scans
        compiled = next((tmp_path / "t1" / "compiled").rglob(table.split(".")[1] + ".sql"))
        assert re.search(r"region_id in \('town_a', 'town_b'\)", compiled.read_text()), table
    with duckdb.connect(str(warehouse), read_only=True) as con:
        _assert_first_run_wrote_only_its_regions(con, models)

    # 2. town_b's births revised to 0: its only computable rates vanish in a full build; and a
    # national value, which changes every row of the cross-plan mart (rebuilt whole)
    national = fx._observation(
        "china", "air_quality_good_days_ratio", 2021, 86.0, "obs/c.csv", SECOND, 2
    )
    with duckdb.connect(str(warehouse)) as con:
        fx.insert(con, "count_observations", _town_b_counts(0.0, SECOND, "counts/b_rev.csv"))
        fx.insert(con, "observations", [national])
    _dbt(dbt_build, env, tmp_path / "t2")
    with duckdb.connect(str(warehouse)) as con:
        _assert_second_run_wrote_only_its_regions(con, models)
        # keep what the incremental runs built, then rebuild everything from the same raw data
        relations = _keep_incremental_copy(con)

    _dbt(dbt_build, env, tmp_path / "t3", "--full-refresh")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        _assert_equals_incremental_copy(con, relations, models)


def test_incremental_run_refuses_what_needs_a_full_rebuild(
    dbt_build: DbtBuild, copy: tuple[Path, dict], tmp_path: Path
) -> None:
    _, env = copy
    result = run_dbt(
        dbt_build.project_dir,
        env,
        "run",
        "--select",
        "int_assessment_inputs",
        "--vars",
        json.dumps({"assessment_year": fx.ASSESSMENT_YEAR + 1, "as_of": "2024-03-01 00:00:00"}),
        "--target-path",
        str(tmp_path / "t"),
    )
    assert result.returncode != 0
    out = " ".join(result.stdout.split())
    assert "var as_of is set" in out, out[-2000:]
    assert f"built for assessment year {fx.ASSESSMENT_YEAR} and this run assesses" in out
    assert "build with --full-refresh" in out
