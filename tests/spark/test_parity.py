"""The same dbt project on Spark gives DuckDB's results: every mart, row and column type
(docs/scale-out.md#parity), and an incremental round on Spark equals a full build."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import ASSESSMENT_YEAR, NOT_YET_ON_SPARK, VARS, Builds
from spark_build import dbt_duckdb, dbt_spark, table_differences

from pipelines.engine import DuckDBWarehouse
from pipelines.ingest import ingest_all

pytestmark = [pytest.mark.integration, pytest.mark.spark]


def _portable_tables(builds: Builds, schema: str) -> list[str]:
    """Tables of ``schema`` that the Spark build covers (all but NOT_YET_ON_SPARK's subtree)."""
    manifest = json.loads((builds.project / "target" / "manifest.json").read_text())
    excluded = set()
    for node in manifest["nodes"].values():
        parents = node.get("depends_on", {}).get("nodes", [])
        if node["name"] in NOT_YET_ON_SPARK or any(p.split(".")[-1] in excluded for p in parents):
            excluded.add(node["name"])
    # dependency order is not guaranteed above: repeat until stable
    changed = True
    while changed:
        changed = False
        for node in manifest["nodes"].values():
            parents = {p.split(".")[-1] for p in node.get("depends_on", {}).get("nodes", [])}
            if node["name"] not in excluded and parents & excluded:
                excluded.add(node["name"])
                changed = True
    return [t for t in builds.duck.tables(schema) if t not in excluded]


def test_every_mart_equals_duckdb(builds: Builds) -> None:
    tables = _portable_tables(builds, "marts")
    assert len(tables) >= 5, tables
    assert sorted(builds.spark.tables("marts")) == tables
    problems = [
        p for t in tables for p in table_differences(builds.duck, builds.spark, f"marts.{t}")
    ]
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
    quoted = "name_en like '%''%' or definition like '%''%'"
    assert builds.duck.query(sql.format(quoted))[0][0] > 0, "the seed has apostrophes"
    for cond in (quoted, "comparable_to is null", "comparable_to = 'None'"):
        assert builds.spark.query(sql.format(cond)) == builds.duck.query(sql.format(cond)), cond


def test_singular_data_tests_pass_on_spark(builds: Builds) -> None:
    """The project's own SQL tests run on Spark too (the generic ones run in docs/scale-out.md's
    manual check; 224 of them would take minutes on local Spark)."""
    ok, failures = dbt_spark(
        builds.project,
        builds.env,
        "test",
        "--vars",
        VARS,
        "--select",
        "test_type:singular",
        *builds.exclude_args(),
    )
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
    # the reference: a full build of the same raw data on a fresh DuckDB file
    full = tmp_path / "full.duckdb"
    ingest_all(full, builds.raw, "full")
    env = {**builds.env, "HEALTHPLAN_WAREHOUSE": str(full)}
    proc = dbt_duckdb(
        builds.project, env, "build", "--vars", VARS, "--exclude", "resource_type:test", "resource_type:unit_test"
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    reference = DuckDBWarehouse(full)
    tables = _portable_tables(builds, "marts")
    problems = [p for t in tables for p in table_differences(reference, builds.spark, f"marts.{t}")]
    assert not problems, "\n".join(problems)
    assert ASSESSMENT_YEAR == 2026
