"""Equivalence: re-ingesting the messy corpus writes exactly the golden rows (issue 10).

The golden rows were written by the ingestion code before it was optimised; any change in what
lands in ``raw.observations``, ``raw.count_observations``, ``raw.quarantine`` or
``raw.ingested_files`` (every column but the per-run ones) fails here, row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from .golden_corpus import EXPECTED, VOLATILE, ingest_corpus


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("golden") / "golden.duckdb"


@pytest.fixture(scope="module")
def ingested(golden_db: Path) -> dict[str, pl.DataFrame]:
    return ingest_corpus(golden_db)


@pytest.mark.parametrize("table", list(VOLATILE))
def test_rows_identical_to_golden(ingested: dict[str, pl.DataFrame], table: str) -> None:
    expected = pl.read_parquet(EXPECTED / f"{table}.parquet")
    got = ingested[table]
    assert expected.height > 0
    assert got.columns == expected.columns
    missing = expected.join(got, on=expected.columns, how="anti", nulls_equal=True)
    extra = got.join(expected, on=expected.columns, how="anti", nulls_equal=True)
    assert missing.height == 0 and extra.height == 0, (
        f"raw.{table}: {missing.height} golden row(s) missing, e.g.\n{missing.head(3)}\n"
        f"{extra.height} unexpected row(s), e.g.\n{extra.head(3)}"
    )
    # also the multiplicity of each row (two identical rows are not one)
    assert_frame_equal(got, expected, check_exact=True)


def test_corpus_exercises_every_quarantine_reason(ingested: dict[str, pl.DataFrame]) -> None:
    reasons = set(ingested["quarantine"]["reason_code"].to_list())
    assert reasons == {
        "unknown_indicator",
        "unknown_region",
        "unparsable_value",
        "missing_value",
        "unconvertible_unit",
        "invalid_period",
        "conflicting_duplicate",
        "implausible_value",
        "invalid_record",
    }
    layouts = set(ingested["ingested_files"]["layout"].drop_nulls().to_list())
    assert layouts >= {"long", "wide", "counts", "death_register", "birth_register", "described"}


@pytest.mark.parametrize("table", ["observations", "count_observations", "quarantine"])
def test_per_run_lineage_is_the_files(ingested: dict, golden_db: Path, table: str) -> None:
    """ingested_at and run_id (not in the golden rows) are those of the row's file record."""
    con = duckdb.connect(str(golden_db), read_only=True)
    try:
        rows, mismatched = con.execute(
            f"""
            select count(*), count(*) filter (
                where f.file_hash is null or t.ingested_at <> f.ingested_at
                    or t.run_id <> f.run_id or t.run_id <> 'golden'
            )
            from raw.{table} t
            left join raw.ingested_files f
                on f.file_hash = t.file_hash and f.file_path = t.file_path
                and f.status = 'loaded'
            """
        ).fetchone()
    finally:
        con.close()
    assert rows == ingested[table].height > 0
    assert mismatched == 0
