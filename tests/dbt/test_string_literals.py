"""The project's one quoting rule (macro sql_string) on DuckDB: text with an apostrophe and a
backslash survives as a SQL literal. tests/spark/test_parity.py runs the same query on Spark."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dbt_harness import run_dbt

from pipelines.config import DBT_PROJECT_DIR

QUERY = Path(__file__).parent / "fixtures" / "string_literals.sql"


def test_sql_string_round_trips_apostrophes_and_backslashes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HEALTHPLAN_WAREHOUSE": str(tmp_path / "literals.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    proc = run_dbt(
        DBT_PROJECT_DIR,
        env,
        "show",
        "--inline",
        QUERY.read_text(encoding="utf-8"),
        "--output",
        "json",
        "--quiet",
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads(proc.stdout)["show"]
    assert rows == [{"same_text": True, "listed": True, "not_listed": False}]
