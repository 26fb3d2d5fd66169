"""No model's query plan loops over every pair of rows.

A left join whose ON clause tests a constant against the left side alone (``on c.kind = 'x' and
c.key = k.key``) cannot be split into hash keys, and DuckDB runs it as a nested-loop join: on the
shipped sample that costs nothing, at M (6.5 M observations) it ran for more than seven minutes
(`int_preferred_observations`, 5 December 2026). The plan, not the timing, shows it at any scale,
so this test reads DuckDB's plan of every compiled model on the built test warehouse.
"""

from __future__ import annotations

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
