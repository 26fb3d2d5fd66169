"""GX validates a text key as exact integer codes and reaches the same verdicts on the same rows.

``quality__stg_observations`` hands GX its ``observation_key`` as codes
(:func:`expectations.frames.key_codes`, from the hashes its frame's SQL computes beside it;
``SuiteJob.key_codes``): the suite is validated here on
the same frame with the key as text and as codes, with a duplicated key, a missing key and a
missing region, and every outcome and failing row must be the same. An expectation that reads a
coded column beyond equality is refused.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from great_expectations.core.run_identifier import RunIdentifier
from gx_factory import INDICATORS

from expectations import gx_context
from expectations import quality_suites as qs
from expectations.frames import (
    KEY_HASH_SUFFIX,
    _dense_codes,
    _shared,
    arrow_to_pandas,
    key_codes,
    read_frame,
)
from expectations.outcomes import SuiteResult
from expectations.suite_validation import SuiteJob, check_key_codes, gx_batch, validate_suite

KEYS = ["k1", "k2", "k2", None, "k2", None, "k1"]


def _column(dtype: str) -> pd.Series:
    index = [10, 11, 12, 13, 14, 15, 16]
    if dtype == "chunked":  # Arrow chunks sharing values: one code must span them
        chunks = pa.chunked_array([pa.array(KEYS[:3]), pa.array(KEYS[3:])])
        return pd.Series(pd.arrays.ArrowExtensionArray(chunks), index=index, name="key")
    return pd.Series(KEYS, dtype=dtype, index=index, name="key")


def _duckdb_hashes(column: pd.Series) -> pd.Series:
    """The hashes the frame's SQL computes (stg_observations.sql), by DuckDB itself."""
    keys = pd.DataFrame({"k": column.astype(object).where(column.notna(), None).tolist()})
    with duckdb.connect() as con:
        con.register("keys", keys)
        sql = "select case when k is not null then hash(k) end as h from keys"
        hashes = arrow_to_pandas(con.sql(sql).to_arrow_table())["h"]
    return hashes.set_axis(column.index)


def _assert_exact(column: pd.Series, codes: pd.Series) -> None:
    assert codes.index.equals(column.index) and codes.name == column.name
    assert codes.isna().tolist() == column.isna().tolist()
    known = column.notna().to_numpy()
    values, numbers = column[known].tolist(), codes[known].tolist()
    assert all(isinstance(n, int | np.integer) for n in numbers)
    for i in range(len(values)):
        for j in range(len(values)):
            assert (values[i] == values[j]) == (numbers[i] == numbers[j])


@pytest.mark.parametrize("dtype", ["str", "chunked", "object", "category"])
@pytest.mark.parametrize("hashed", [True, False], ids=["duckdb-hashes", "values"])
def test_codes_are_equal_exactly_where_values_are(dtype: str, hashed: bool) -> None:
    column = _column(dtype)
    codes = key_codes(column, _duckdb_hashes(column) if hashed else None)
    _assert_exact(column, codes)
    # Without a missing value the codes are plain int64 (no mask for GX to carry).
    present = column.dropna()
    plain = key_codes(present, _duckdb_hashes(present) if hashed else None)
    assert str(plain.dtype) == "int64"


@pytest.mark.parametrize("dtype", ["str", "chunked", "object"])
def test_a_hash_collision_is_resolved_by_the_values(dtype: str) -> None:
    """Rows that share a hash are coded by their values: with a hash that collides for every
    value, the codes are still one per distinct value; a value with a hash of its own keeps it."""
    column = _column(dtype)
    collide = pd.Series(pd.array([7] * len(column), dtype="UInt64"), index=column.index)
    collide[column.isna().to_numpy()] = pd.NA
    _assert_exact(column, key_codes(column, collide))
    # DuckDB's string hash does collide on structured keys: a and b share a hash, c has its own
    abc = pd.Series(["a", "b", "c", "b"], dtype=column.dtype if dtype != "chunked" else "str")
    codes = key_codes(abc, pd.Series(np.array([1, 1, 2, 1], dtype="uint64")))
    _assert_exact(abc, codes)
    assert codes.iloc[2] == 2 >> 1  # c keeps its hash's code; a and b are coded below zero
    assert codes.iloc[0] < 0 and codes.iloc[1] < 0
    honest, missing = _dense_codes(_duckdb_hashes(column))
    assert _shared(honest, missing).tolist() == [True, True, True, False, True, False, True]
    with pytest.raises(ValueError, match="missing"):
        key_codes(column, collide.fillna(9))
    with pytest.raises(ValueError, match="missing"):
        key_codes(column, collide.iloc[:-1])  # hashes of other rows


