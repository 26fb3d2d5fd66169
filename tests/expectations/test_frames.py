"""The Arrow read path gives exactly the frames DuckDB's ``.df()`` gives, type by type."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from expectations.frames import ARROW_SAFE_TYPES, read_frame, relation_columns

LITERAL = {"TIMESTAMP": "'2020-01-01 10:00:00'", "VARCHAR": "'x'", "BOOLEAN": "true"}


def _column(sql_type: str, case: str) -> str:
    value = f"{LITERAL.get(sql_type, '1')}::{sql_type}"
    if case == "no_nulls":
        return value
    if case == "some_nulls":
        return f"case when i % 2 = 0 then null else {value} end"
    return f"null::{sql_type}"


@pytest.mark.parametrize("rows", [0, 3])
@pytest.mark.parametrize("case", ["no_nulls", "some_nulls", "all_nulls"])
@pytest.mark.parametrize("sql_type", sorted(ARROW_SAFE_TYPES))
def test_arrow_path_equals_df(sql_type: str, case: str, rows: int) -> None:
    con = duckdb.connect()
    sql = f"select i, {_column(sql_type, case)} as c from (select range as i from range({rows}))"
    fast, plain = read_frame(con, sql), con.execute(sql).df()
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    # Same element types as GX sees them through DataFrame.at (e.g. np.int32 vs float).
    assert [type(v) for v in fast["c"].array] == [type(v) for v in plain["c"].array]


def test_other_types_and_duplicate_names_fall_back_to_df() -> None:
    con = duckdb.connect()
    sql = "select 1.5::decimal(10, 2) as d, date '2020-01-02' as day, [1, 2] as l, 1 as a, 2 as a"
    pd.testing.assert_frame_equal(read_frame(con, sql), con.execute(sql).df())


def test_relation_columns() -> None:
    con = duckdb.connect()
    con.execute("create view v as select 1 as a, 'x' as b")
    assert relation_columns(con, "v") == ["a", "b"]
    assert relation_columns(con, "missing_view") is None


@pytest.mark.parametrize("case", ["no_nulls", "some_nulls", "all_nulls"])
def test_categories_hold_the_same_values(case: str) -> None:
    con = duckdb.connect()
    sql = f"select i, {_column('VARCHAR', case)} as c from (select range as i from range(5))"
    fast, plain = read_frame(con, sql, categories=True), con.execute(sql).df()
    expected_dtype = "object" if case == "all_nulls" else "category"
    assert str(fast["c"].dtype) == expected_dtype
    assert [repr(v) for v in fast["c"].array] == [repr(v) for v in plain["c"].array]
    pd.testing.assert_series_equal(fast["i"], plain["i"])


@pytest.mark.parametrize(
    "value",
    [
        "a",
        "",
        0,
        7,
        -1.5,
        float("nan"),
        np.float64(2.5),
        np.float64("nan"),
        np.int64(3),
        None,
        pd.NA,
        pd.NaT,
        True,
        pd.Timestamp("2024-01-02"),
        np.str_("x"),
    ],
)
def test_as_text_reads_every_cell_as_pandas_missingness_does(value: object) -> None:
    """as_text's fast path for plain str/int/float cells gives what its pd.isna path gives."""
    from expectations.outcomes import as_text

    expected = None if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]
    assert as_text(value) == expected
