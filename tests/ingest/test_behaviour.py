"""Run-level behaviour: idempotence, revisions, atomicity, full refresh = incremental, accounting."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.ingest import core, discover_files, ingest_all, ingest_file
from pipelines.ingest import prepare as preparing

from .conftest import query, write

V1 = "region,indicator,period,value\njiangyin,life_expectancy,2020,81.0\njiangyin,IMR,2020,2.5\n"
V2 = "region,indicator,period,value\njiangyin,life_expectancy,2020,81.6\njiangyin,IMR,2020,2.5\n"
LATEST = """
    select region_id, indicator_code, period, value from (
        select *, row_number() over (
            partition by region_id, indicator_code, period
            order by ingested_at desc, file_path desc) as rn
        from raw.observations where ingested_at <= ?)
    where rn = 1 order by indicator_code
"""


def _stamp(path: Path, seconds: int) -> Path:
    os.utime(path, (1_700_000_000 + seconds, 1_700_000_000 + seconds))
    return path


def test_same_bytes_under_a_new_name_are_a_new_arrival(con, raw_dir, reference):
    first = write(raw_dir / "a.csv", V1)
    copy = raw_dir / "sub" / "renamed.csv"
    copy.parent.mkdir()
    shutil.copy(first, copy)
    r1 = ingest_file(con, first, raw_dir, "r1", reference=reference)
    r2 = ingest_file(con, copy, raw_dir, "r1", reference=reference)
    r3 = ingest_file(con, copy, raw_dir, "r2", reference=reference)
    assert (r1.status, r2.status, r3.status) == ("loaded", "loaded", "skipped")
    assert r3.message.startswith("sub/renamed.csv: unchanged since its arrival at ")
    assert query(con, "select count(*) from raw.observations") == [(4,)]
    assert query(
        con, "select file_path, status, rows_read from raw.ingested_files order by ingested_at"
    ) == [("a.csv", "loaded", 2), ("sub/renamed.csv", "loaded", 2)]


def test_revision_supersedes_and_history_stays_queryable(con, raw_dir, reference):
    r1 = ingest_file(con, write(raw_dir / "le_2020.csv", V1), raw_dir, "r1", reference=reference)
    (cut,) = query(con, "select max(ingested_at) from raw.ingested_files")[0]
    # revised figures overwrite the same file name
    r2 = ingest_file(con, write(raw_dir / "le_2020.csv", V2), raw_dir, "r2", reference=reference)
    assert (r1.status, r2.status) == ("loaded", "loaded")
    assert query(con, "select count(*) from raw.observations") == [(4,)]  # every version kept
    far_future = "2999-01-01"
    assert query(con, LATEST, [far_future]) == [
        ("jiangyin", "infant_mortality_rate", "2020", 2.5),
        ("jiangyin", "life_expectancy", "2020", 81.6),
    ]
    assert query(con, LATEST, [cut]) == [  # "what did we know" before the revision
        ("jiangyin", "infant_mortality_rate", "2020", 2.5),
        ("jiangyin", "life_expectancy", "2020", 81.0),
    ]


@pytest.mark.parametrize("kind", ["long", "register"])
def test_exception_mid_file_leaves_nothing_and_rerun_loads(
    con, raw_dir, reference, monkeypatch, kind
):
    if kind == "long":
        path = write(raw_dir / "f.csv", V1 + "atlantis,IMR,2020,1\n")
    else:
        path = write(
            raw_dir / "deaths.csv",
            "region,death_date,age,sex,icd10,maternal\njiangyin,2020-01-01,0,男,P07,0\n"
            "nowhere,2020-01-01,0,男,P07,0\n",
        )

    def crash(*args, **kwargs):  # every data row is written; the file's record is not
        raise RuntimeError("killed")

    monkeypatch.setattr(core, "_record", crash)
    failed = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (failed.status, failed.message) == ("failed", f"{path.name}: RuntimeError: killed")
    for table in ("observations", "count_observations", "quarantine", "ingested_files"):
        assert query(con, f"select count(*) from raw.{table}") == [(0,)], table
    monkeypatch.undo()
    result = ingest_file(con, path, raw_dir, "r2", reference=reference)
    assert (result.status, result.rows_read, result.rows_quarantined) == (
        "loaded",
        3 if kind == "long" else 2,
        1,
    )
    assert query(con, "select distinct run_id from raw.quarantine") == [("r2",)]


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from pipelines.ingest import core
from pipelines.reference import load_reference

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # a real kill: no rollback, no cleanup

core._record = die
core.ingest_all(Path(sys.argv[1]), Path(sys.argv[2]), "killed-run", seeds_dir=Path(sys.argv[3]))
"""