def test_the_frame_sql_puts_the_hash_beside_the_key() -> None:
    """The quality frame itself (stg_observations.sql, as the runner renders it) carries the
    key's hash, null where the key is missing."""
    spec = next(s for s in qs.quality_specs(INDICATORS) if s.suite_name.endswith("observations"))
    frame = _frame()
    with duckdb.connect() as con:
        con.execute("create schema staging; create schema reference")
        stg = frame[qs.STG_OBSERVATION_COLUMNS]
        con.register("stg", stg)
        con.execute("create table staging.stg_observations as select * from stg")
        con.execute(
            "create table reference.indicators as select 'life_expectancy' as "
            "indicator_code, 40.0 as plausible_min, 95.0 as plausible_max"
        )
        con.execute("create table reference.units as select 'years' as unit, 'time' as kind")
        read = read_frame(con, spec.query(qs.STG_OBSERVATION_COLUMNS), categories=True)
    hashes = read[f"observation_key{KEY_HASH_SUFFIX}"]
    assert hashes.isna().tolist() == read["observation_key"].isna().tolist()
    _assert_exact(read["observation_key"], key_codes(read["observation_key"], hashes))


def _frame() -> pd.DataFrame:
    """Staged observations with a repeated key, a missing key and a missing region."""
    n = len(KEYS)
    return pd.DataFrame(
        {
            "observation_key": pd.Series(KEYS, dtype="str"),
            "region_id": ["a", "b", "b", "c", "d", None, "e"],
            "indicator_code": ["life_expectancy"] * n,
            "period": ["2020"] * n,
            "year": [2020] * n,
            "value": [70.0, 71.0, 72.0, 73.0, 120.0, 74.0, -1.0],
            "unit": ["years"] * n,
            "data_nature": ["statistical"] * n,
            "source": ["s"] * n,
            "data_status": ["final"] * n,
            "file_path": [f"f{i}.csv" for i in range(n)],
            "ingested_at": pd.Timestamp("2026-01-01"),
            "plausible_min": 40.0,
            "plausible_max": 95.0,
            "unit_max": np.nan,
        }
    )


def _job(codes: tuple[str, ...]) -> SuiteJob:
    spec = next(s for s in qs.quality_specs(INDICATORS) if s.suite_name.endswith("observations"))
    assert spec.key_codes == ("observation_key",)  # what the runner hands to GX as codes
    return SuiteJob(
        suite=qs.build_quality_suite(spec, INDICATORS),
        asset=spec.asset,
        kind="quality",
        frame_name=spec.suite_name,
        index_columns=spec.index_columns,
        failure_order=spec.failure_order,
        key_codes=codes,
    )


def _validate(job: SuiteJob, frame: pd.DataFrame, docs: Path) -> SuiteResult:
    """Validate into a file store (the stored copy of the result is serialised, missing codes
    included)."""
    context = gx_context.make_context(docs)
    run = RunIdentifier(run_name="codes", run_time=datetime.now(UTC))
    result, _ = validate_suite(context, gx_context.frame_source(context), job, frame, run)
    return result


def _outcomes(result: SuiteResult) -> list[tuple[Any, ...]]:
    return [
        (e.expectation_id, e.success, e.element_count, e.unexpected_count)
        for e in result.expectations
    ]


def test_the_suite_judges_codes_as_it_judges_text(tmp_path: Path) -> None:
    frame = _frame()
    hash_column = f"observation_key{KEY_HASH_SUFFIX}"
    frame[hash_column] = _duckdb_hashes(frame["observation_key"])
    batch = gx_batch(_job(("observation_key",)), frame)
    assert str(batch["observation_key"].dtype) == "Int64"  # GX receives integers
    assert hash_column not in batch.columns  # … and not the hashes they were made from
    assert hash_column not in gx_batch(_job(()), frame).columns
    assert str(frame["observation_key"].dtype) == "str"  # the frame itself is unchanged
    as_text = _validate(_job(()), frame, tmp_path / "text" / "docs")
    as_codes = _validate(_job(("observation_key",)), frame, tmp_path / "codes" / "docs")
    assert _outcomes(as_codes) == _outcomes(as_text)
    assert [(f.expectation_id, f.message) for f in as_codes.failures] == [
        (f.expectation_id, f.message) for f in as_text.failures
    ]
    failed = {
        (e.meta["rule"], e.meta.get("column")): e.unexpected_count
        for e in as_codes.expectations
        if not e.success
    }
    assert failed[("unique_key", None)] == 2  # k2 twice
    assert failed[("key_not_null", "observation_key")] == 2
    assert failed[("key_not_null", "region_id")] == 1
    unique = [f.message for f in as_codes.failures if f.message.startswith("unique_key")]
    assert all("'observation_key': 'k2'" in m for m in unique)  # the text, not a code


def test_an_expectation_reading_more_than_equality_is_refused() -> None:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    job = _job(("observation_key",))
    ranged = gxe.ExpectColumnValuesToBeInSet(column="observation_key", value_set=["k1"])
    conditioned = gxe.ExpectColumnValuesToNotBeNull(
        column="value", row_condition=Column("observation_key") == "k1"
    )
    for expectation in (ranged, conditioned):
        suite = _job(()).suite
        suite.add_expectation(expectation)
        with pytest.raises(ValueError, match="observation_key"):
            check_key_codes(suite, ["observation_key"])
        with pytest.raises(ValueError, match="beyond equality"):
            gx_batch(replace(job, suite=suite), _frame())
    check_key_codes(job.suite, ["observation_key"])  # the shipped suite: equality only
