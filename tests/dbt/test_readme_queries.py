"""Every SQL block of README.md and the monitors' guides runs, as written, on a built warehouse.

The warehouse is the dbt fixture build plus what a run creates in `monitoring` before anything
went wrong (`pipelines.history.ensure_monitoring_objects`: the alerts table, the delivery log,
the failing-since view; the dbt build-state table): so a query on `monitoring.alerts` works
before the first alert exists.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_harness import FIXTURE_SEEDS, DbtBuild

from pipelines.config import DBT_PROJECT_DIR
from pipelines.translations import label

ROOT = DBT_PROJECT_DIR.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "monitoring.md", ROOT / "docs" / "monitoring.zh.md"]


def sql_blocks(path: Path) -> list[str]:
    """Statements of every ```sql block (indented blocks in lists included)."""
    text = path.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL):
        body = "\n".join(line.strip() for line in block.splitlines())
        out += [s.strip() for s in body.split(";") if s.strip()]
    return out


@pytest.fixture(scope="module")
def warehouse(dbt_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipelines.history import ensure_monitoring_objects
    from pipelines.run_state import ensure_build_state_table

    db = tmp_path_factory.mktemp("readme") / "warehouse.duckdb"
    shutil.copyfile(dbt_build.warehouse, db)
    with duckdb.connect(str(db)) as con:
        ensure_monitoring_objects(con)
        ensure_build_state_table(con)
    return db


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_sql_block_runs_as_written(warehouse: Path, doc: Path) -> None:
    statements = sql_blocks(doc)
    assert statements, f"{doc.name} has no SQL block"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for sql in statements:
            try:
                con.execute(sql).fetchall()
            except duckdb.Error as exc:  # name the query that fails
                pytest.fail(f"{doc.name}: query fails as written:\n{sql}\n{exc}")


def test_department_query_answers_with_real_departments(warehouse: Path) -> None:
    query = next(s for s in sql_blocks(ROOT / "README.md") if "mart_department_watchlist" in s)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(query).fetchall()
        stated = con.execute(
            "select count(*) from marts.mart_department_watchlist where is_lead_stated"
        ).fetchone()[0]
    departments = [r[0] for r in rows]
    assert departments[0] == "国家卫生健康委" and stated > 0
    # every answer is a department the plans name, or the explicit "plan names none"
    named = set()
    for seed in ("plan_targets", "plan_domains"):
        with (FIXTURE_SEEDS / f"{seed}.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                named |= {d.strip() for d in (row["lead_department"] or "").split(";") if d}
    assert set(departments) <= named | {label("department", "none")}
