"""How a batch of files reaches DuckDB: row-group batches per table, one checkpoint per batch,
and every file's commit durable before that checkpoint (docs/ingestion.md#known-limits)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.ingest import core, ingest_all, ingest_file
from pipelines.ingest import prepare as preparing
from pipelines.ingest.loading import ROW_GROUP_ROWS, row_group_batches
from pipelines.reference import load_reference

from .conftest import query, write
from .test_behaviour import V1, _stamp

#: synthetic counties, as the benchmark's generator names them.
SYNTHETIC = [f"syn_{i:04d}" for i in range(1, 2901)]


@pytest.fixture(scope="module")
def county_seeds(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture seeds plus 2,900 synthetic counties."""
    path = tmp_path_factory.mktemp("county_seeds")
    shutil.copytree(seeds_dir, path, dirs_exist_ok=True)
    with (path / "regions.csv").open("a", encoding="utf-8") as out:
        out.writelines(f"{r},县{r},County {r},,county,,false\n" for r in SYNTHETIC)
    return path


def _big_count_file(path: Path, year: int = 2016) -> Path:
    """One year's population of 2,900 counties by age band and sex (110,200 rows, as the
    benchmark's): ≈ 8 MB of write-ahead log (fewer rows than a row group: DuckDB logs them
    instead of writing them to the database file at once)."""
    ages = ["0", "1-4", *(f"{a}-{a + 4}" for a in range(5, 85, 5)), "85+"]
    lines = ["region,period,measure,value,age_group,sex"]
    lines += [f"{r},{year},population,{i % 997},{age},{sex}" for i, r in enumerate(SYNTHETIC)
              for age in ages for sex in ("男", "女")]  # fmt: skip
    return write(path, "\n".join(lines) + "\n")


def _wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def test_a_batch_checkpoints_once_at_its_end(tmp_path, raw_dir, county_seeds):
    """Inside ``one_checkpoint`` a file's commit leaves its rows in the log (no checkpoint per
    file), past DuckDB's default 16 MB threshold at which a commit would checkpoint; the
    block's end folds the log into the database file."""
    paths = [_big_count_file(raw_dir / f"population_{y}.csv", y) for y in (2016, 2017, 2018)]
    db = tmp_path / "batch.duckdb"
    con = duckdb.connect(str(db))
    reference = load_reference(county_seeds)
    try:
        with core.one_checkpoint(con):
            results = [ingest_file(con, p, raw_dir, "r1", reference=reference) for p in paths]
            assert [(r.status, r.rows_quarantined) for r in results] == [("loaded", 0)] * 3
            assert _wal(db).stat().st_size > 16 * 2**20  # committed, not checkpointed
        assert not _wal(db).exists() or _wal(db).stat().st_size == 0
        loaded = sum(r.rows_loaded for r in results)
        assert query(con, "select count(*) from raw.count_observations") == [(loaded,)]
    finally:
        con.close()


KILL_BEFORE_CHECKPOINT = """
import os, signal, sys
from pathlib import Path
from pipelines.ingest import core

real = core.ingest_files

def second_file_dies(*args, **kwargs):
    for result in real(*args, **kwargs):
        yield result
        # the first file has committed; the batch's checkpoint has not run
        os.kill(os.getpid(), signal.SIGKILL)

core.ingest_files = second_file_dies
core.ingest_all(Path(sys.argv[1]), Path(sys.argv[2]), "killed-run", seeds_dir=Path(sys.argv[3]))
"""


def test_files_committed_before_the_batch_checkpoint_survive_a_kill(
    tmp_path, raw_dir, county_seeds
):
    """A kill between a file's commit and the batch's checkpoint loses nothing committed: the
    next open replays the log; the rerun ingests only the file that never committed."""
    _stamp(_big_count_file(raw_dir / "population.csv"), 0)
    _stamp(write(raw_dir / "f.csv", V1), 10)
    db = tmp_path / "killed.duckdb"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(KILL_BEFORE_CHECKPOINT),
            str(db),
            str(raw_dir),
            str(county_seeds),
        ],  # fmt: skip
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()
    assert _wal(db).stat().st_size > 4 * 2**20  # the first file is only in the log
    con = duckdb.connect(str(db))
    try:
        assert query(con, "select file_path, status from raw.ingested_files") == [
            ("population.csv", "loaded")
        ]
        loaded = query(con, "select count(*) from raw.count_observations")[0][0]
        assert loaded == query(con, "select rows_loaded from raw.ingested_files")[0][0] > 100_000
    finally:
        con.close()
    results = ingest_all(db, raw_dir, "rerun", seeds_dir=county_seeds)
    assert [(r.file_path, r.status) for r in results] == [
        ("population.csv", "skipped"),
        ("f.csv", "loaded"),
    ]


def test_rows_reach_duckdb_in_row_group_batches_in_their_order(tmp_path) -> None:
    """A frame is handed over in DuckDB-row-group batches (so every thread writes) and lands
    whole and in order."""
    frame = pl.DataFrame({"n": range(2 * ROW_GROUP_ROWS + 7)})
    batches = row_group_batches(frame)
    assert [b.num_rows for b in batches.to_batches()] == [ROW_GROUP_ROWS, ROW_GROUP_ROWS, 7]
    con = duckdb.connect(str(tmp_path / "order.duckdb"))
    try:
        con.register("batches", batches)
        con.execute("create table t as select * from batches")
        got = [r[0] for r in con.execute("select n from t").fetchall()]
    finally:
        con.close()
    assert got == list(range(frame.height))


def test_the_next_file_is_parsed_while_one_is_written(tmp_path, raw_dir, seeds_dir, monkeypatch):
    """``ingest_files`` prepares the next new arrival on a second thread while the warehouse
    writes the current one: the first file's write waits until the second file's parse has
    started (it would wait forever if the two ran one after the other), and both still load
    in landing-zone order, each with its own arrival."""
    _stamp(write(raw_dir / "first.csv", V1), 0)
    _stamp(write(raw_dir / "second.csv", V1.replace("2020", "2019")), 10)
    second_parsing = threading.Event()
    real_parse, real_write = preparing.parse_and_validate, core._write_rows

    def parse(arrival, ref):
        if arrival.rel == "second.csv":
            second_parsing.set()
        return real_parse(arrival, ref)

    def write_rows(con, arrival, prepared):
        if arrival.rel == "first.csv":
            assert second_parsing.wait(timeout=30), "the second file was not parsed meanwhile"
        return real_write(con, arrival, prepared)

    monkeypatch.setattr(preparing, "parse_and_validate", parse)
    monkeypatch.setattr(core, "_write_rows", write_rows)
    db = tmp_path / "w.duckdb"
    results = ingest_all(db, raw_dir, "r", seeds_dir=seeds_dir)
    assert [(r.file_path, r.status) for r in results] == [
        ("first.csv", "loaded"),
        ("second.csv", "loaded"),
    ]
    with duckdb.connect(str(db), read_only=True) as con:
        assert query(
            con,
            "select file_path, count(*) from raw.observations group by file_path, ingested_at "
            "order by min(ingested_at)",
        ) == [("first.csv", results[0].rows_loaded), ("second.csv", results[1].rows_loaded)]
