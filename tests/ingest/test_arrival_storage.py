"""Data rows stored by arrival: ``raw.observations`` and ``raw.count_observations`` read as their
contract says (a register's count rows from storage of their own), a warehouse made before moves
to the layout without losing a row, and a crash right after any of it leaves a warehouse that
opens."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from raw_arrivals import record_loaded_arrival

from pipelines.config import PROJECT_ROOT
from pipelines.ingest import ensure_raw_schema, ingest_file
from pipelines.ingest.schema import (
    ARRIVAL_KEY,
    FILE_LINEAGE,
    RAW_COLUMNS,
    RAW_DDL,
    REGISTER_DDL,
    REGISTER_ROWS,
    STORED_ROWID,
)

COUNTS = (
    "region,period,measure,value\njiangyin,2021,live_births,8000\njiangyin,2022,live_births,7900\n"
)


def _old_layout(db: Path) -> None:
    """A warehouse as ingestion wrote it before: every count row with its file's lineage, no
    arrival keys (two arrivals, one of them a revision of the same path)."""
    with duckdb.connect(str(db)) as con:
        con.execute("create schema raw")
        for table, ddl in RAW_DDL.items():
            con.execute(f"create table raw.{table} ({ddl})")
        # as before issue 14: observations without data_status
        con.execute("alter table raw.observations drop column data_status")
        for at, run, value in (
            (datetime(2024, 1, 1), "r1", 10.0),
            (datetime(2024, 2, 1), "r2", 11.0),
        ):
            con.execute(
                "insert into raw.ingested_files (file_hash, file_path, status, rows_read, "
                "rows_loaded, rows_quarantined, ingested_at, run_id) "
                "values (?, 'c.csv', 'loaded', 1, 1, 0, ?, ?)",
                [f"h-{run}", at, run],
            )
            con.execute(
                "insert into raw.observations values (?, 'c.csv', null, 3, ?, ?, 'jiangyin', "
                "'life_expectancy', '2021', 'year', 2021, ?, 'years', '80', '岁', 'bulletin', "
                "null, 'official', null, null)",
                [f"h-{run}", at, run, 70.0 + value],
            )
            con.execute(
                "insert into raw.count_observations values "
                "(?, 'c.csv', null, 2, ?, ?, 'jiangyin', '2021', 2021, 'live_births', 'all', "
                "'all', 'all', ?, 'bulletin', 'official')",
                [f"h-{run}", at, run, value],
            )


#: births of 2021 by sex, as a birth register holds them (one record per birth)
BIRTHS = "region,birth_date,sex\njiangyin,2021-03-01,男\njiangyin,2021-04-01,女\n"


def _before_register_storage(db: Path) -> None:
    """A warehouse stored by arrival before registers had storage of their own: a register's
    count row (live births 2020) in ``raw.count_rows``, the count view reading that table alone."""
    with duckdb.connect(str(db)) as con:
        ensure_raw_schema(con)
        for table in REGISTER_DDL:
            con.execute(f"drop table raw.{table}")
        columns = ", ".join(
            f"f.{c}" if c in FILE_LINEAGE else f"s.{c}" for c in RAW_COLUMNS["count_observations"]
        )
        con.execute(
            f"create or replace view raw.count_observations as select {columns}, "
            f"s.rowid as {STORED_ROWID} from raw.count_rows as s inner join raw.ingested_files "
            f"as f on s.{ARRIVAL_KEY} = f.{ARRIVAL_KEY}"
        )
        lineage = ("h-old", "births_2020.csv", datetime(2024, 1, 1), "r-old")
        arrival = record_loaded_arrival(con, lineage, rows=1)
        con.execute(
            "insert into raw.count_rows values "
            "(?, null, null, 'jiangyin', '2020', 2020, 'live_births', 'all', 'all', 'all', 7000, "
            "'register', 'official')",
            [arrival],
        )
        con.execute("checkpoint")


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    columns = ", ".join(RAW_COLUMNS["count_observations"])
    return con.execute(
        f"select {columns} from raw.count_observations order by ingested_at"
    ).fetchall()


def test_ingested_counts_read_with_their_lineage_in_contract_order(con, raw_dir, reference):
    path = raw_dir / "births.csv"
    path.write_text(COUNTS, encoding="utf-8")
    result = ingest_file(con, path, raw_dir, "run-1", reference=reference)
    assert result.status == "loaded", result.message
    described = con.execute("describe raw.count_observations").fetchall()
    assert [r[0] for r in described] == [*RAW_COLUMNS["count_observations"], STORED_ROWID]
    rows = con.execute(
        "select file_hash, file_path, ingested_at, run_id, value "
        "from raw.count_observations order by year"
    ).fetchall()
    assert rows == [
        (result.file_hash, "births.csv", rows[0][2], "run-1", 8000.0),
        (result.file_hash, "births.csv", rows[0][2], "run-1", 7900.0),
    ]
    (arrival,) = con.execute(
        "select ingested_at from raw.ingested_files where file_path = 'births.csv'"
    ).fetchall()
    assert rows[0][2] == arrival[0]  # the row's lineage is its arrival's


def test_a_warehouse_made_before_moves_every_row_to_its_arrival(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    _old_layout(db)
    with duckdb.connect(str(db)) as con:
        before = con.execute("select * from raw.count_observations order by ingested_at").fetchall()
        ensure_raw_schema(con)
        ensure_raw_schema(con)  # idempotent
        kind = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'count_observations'"
        ).fetchone()
        assert kind == ("VIEW",)
        assert _rows(con) == before
        observations = con.execute(
            "select run_id, value, data_status from raw.observations order by ingested_at"
        ).fetchall()
        assert observations == [("r1", 80.0, None), ("r2", 81.0, None)]
        ids = con.execute(
            "select arrival_id from raw.ingested_files order by ingested_at"
        ).fetchall()
        assert [i for (i,) in ids] == sorted({i for (i,) in ids}) and None not in ids
    assert not Path(f"{db}.wal").exists() or Path(f"{db}.wal").stat().st_size == 0


def test_a_count_row_without_its_arrival_is_not_moved_and_nothing_changes(tmp_path: Path) -> None:
    db = tmp_path / "orphan.duckdb"
    _old_layout(db)
    with duckdb.connect(str(db)) as con:
        con.execute("update raw.count_observations set run_id = 'nowhere' where run_id = 'r2'")
        before = con.execute("select * from raw.count_observations order by ingested_at").fetchall()
        with pytest.raises(RuntimeError, match="2 rows, 1 matched"):
            ensure_raw_schema(con)
        kind = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'count_observations'"
        ).fetchone()
        assert kind == ("BASE TABLE",)
        assert (
            con.execute("select * from raw.count_observations order by ingested_at").fetchall()
            == before
        )
        assert con.execute("select count(*) from raw.count_rows").fetchone() == (0,)


@pytest.fixture
def births(raw_dir: Path) -> Path:
    """A birth register in the landing zone."""
    path = raw_dir / "births.csv"
    path.write_text(BIRTHS, encoding="utf-8")
    return path


def test_a_registers_count_rows_are_stored_narrow_and_read_as_the_contract_says(
    con, raw_dir, births, reference
):
    result = ingest_file(con, births, raw_dir, "run-1", reference=reference)
    assert result.status == "loaded", result.message
    stored = con.execute(f"select * from raw.{REGISTER_ROWS} order by sex").fetchall()
    arrival = stored[0][0]
    assert stored == [
        (arrival, "jiangyin", 2021, "live_births", "all", "female", "all", 1.0),
        (arrival, "jiangyin", 2021, "live_births", "all", "male", "all", 1.0),
    ]
    assert con.execute("select count(*) from raw.count_rows").fetchone() == (0,)
    columns = ", ".join(RAW_COLUMNS["count_observations"])
    read = con.execute(f"select {columns} from raw.count_observations order by sex").fetchall()
    at = read[0][RAW_COLUMNS["count_observations"].index("ingested_at")]
    assert read == [
        (result.file_hash, "births.csv", None, None, at, "run-1", "jiangyin", "2021", 2021,
         "live_births", "all", sex, "all", 1.0, None, "official")
        for sex in ("female", "male")
    ]  # fmt: skip


def test_register_rows_from_before_and_after_their_storage_are_read_together(
    tmp_path: Path, raw_dir: Path, births: Path, reference
) -> None:
    db = tmp_path / "before.duckdb"
    _before_register_storage(db)
    with duckdb.connect(str(db)) as con:
        ensure_raw_schema(con)
        ensure_raw_schema(con)  # idempotent
        result = ingest_file(con, births, raw_dir, "run-2", reference=reference)
        assert result.status == "loaded", result.message
        rows = con.execute(
            f"select period, sex, value, source, {STORED_ROWID} from raw.count_observations "
            "order by period, sex"
        ).fetchall()
        assert [r[:4] for r in rows] == [
            ("2020", "all", 7000.0, "register"),
            ("2021", "female", 1.0, None),
            ("2021", "male", 1.0, None),
        ]
        # dbt reads the served rows back by stored_rowid: unique across both stored tables
        assert len({r[4] for r in rows}) == 3


CRASH_AFTER_SCHEMA = """
import os, sys, duckdb
from pipelines.ingest import ensure_raw_schema
con = duckdb.connect(sys.argv[1])
con.execute("set checkpoint_threshold = '1GB'")  # whatever was done stays in the log
ensure_raw_schema(con)
os._exit(0)  # no close, no checkpoint: the next open replays the log
"""


@pytest.mark.parametrize("made_before", [None, _old_layout, _before_register_storage])
def test_the_warehouse_opens_after_a_crash_right_after_the_schema(
    tmp_path: Path, made_before
) -> None:
    """DuckDB 1.5 cannot replay some schema changes from its log (an added column of a table
    with a CHECK constraint, a nextval default): the warehouse would not open again."""
    db = tmp_path / "crash.duckdb"
    if made_before:
        made_before(db)
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CRASH_AFTER_SCHEMA), str(db)],
        cwd=PROJECT_ROOT,
        check=True,
        timeout=120,
    )
    with duckdb.connect(str(db)) as con:
        assert (
            len(_rows(con)) == {None: 0, _old_layout: 2, _before_register_storage: 1}[made_before]
        )
        (n,) = con.execute("select count(*) from raw.observations").fetchone() or (None,)
        assert n == (2 if made_before is _old_layout else 0)
        assert con.execute(f"select count(*) from raw.{REGISTER_ROWS}").fetchone() == (0,)
