"""`healthplan upgrade-storage`: a warehouse made in DuckDB's older default storage format is
rewritten in the current one with everything in it (tables, rows, views, comments, the sequence
of arrivals), the old file kept beside it; a second upgrade does nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration import cli
from pipelines import storage_upgrade
from pipelines.db import STORAGE_VERSION, storage_version
from pipelines.ingest import ingest_all
from pipelines.storage_upgrade import format_note, upgrade_storage

CSV = "region,indicator,period,value\njiangyin,life_expectancy,2020,81.0\n"
NEW_CSV = "region,indicator,period,value\njiangyin,life_expectancy,2021,81.3\n"


def _contents(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "format": storage_version(con),
            "observations": con.execute(
                "select region_id, indicator_code, period, value, file_path "
                "from raw.observations order by period"
            ).fetchall(),
            "views": con.execute(
                "select schema_name, view_name from duckdb_views() where not internal order by all"
            ).fetchall(),
            "comment": con.execute(
                "select comment from duckdb_tables() where table_name = 'probe'"
            ).fetchall(),
        }


@pytest.fixture
def old_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    raw, db = tmp_path / "raw", tmp_path / "wh" / "healthplan.duckdb"
    raw.mkdir()
    (raw / "le.csv").write_text(CSV, encoding="utf-8")
    db.parent.mkdir()
    duckdb.connect(str(db)).close()  # made before the current format: DuckDB's default
    ingest_all(db, raw, "first")
    with duckdb.connect(str(db)) as con:
        con.execute("create table main.probe as select 1 as x")
        con.execute("comment on table main.probe is '探针'")
    monkeypatch.setenv("HEALTHPLAN_RAW", str(raw))
    monkeypatch.setenv("HEALTHPLAN_WAREHOUSE", str(db))
    monkeypatch.setenv("HEALTHPLAN_ALERT_NOTIFIERS", "")
    return raw, db


def test_upgrade_rewrites_the_warehouse_and_keeps_everything(old_warehouse, capsys) -> None:
    raw, db = old_warehouse
    before = _contents(db)
    assert before["format"] == "v1.0.0+"
    assert "`healthplan upgrade-storage` rewrites it" in format_note(before["format"])  # status
    assert cli.main(["upgrade-storage", "--wait", "5"]) == 0
    assert "counts checked" in capsys.readouterr().out
    after = _contents(db)
    assert after == {**before, "format": f"{STORAGE_VERSION}+"}
    assert format_note(after["format"]) == f"{STORAGE_VERSION}+ (current)"
    assert sorted(p.name for p in db.parent.iterdir()) == [
        "healthplan.before-upgrade.duckdb",
        "healthplan.duckdb",
        "healthplan.writer.lock",
    ]  # no staging file or log left behind
    backup = db.with_name("healthplan.before-upgrade.duckdb")
    assert _contents(backup) == before
    # the upgraded warehouse takes the next file: the arrival numbering continues
    (raw / "le.csv").write_text(NEW_CSV, encoding="utf-8")
    assert [r.status for r in ingest_all(db, raw, "second")] == ["loaded"]
    with duckdb.connect(str(db), read_only=True) as con:
        ids = con.execute("select arrival_id from raw.ingested_files order by 1").fetchall()
    assert len(set(ids)) == 2
    # and a second upgrade finds nothing to do
    assert upgrade_storage(db).backup is None


def test_upgrade_without_a_warehouse_fails_clearly(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HEALTHPLAN_WAREHOUSE", str(tmp_path / "none" / "healthplan.duckdb"))
    monkeypatch.setenv("HEALTHPLAN_ALERT_NOTIFIERS", "")
    assert cli.main(["upgrade-storage", "--wait", "5"]) == cli.EXIT_RUN_FAILED
    assert "no warehouse at" in capsys.readouterr().err


def test_a_copy_whose_counts_differ_replaces_nothing_and_leaves_nothing(
    old_warehouse, monkeypatch
) -> None:
    _, db = old_warehouse
    before = _contents(db)
    counts = storage_upgrade._row_counts

    def one_row_lost(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
        found = counts(con, catalog)
        if catalog == "new_file":
            found["main.probe"] -= 1
        return found

    monkeypatch.setattr(storage_upgrade, "_row_counts", one_row_lost)
    with pytest.raises(RuntimeError, match=r"differs in \['main.probe'\]; nothing was replaced"):
        upgrade_storage(db)
    assert _contents(db) == before  # the old format, every row
    assert sorted(p.name for p in db.parent.iterdir()) == ["healthplan.duckdb"]