def test_process_killed_mid_file_leaves_no_partial_rows(tmp_path, raw_dir, seeds_dir):
    write(raw_dir / "f.csv", V1)
    db = tmp_path / "killed.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILL_SCRIPT), str(db), str(raw_dir), str(seeds_dir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()
    con = duckdb.connect(str(db))
    try:
        assert query(con, "select count(*) from raw.observations") == [(0,)]
        assert query(con, "select count(*) from raw.ingested_files") == [(0,)]
    finally:
        con.close()
    results = ingest_all(db, raw_dir, "rerun", seeds_dir=seeds_dir)
    assert [(r.file_path, r.status, r.rows_loaded) for r in results] == [("f.csv", "loaded", 2)]


def _drop_files(raw_dir: Path) -> list[Path]:
    """A landing-zone history: load, a copy, revision, bad rows, a rejected file."""
    files = [
        write(raw_dir / "2019/le.csv", V1),
        write(raw_dir / "copy_of_le.csv", V1),
        write(raw_dir / "2020/le_revised.csv", V2),
        write(raw_dir / "bad.csv", "region,indicator,period,value\natlantis,IMR,2020,1\n"),
        write(raw_dir / "junk.csv", ""),
        write(
            raw_dir / "deaths.csv",
            "region,death_date,age,sex,icd10,maternal\njiangyin,2020-05-01,70,女,I21,0\n",
        ),
    ]
    return [_stamp(p, i * 10) for i, p in enumerate(files)]


TABLES = {
    "observations": "file_hash, file_path, sheet, source_row, region_id, indicator_code, period, value, unit",
    "count_observations": "file_hash, file_path, region_id, period, measure, age_group, sex, cause_group, value",
    "quarantine": "file_hash, file_path, source_row, column_name, reason_code, message, original_row",
    "ingested_files": "file_hash, file_path, status, layout, rows_read, rows_loaded, rows_quarantined",
}


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        snap = {
            t: query(con, f"select {cols} from raw.{t} order by all") for t, cols in TABLES.items()
        }
        snap["order"] = query(con, "select file_path from raw.ingested_files order by ingested_at")
        return snap
    finally:
        con.close()


def test_full_refresh_equals_incremental(tmp_path, seeds_dir):
    raw_inc = tmp_path / "inc"
    raw_full = tmp_path / "full"
    files = _drop_files(raw_full)
    db_inc, db_full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    for path in files:  # incremental: one run per file as it arrives
        target = raw_inc / path.relative_to(raw_full)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        ingest_all(db_inc, raw_inc, f"inc-{path.name}", seeds_dir=seeds_dir)
    ingest_all(db_inc, raw_inc, "inc-again", seeds_dir=seeds_dir)  # re-run: nothing new
    results = ingest_all(db_full, raw_full, "full", seeds_dir=seeds_dir)
    assert [r.status for r in results] == [
        "loaded",
        "loaded",
        "loaded",
        "loaded",
        "rejected",
        "loaded",
    ]
    inc, full = _snapshot(db_inc), _snapshot(db_full)
    assert inc == full
    assert full["order"] == [
        ("2019/le.csv",),
        ("copy_of_le.csv",),
        ("2020/le_revised.csv",),
        ("bad.csv",),
        ("junk.csv",),
        ("deaths.csv",),
    ]


