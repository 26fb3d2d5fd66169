"""No model's query plan loops over every pair of rows, and a region filter on a view reaches the
stored tables under it.

A left join whose ON clause tests a constant against the left side alone (``on c.kind = 'x' and
c.key = k.key``) cannot be split into hash keys, and DuckDB runs it as a nested-loop join: on the
shipped sample that costs nothing, at M (6.5 M observations) it ran for more than seven minutes
(`int_preferred_observations`, 5 December 2026). The plan, not the timing, shows it at any scale,
so this test reads DuckDB's plan of every compiled model on the built test warehouse.

The row-wise intermediate models and mart_indicator_trend are views
(macros/cross_engine/row_wise_view.sql): an incremental reader or an analyst filters them to some
regions, and that is cheap only if the filter reaches the scans of the stored tables beneath; a
window or aggregate over all regions in a view would stop it.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from dbt_harness import DbtBuild

pytestmark = pytest.mark.integration

#: Join operators that compare every pair of rows of their inputs.
PAIRWISE_JOINS = ("BLOCKWISE_NL_JOIN", "NESTED_LOOP_JOIN")
#: Models allowed a pairwise join, each with the reason its inputs stay small at any scale.
ALLOWED: dict[str, str] = {
    "int_assessment_frame": "an inner range join with the year spine (1900 to the assessment year, "
    "≈ 130 rows): a between, not an equality",
}


def _compiled_models(project_dir: Path) -> list[Path]:
    root = project_dir / "target" / "compiled" / "healthplan" / "models"
    # unit tests compile under "<model>.yml/…"; they read fixtures, not the warehouse
    return sorted(p for p in root.rglob("*.sql") if ".yml" not in p.relative_to(root).as_posix())


def pairwise_joins(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """The pairwise join operators in DuckDB's physical plan of ``sql``."""
    plan = "\n".join(row[1] for row in con.execute("explain " + sql).fetchall())
    return [op for op in PAIRWISE_JOINS if op in plan]


def test_the_check_sees_a_nested_loop_join(dbt_build: DbtBuild) -> None:
    """The pattern that hid in int_preferred_observations is reported (the test can fail)."""
    with duckdb.connect(str(dbt_build.warehouse), read_only=True) as con:
        bad = pairwise_joins(
            con,
            "select * from range(10) as a(x) left join range(10) as b(y) on a.x > 3 and a.x = b.y",
        )
        good = pairwise_joins(
            con,
            "with b as (select y, true as big from range(10) as b(y)) "
            "select * from range(10) as a(x) left join b on (a.x > 3) = b.big and a.x = b.y",
        )
    assert bad and not good


def test_no_model_joins_every_pair_of_rows(dbt_build: DbtBuild) -> None:
    models = _compiled_models(dbt_build.project_dir)
    assert len(models) > 40, "the compiled models were not found"
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(dbt_build.warehouse), read_only=True) as con:
        for path in models:
            ops = pairwise_joins(con, path.read_text(encoding="utf-8"))
            if ops and path.stem not in ALLOWED:
                found[path.stem] = ops
    assert not found, f"pairwise joins in the plans of {found}; key the join on equalities"


#: Schemas of the tables dbt stores from raw data (the seeds in ``reference`` are small).
STORED_SCHEMAS = ("staging", "intermediate", "marts")


def unfiltered_scans(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[str]]:
    """The stored tables DuckDB's plan of ``sql`` scans: (all of them, those scanned without a
    filter on ``region_id`` pushed into the scan)."""
    plan = json.loads(con.execute("explain (format json) " + sql).fetchall()[0][1])
    scanned: list[str] = []
    unfiltered: list[str] = []
    stack = list(plan)
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        info = node.get("extra_info") or {}
        # "<catalog>.<schema>.<table>"; the catalog is the file's name
        table = ".".join(str(info.get("Table", "")).split(".")[-2:])
        if table.split(".")[0] in STORED_SCHEMAS:
            scanned.append(table)
            if "region_id" not in str(info.get("Filters", "")):
                unfiltered.append(table)
    return scanned, unfiltered


#: Stored tables a view may scan whole: the dimensions, one row per region or indicator.
DIMENSIONS = ("marts.dim_region", "marts.dim_indicator")


def _region_keyed_views(dbt_build: DbtBuild) -> list[str]:
    """The views of the intermediate and marts schemas, as "<schema>.<name>"."""
    return sorted(
        f"{n['schema']}.{n['name']}"
        for n in dbt_build.models()
        if n["schema"] in ("intermediate", "marts") and n["config"]["materialized"] == "view"
    )


def test_the_check_sees_a_region_filter_stopped_by_a_window(dbt_build: DbtBuild) -> None:
    """A view that ranks over every region keeps the filter above its scan (the test can fail)."""
    stopped = (
        "select * from (select *, count(*) over () as n "
        "from intermediate.int_assessment_inputs) where region_id = 'china'"
    )
    with duckdb.connect(str(dbt_build.warehouse), read_only=True) as con:
        assert unfiltered_scans(con, stopped)[1] == ["intermediate.int_assessment_inputs"]
        passed = "select * from intermediate.int_assessment_inputs where region_id = 'china'"
        assert unfiltered_scans(con, passed) == (["intermediate.int_assessment_inputs"], [])


def test_a_region_filter_on_a_view_reaches_every_stored_scan(dbt_build: DbtBuild) -> None:
    views = _region_keyed_views(dbt_build)
    named = {"intermediate.int_assessment_verdict", "intermediate.int_indicator_observations"}
    assert named | {"marts.mart_indicator_trend"} <= set(views), views
    scanned: dict[str, list[str]] = {}
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(dbt_build.warehouse), read_only=True) as con:
        for view in views:
            sql = f"select * from {view} where region_id in ('shanghai', 'china')"
            scanned[view], unfiltered = unfiltered_scans(con, sql)
            if set(unfiltered) - set(DIMENSIONS):
                found[view] = unfiltered
    assert not found, f"region filter stopped above the scans of {found}"
    # the verdict reaches int_assessment_inputs; the union its stored tables (DuckDB skips a
    # table whose statistics rule the regions out, so at least one); the trend mart both sides
    # of its full outer join, through the coalesce of their keys
    assert scanned["intermediate.int_assessment_verdict"] == ["intermediate.int_assessment_inputs"]
    observations = scanned["intermediate.int_indicator_observations"]
    assert "staging.stg_observations" in observations, scanned
    trend = set(scanned["marts.mart_indicator_trend"]) - set(DIMENSIONS)
    assert trend == {
        "intermediate.int_assessment_inputs",
        "intermediate.int_resolved_observations",
    }, scanned
