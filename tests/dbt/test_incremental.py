"""int_counts_annual is incremental by region × year: after new and revising count files, an
incremental run gives exactly the marts a full rebuild gives."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import dbt_fixture_data as fx
import duckdb
import pytest
from dbt_harness import DbtBuild, run_dbt, select_data_columns

pytestmark = pytest.mark.integration

EARLIER = datetime(2024, 8, 1, 8, 0, 0)
LATE = datetime(2024, 9, 1, 8, 0, 0)
MARTS = (
    "marts.fct_indicator_observation",
    "marts.fct_target_assessment",
    "marts.mart_reported_vs_computed",
    "intermediate.int_counts_annual",
    "intermediate.int_computed_indicators",
)


def _stable(row: tuple) -> str:
    # Floats to 12 significant digits: DuckDB's parallel aggregates may sum in a different order
    # run to run (last-bit noise), which is not a difference between incremental and full builds;
    # likewise the sign of a zero (-0.0 = 0.0), hence `+ 0.0`.
    return repr(tuple(float(f"{v:.12g}") + 0.0 if isinstance(v, float) else v for v in row))


def _snapshot(warehouse: Path) -> dict[str, list[str]]:
    # built_through_ingested_at (incremental-by-region watermark) says when a row was built, so it
    # legitimately differs between an incremental and a full build: not compared
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            t: sorted(
                map(_stable, con.execute(f"{select_data_columns(con, t)} from {t}").fetchall())
            )
            for t in MARTS
        }


def _late_counts() -> list[dict[str, object]]:
    revised = fx.count_rows()[1]  # infant_deaths 2022
    assert revised["measure"] == "infant_deaths"
    rows = [
        {**revised, "value": 7.0, "file_path": "counts/revised.csv", "ingested_at": LATE},
        {**fx.count_rows()[0], "year": 2023, "period": "2023", "value": 12_000.0},
        {**revised, "year": 2023, "period": "2023", "value": 3.0},
    ]
    for row in rows[1:]:
        row.update(file_path="counts/2023.csv", ingested_at=LATE)
    return rows


def test_incremental_run_equals_full_rebuild(dbt_build: DbtBuild, tmp_path: Path) -> None:
    # same file name: views inside the file name their catalog after it
    warehouse = tmp_path / "copy" / dbt_build.warehouse.name
    warehouse.parent.mkdir()
    shutil.copy(dbt_build.warehouse, warehouse)
    env = {**dbt_build.env, "HEALTHPLAN_WAREHOUSE": str(warehouse)}
    # first another region's count of 2022 (its own run), then the late files for testville
    with duckdb.connect(str(warehouse)) as con:
        other = {**fx.count_rows()[0], "region_id": "town_a", "file_path": "counts/town_a.csv"}
        fx.insert(con, "count_observations", [{**other, "ingested_at": EARLIER}])
    select = ["--select", "stg_count_observations_latest+"]
    select += ["--vars", json.dumps({"assessment_year": 2023})]
    first = run_dbt(
        dbt_build.project_dir, env, "run", *select, "--target-path", str(tmp_path / "t0")
    )
    assert first.returncode == 0, first.stdout[-3000:]
    with duckdb.connect(str(warehouse)) as con:
        fx.insert(con, "count_observations", _late_counts())
    # the stored latest revision of the counts first: int_counts_annual reads it
    args = [*select, "--target-path", str(tmp_path / "target")]

    incremental = run_dbt(dbt_build.project_dir, env, "run", *args)
    assert incremental.returncode == 0, incremental.stdout[-3000:]
    compiled = next((tmp_path / "target" / "compiled").rglob("int_counts_annual.sql"))
    sql = compiled.read_text(encoding="utf-8")
    # really incremental: exactly the region × year cells that received count rows
    pattern = r"region_id in \('testville'\)\s+and year in \(2022, 2023\)\s+and region_id \|\| '\|'"
    assert re.search(pattern, sql), "not incremental"
    assert "'testville|2022', 'testville|2023'" in sql, "not incremental"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cells = "select distinct region_id, year from intermediate.int_counts_annual"
        written = con.execute(f"{cells} where built_through_ingested_at = ?", [LATE]).fetchall()
        kept = con.execute(f"{cells} where built_through_ingested_at < ?", [LATE]).fetchall()
    # only the changed cells were rewritten; the other cells (other regions too) kept their rows
    assert sorted(written) == [("testville", 2022), ("testville", 2023)]
    assert ("town_a", 2022) in kept and not set(kept) & set(written), kept
    after_incremental = _snapshot(warehouse)

    full = run_dbt(dbt_build.project_dir, env, "run", "--full-refresh", *args)
    assert full.returncode == 0, full.stdout[-3000:]
    after_full = _snapshot(warehouse)
    for table in MARTS:
        diff = set(after_incremental[table]) ^ set(after_full[table])
        assert not diff, (table, sorted(diff)[:2])

    # and the incremental run did pick up the revision and the new year
    with duckdb.connect(str(warehouse), read_only=True) as con:
        imr = dict(
            con.execute(
                "select year, value from intermediate.int_computed_indicators "
                "where indicator_code = 'infant_mortality_rate' and region_id = 'testville'"
            ).fetchall()
        )
    assert imr == pytest.approx({2022: 7 / 13_000 * 1000, 2023: 3 / 12_000 * 1000})