def test_rows_read_equals_loaded_plus_quarantined_for_every_file(tmp_path, raw_dir, seeds_dir):
    _drop_files(raw_dir)
    db = tmp_path / "w.duckdb"
    results = ingest_all(db, raw_dir, "r", seeds_dir=seeds_dir)
    assert all(r.rows_read == r.rows_loaded + r.rows_quarantined for r in results)
    con = duckdb.connect(str(db), read_only=True)
    try:
        # the counts recorded per arrival match the rows actually present per arrival
        mismatches = query(
            con,
            """
            select f.file_path, f.rows_loaded, f.rows_quarantined, coalesce(o.n, 0), coalesce(q.n, 0)
            from raw.ingested_files f
            left join (select file_path, ingested_at, count(*) n from raw.observations group by all) o
                using (file_path, ingested_at)
            left join (select file_path, ingested_at, count(*) n from raw.quarantine group by all) q
                using (file_path, ingested_at)
            where f.status = 'loaded' and f.layout not like '%register'
              and (f.rows_loaded <> coalesce(o.n, 0) or f.rows_quarantined <> coalesce(q.n, 0))
            """,
        )
        assert mismatches == []
        assert query(
            con,
            "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined) from raw.ingested_files",
        ) == [(8, 7, 1)]  # the copy of le.csv is an arrival of its own
    finally:
        con.close()


# where a file can crash: while it is parsed (on the preparing thread) or while it is written
@pytest.mark.parametrize(
    ("module", "stage"), [(preparing, "parse_and_validate"), (core, "_write_rows")]
)
def test_one_broken_file_does_not_stop_the_run(
    tmp_path, raw_dir, seeds_dir, monkeypatch, module, stage
):
    good = _stamp(write(raw_dir / "good.csv", V1), 1)
    _stamp(write(raw_dir / "boom.csv", V2), 0)
    real = getattr(module, stage)

    def flaky(*args):
        arrival = next(a for a in args if isinstance(a, preparing.Arrival))
        if arrival.path.name == "boom.csv":
            raise MemoryError("simulated crash")
        return real(*args)

    monkeypatch.setattr(module, stage, flaky)
    results = ingest_all(tmp_path / "w.duckdb", raw_dir, "r", seeds_dir=seeds_dir)
    assert [(r.file_path, r.status) for r in results] == [
        ("boom.csv", "failed"),
        ("good.csv", "loaded"),
    ]
    assert "MemoryError: simulated crash" in results[0].message
    monkeypatch.undo()
    again = ingest_all(tmp_path / "w.duckdb", raw_dir, "r2", seeds_dir=seeds_dir)
    assert [(r.file_path, r.status) for r in again] == [
        ("boom.csv", "loaded"),
        ("good.csv", "skipped"),
    ]
    assert good.exists()


def test_discover_files_orders_by_mtime_and_skips_non_data(raw_dir):
    _stamp(write(raw_dir / "b.csv", "x"), 5)
    _stamp(write(raw_dir / "a.csv", "x"), 9)
    _stamp(write(raw_dir / "deep/c.xlsx", "x"), 1)
    write(raw_dir / "b.csv.source.yml", "layout: long\n")
    write(raw_dir / "SOURCE.md", "# notes")
    write(raw_dir / ".hidden/d.csv", "x")
    _stamp(write(raw_dir / "notes.txt", "x"), 7)  # not skipped: will be rejected, not lost
    assert [p.relative_to(raw_dir).as_posix() for p in discover_files(raw_dir)] == [
        "deep/c.xlsx",
        "b.csv",
        "notes.txt",
        "a.csv",
    ]


def test_cli_prints_a_summary(tmp_path, raw_dir, seeds_dir):
    write(raw_dir / "f.csv", V1)
    env = dict(
        os.environ, HEALTHPLAN_RAW=str(raw_dir), HEALTHPLAN_WAREHOUSE=str(tmp_path / "c.duckdb")
    )
    # the CLI reads the project's seeds; give it a raw file that only needs core regions
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.ingest", "--run-id", "cli"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "f.csv" in proc.stdout and "1 file(s): loaded 1" in proc.stdout
