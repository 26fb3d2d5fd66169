"""A re-run with nothing new is a no-op only while every input and both DuckDB files are untouched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines import run_state
from pipelines.config import Settings


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text(
        "region,indicator,period,value\njiangyin,life_expectancy,2020,82.4\n"
    )
    wh = tmp_path / "wh" / "healthplan.duckdb"
    wh.parent.mkdir()
    wh.write_bytes(b"working")
    pub = tmp_path / "wh" / "published" / "healthplan.duckdb"
    pub.parent.mkdir()
    pub.write_bytes(b"published")
    return Settings(warehouse=wh, raw=raw, published=pub, reports=tmp_path / "reports")


def test_recorded_state_is_up_to_date_until_something_changes(settings: Settings) -> None:
    fp = run_state.inputs_fingerprint(settings)
    assert run_state.up_to_date(settings, fp) is None  # nothing recorded yet
    run_state.write_state(settings, fp, "run-1")
    state = run_state.up_to_date(settings, run_state.inputs_fingerprint(settings))
    assert state is not None and state.run_id == "run-1"


@pytest.mark.parametrize(
    "change",
    ["new_file", "revised_file", "sidecar", "warehouse_rewritten", "published_missing"],
)
def test_any_change_makes_the_state_stale(settings: Settings, change: str) -> None:
    run_state.write_state(settings, run_state.inputs_fingerprint(settings), "run-1")
    if change == "new_file":
        (settings.raw / "sub").mkdir()
        (settings.raw / "sub" / "b.csv").write_text("x\n1\n")
    elif change == "revised_file":
        (settings.raw / "a.csv").write_text(
            "region,indicator,period,value\njiangyin,life_expectancy,2020,82.5\n"
        )
    elif change == "sidecar":
        (settings.raw / "a.csv.source.yml").write_text("data_nature: illustrative\n")
    elif change == "warehouse_rewritten":
        settings.warehouse.write_bytes(b"changed by healthplan ingest")
    elif change == "published_missing":
        settings.published.unlink()
    assert run_state.up_to_date(settings, run_state.inputs_fingerprint(settings)) is None


def test_a_new_assessment_year_is_a_new_input(settings: Settings) -> None:
    this_year = run_state.inputs_fingerprint(settings, today=dt.date(2026, 12, 31))
    next_year = run_state.inputs_fingerprint(settings, today=dt.date(2027, 1, 1))
    assert this_year != next_year
