"""A fixed corpus of messy landing-zone files and what ingestion wrote for them (golden rows).

The corpus (``golden/inputs``) reuses the fixtures of this test package (bad rows, Chinese and
English long tables in three encodings, yearbooks, workbooks, count tables, death and birth
registers as CSV and Parquet, described sources, rejected files), the shipped examples, and a few
larger seeded-random files with every kind of mess in many spellings (full-width digits, stray
spaces, units in the value, duplicates, unknown labels, bad register records, NaN/infinite
ages, boolean flags). ``golden/seeds`` is a snapshot of the seeds, so the golden rows do not move
when the catalogue grows; ``golden/inputs_alt`` holds registers ingested against
``golden/seeds_alt``, whose age bands overlap and leave a gap and whose cause groups overlap.

``golden/expected/*.parquet`` holds every column of ``raw.observations``,
``raw.count_observations``, ``raw.quarantine`` and ``raw.ingested_files`` except the ones that
differ by run (ingested_at, run_id, file_mtime), as written by the ingestion code *before* the
speed-up of issue 10 (commit 998c4f7, run with its ``pipelines`` package first on PYTHONPATH).
``test_golden.py`` re-ingests the corpus and compares.

Regenerate (only when a behaviour change is intended, and say so in the commit)::

    cd tests && ../.venv/bin/python -m ingest.golden_corpus inputs    # rewrite the input files
    cd tests && ../.venv/bin/python -m ingest.golden_corpus expected  # rewrite the golden rows
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest import ensure_raw_schema, ingest_file
from pipelines.reference import load_reference

GOLDEN = Path(__file__).parent / "golden"
INPUTS = GOLDEN / "inputs"
SEEDS = GOLDEN / "seeds"
#: registers ingested against seeds whose age bands overlap and leave a gap and whose cause
#: groups overlap (the per-record aggregation path: a record in two bands counts in both)
INPUTS_ALT = GOLDEN / "inputs_alt"
SEEDS_ALT = GOLDEN / "seeds_alt"
EXPECTED = GOLDEN / "expected"
SEED_FILES = (
    "indicators",
    "indicator_aliases",
    "regions",
    "region_aliases",
    "units",
    "unit_aliases",
    "age_groups",
    "icd10_cause_groups",
)
#: table -> columns that differ between runs and are not compared.
VOLATILE = {
    # stored_rowid: the stored row's position (pipelines/ingest/schema.py), not the contract's
    "observations": ("ingested_at", "run_id", "stored_rowid"),
    "count_observations": ("ingested_at", "run_id", "stored_rowid"),
    "quarantine": ("ingested_at", "run_id"),
    # arrival_id: the storage key of count rows (numbered in arrival order), not the contract's
    "ingested_files": ("ingested_at", "run_id", "file_mtime", "arrival_id"),
}


def corpus_files(folder: Path = INPUTS) -> list[Path]:
    """The corpus's data files in a fixed order (sidecars and notes are not data files)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(".source.yml") and p.suffix != ".md"
    )


def ingest_corpus(db: Path) -> dict[str, pl.DataFrame]:
    """Ingest the corpus into a fresh DuckDB file; return each raw table's comparable rows."""
    con = duckdb.connect(str(db))
    try:
        ensure_raw_schema(con)
        for folder, seeds in ((INPUTS, SEEDS), (INPUTS_ALT, SEEDS_ALT)):
            reference = load_reference(seeds)
            for path in corpus_files(folder):
                result = ingest_file(con, path, folder, "golden", reference=reference)
                if result.status == "failed":
                    raise AssertionError(result.message)
        return {table: _rows(con, table) for table in VOLATILE}
    finally:
        con.close()


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    frame = con.execute(f"select * exclude ({', '.join(VOLATILE[table])}) from raw.{table}").pl()
    return frame.sort(frame.columns, nulls_last=True)


def write_expected(db: Path) -> None:
    """Write the golden rows of the current code."""
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for table, frame in ingest_corpus(db).items():
        frame.write_parquet(EXPECTED / f"{table}.parquet")
        print(table, frame.height)


if __name__ == "__main__":
    import tempfile

    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "inputs":
        from .golden_inputs import write_inputs  # imports this module: not at its top

        write_inputs()
    elif what == "expected":
        with tempfile.TemporaryDirectory() as tmp:
            write_expected(Path(tmp) / "golden.duckdb")
    else:
        sys.exit("usage: python -m ingest.golden_corpus inputs|expected")
