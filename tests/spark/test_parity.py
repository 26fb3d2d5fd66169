"""The same dbt project on Spark gives DuckDB's results: every mart, row and column type
(docs/scale-out.md#parity), and an incremental round on Spark equals a full build."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from conftest import ASSESSMENT_YEAR, NOT_YET_ON_SPARK, VARS, Builds
from spark_build import dbt_duckdb, dbt_spark, dbt_spark_show, table_differences

from pipelines.config import PROJECT_ROOT
from pipelines.engine import DuckDBWarehouse, mirror_into_duckdb
from pipelines.ingest import ingest_all

pytestmark = [pytest.mark.integration, pytest.mark.spark]


def _portable_tables(builds: Builds, schema: str) -> list[str]:
    """Relations dbt builds in ``schema`` that the Spark build covers: every model and seed but
    NOT_YET_ON_SPARK's and their descendants' (and no table a hook writes for an excluded model,
    such as intermediate.incremental_watermarks). DuckDB's views count: the row-wise models are
    views there and tables on Spark (macros/cross_engine/row_wise_view.sql)."""
    manifest = json.loads((builds.project / "target" / "manifest.json").read_text())
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    excluded = set(NOT_YET_ON_SPARK)
    changed = True
    while changed:  # descendants, to a fixed point (the manifest is not in dependency order)
        changed = False
        for node in nodes:
            parents = {p.split(".")[-1] for p in node.get("depends_on", {}).get("nodes", [])}
            if node["name"] not in excluded and parents & excluded:
                excluded.add(node["name"])
                changed = True
    built = {n["name"] for n in nodes if n["schema"] == schema and n["name"] not in excluded}
    return [t for t in builds.duck.tables(schema, views=True) if t in built]


def test_every_mart_equals_duckdb(builds: Builds) -> None:
    tables = _portable_tables(builds, "marts")
    assert len(tables) >= 5, tables
    assert sorted(builds.spark.tables("marts")) == tables
    problems = [
        p for t in tables for p in table_differences(builds.duck, builds.spark, f"marts.{t}")
    ]
    assert not problems, "\n".join(problems)


def test_verdict_tables_read_through_spark_into_duckdb(builds: Builds, tmp_path) -> None:
    """pipelines.engine.mirror_into_duckdb: what GX, the report and publish read after a Spark
    build is exactly what Spark computed, with DuckDB's column types."""
    mirror = tmp_path / "mirror.duckdb"
    copied = mirror_into_duckdb(builds.spark, mirror, schemas=("marts",))
    tables = _portable_tables(builds, "marts")
    assert sorted(t.split(".")[1] for t in copied) == tables
    copy = DuckDBWarehouse(mirror)
    problems = [p for t in tables for p in table_differences(builds.duck, copy, f"marts.{t}")]
    assert not problems, "\n".join(problems)


def test_intermediate_and_reference_equal_duckdb(builds: Builds) -> None:
    """Seeds (the escaped loader) and the intermediate models agree too."""
    problems = []
    for schema in ("reference", "intermediate"):
        for t in _portable_tables(builds, schema):
            problems += table_differences(builds.duck, builds.spark, f"{schema}.{t}")
    assert not problems, "\n".join(problems)


def test_seed_text_with_apostrophes_and_nulls_survives(builds: Builds) -> None:
    """dbt-spark #572: the default session loader breaks on ' and writes null as 'None'."""
    sql = "select count(*) from reference.indicators where {}"
    # chr(39) is the apostrophe: the two engines escape it differently in a literal
    quoted = "instr(name_en, chr(39)) > 0 or instr(definition, chr(39)) > 0"
    assert builds.duck.query(sql.format(quoted))[0][0] > 0, "the seed has apostrophes"
    for cond in (quoted, "comparable_to is null", "comparable_to = 'None'"):
        assert builds.spark.query(sql.format(cond)) == builds.duck.query(sql.format(cond)), cond


def test_sql_string_round_trips_apostrophes_and_backslashes(builds: Builds) -> None:
    """The project's one quoting rule (macro sql_string) on Spark, whose literals read backslash
    escapes: the query tests/dbt/test_string_literals.py runs on DuckDB, with the same answer."""
    query = PROJECT_ROOT / "tests" / "dbt" / "fixtures" / "string_literals.sql"
    rows = dbt_spark_show(builds.project, builds.env, query.read_text(encoding="utf-8"))
    assert rows == [{"same_text": True, "listed": True, "not_listed": False}]


def test_dbt_tests_pass_on_spark(builds: Builds) -> None:
    """Every dbt test of the project (generic and singular data tests, unit tests) passes on
    Spark: with the fixture's build (seeds and models) this is `dbt build` on Spark."""
    ok, failures = dbt_spark(builds.project, builds.env, "test", "--vars", VARS)
    assert ok, failures


def _revise_one_region(builds: Builds) -> str:
    """A new landing-zone file revising one region's counts (its 2021 deaths, +10 %)."""
    source = builds.raw / "illustrative" / "counts" / "jiangyin_counts.csv"
    with source.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    revised = [r for r in rows if r["period"] == "2021" and "death" in r["measure"]]
    assert revised, "the sample has Jiangyin deaths in 2021"
    for r in revised:
        r["value"] = str(round(float(r["value"]) * 1.1 + 1))
    dest = builds.raw / "illustrative" / "counts" / "jiangyin_counts_revision.csv"
    with dest.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(revised)
    return revised[0]["region"] if "region" in fields else revised[0][fields[0]]


def test_incremental_round_on_spark_equals_full_build(builds: Builds, tmp_path) -> None:
    """One new file, one region rewritten by insert_overwrite: equal to a full DuckDB build."""
    _revise_one_region(builds)
    results = ingest_all(
        builds.settings.warehouse, builds.raw, "revision", lake=builds.settings.lake
    )
    assert [r.status for r in results if r.status == "loaded"] == ["loaded"]
    ok, failures = dbt_spark(
        builds.project, builds.env, "run", "--vars", VARS, *builds.exclude_args()
    )
    assert ok, failures
    # the reference: a full DuckDB build of the same raw rows (same ingestion timestamps)
    full = tmp_path / "full.duckdb"
    shutil.copy(builds.settings.warehouse, full)
    env = {**builds.env, "HEALTHPLAN_WAREHOUSE": str(full)}
    proc = dbt_duckdb(
        builds.project,
        env,
        "build",
        "--full-refresh",
        "--vars",
        VARS,
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    reference = DuckDBWarehouse(full)
    tables = _portable_tables(builds, "marts")
    # built_through_ingested_at says when a row was built, not what it holds: an incremental
    # run leaves untouched regions with their older watermark (as on DuckDB, tests/dbt)
    problems = [
        p
        for t in tables
        for p in table_differences(
            reference, builds.spark, f"marts.{t}", ignore=("built_through_ingested_at",)
        )
    ]
    assert not problems, "\n".join(problems)
    assert ASSESSMENT_YEAR == 2026
