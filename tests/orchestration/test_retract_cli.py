"""`healthplan retract`: refused while the file is still in the landing zone or never arrived;
nothing is recorded then (the retraction itself is tested with real builds in
tests/dbt/test_arrivals.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration import cli
from pipelines.ingest import ingest_all

CSV = "region,indicator,period,value\njiangyin,life_expectancy,2020,81.0\n"


@pytest.fixture
def zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    raw, db = tmp_path / "raw", tmp_path / "wh" / "healthplan.duckdb"
    raw.mkdir()
    (raw / "le.csv").write_text(CSV, encoding="utf-8")
    ingest_all(db, raw, "first")
    monkeypatch.setenv("HEALTHPLAN_RAW", str(raw))
    monkeypatch.setenv("HEALTHPLAN_WAREHOUSE", str(db))
    monkeypatch.setenv("HEALTHPLAN_ALERT_NOTIFIERS", "")
    return raw, db


def _arrivals(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select file_path, status from raw.ingested_files").fetchall()


def test_retract_refuses_a_file_still_present(zone, capsys) -> None:
    raw, db = zone
    assert cli.main(["retract", "le.csv", "--wait", "5"]) == cli.EXIT_RUN_FAILED
    assert "still in the landing zone" in capsys.readouterr().err
    assert _arrivals(db) == [("le.csv", "loaded")]


def test_retract_refuses_a_path_that_never_arrived(zone, capsys) -> None:
    raw, db = zone
    assert cli.main(["retract", "never.csv", "--wait", "5"]) == cli.EXIT_RUN_FAILED
    assert "no arrival recorded" in capsys.readouterr().err
    assert _arrivals(db) == [("le.csv", "loaded")]
