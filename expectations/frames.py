"""Read query results into pandas fast, with exactly the frames DuckDB's ``.df()`` gives.

``.df()`` materialises every string as a Python object and then converts it to pandas' Arrow
string dtype again; at national scale (6 M observations) that is most of the read time. Going
through Arrow keeps strings in Arrow buffers. The two paths differ only in how they represent
NULLs in a few column types, which would change what GX sees (e.g. a nullable integer year read
as ``2019.0`` instead of ``2019``), so :func:`read_frame` converts those columns the way ``.df()``
does:

- integers with a NULL → pandas nullable ``Int8`` … ``UInt64`` (Arrow would give float64);
- booleans with a NULL → pandas ``boolean`` (Arrow would give object);
- strings that are all NULL (or no rows) → object column of ``None``.

Relations with any other column type (decimals, dates, lists …) or with duplicate column names are
read with ``.df()`` itself.
``tests/expectations/test_frames.py`` compares both paths type by type.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: The SQL the suites and the results store run (SQL lives in .sql files, not Python strings).
SQL_DIR = Path(__file__).resolve().parent / "sql"

#: DuckDB column types whose Arrow → pandas conversion is handled here.
ARROW_SAFE_TYPES = frozenset(
    {
        "VARCHAR",
        "BOOLEAN",
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "FLOAT",
        "DOUBLE",
        "TIMESTAMP",
    }
)


def _nullable_int(arrow_type: Any) -> Any:
    import pyarrow as pa

    bits = arrow_type.bit_width
    prefix = "UInt" if pa.types.is_unsigned_integer(arrow_type) else "Int"
    return pd.api.types.pandas_dtype(f"{prefix}{bits}")


#: Rows of a text column sampled to decide whether its values repeat (see :func:`_repeats`).
SAMPLE_ROWS = 100_000


def _repeats(col: Any) -> bool:
    """Whether a text column's values repeat enough for a dictionary to pay: at most half of a
    leading sample distinct. A key (a unique ``observation_key`` over 6 M rows) is kept as plain
    text: encoding it costs ≈ 18 s and saves nothing, every value being its own category."""
    import pyarrow.compute as pc

    sample = col.slice(0, SAMPLE_ROWS)
    return _worth_a_dictionary(pc.count_distinct(sample).as_py(), len(sample))


def _worth_a_dictionary(distinct: int, rows: int) -> bool:
    """The one threshold: at most half of the sampled values distinct."""
    return distinct * 2 <= max(rows, 1)


def arrow_to_pandas(table: Any, categories: bool = False) -> pd.DataFrame:
    """An Arrow table as the pandas frame DuckDB's ``.df()`` would give (see module docstring).

    With ``categories``, text columns with a value whose values repeat are dictionary-encoded
    into pandas ``category`` columns instead (same values, missing ones NaN as in the ``str``
    dtype): selecting rows then moves integer codes, not strings.
    """
    import pyarrow as pa

    columns: dict[str, Any] = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        kind = col.type
        is_text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
        if categories and is_text and col.null_count < len(col) and _repeats(col):
            columns[name] = col.dictionary_encode().to_pandas()
        elif pa.types.is_integer(kind) and col.null_count:
            dtype = _nullable_int(kind)
            columns[name] = col.to_pandas(types_mapper={kind: dtype}.get)
        elif pa.types.is_boolean(kind) and col.null_count:
            columns[name] = col.to_pandas(types_mapper={kind: pd.BooleanDtype()}.get)
        elif (pa.types.is_string(kind) or pa.types.is_large_string(kind)) and (
            col.null_count == len(col)
        ):
            columns[name] = pd.Series([None] * len(col), dtype=object)
        else:
            columns[name] = col.to_pandas()
    return pd.DataFrame(columns, copy=False)


def read_frame(con: Any, sql: str, categories: bool = False) -> pd.DataFrame:
    """Run ``sql`` on ``con`` and return the result as ``con.execute(sql).df()`` would
    (with ``categories``: text columns as ``category``, see :func:`arrow_to_pandas`)."""
    relation = con.sql(sql)
    if relation is None:  # a statement without a result set
        return con.execute(sql).df()
    names = list(relation.columns)
    unique_names = len(set(names)) == len(names)
    if unique_names and all(str(t) in ARROW_SAFE_TYPES for t in relation.types):
        return arrow_to_pandas(relation.to_arrow_table(), categories)
    frame = relation.df()
    if categories and frame.columns.is_unique:
        for name in frame.columns[frame.dtypes.map(pd.api.types.is_string_dtype)]:
            sample = frame[name].iloc[:SAMPLE_ROWS]
            if frame[name].notna().any() and _worth_a_dictionary(sample.nunique(), len(sample)):
                frame[name] = frame[name].astype("category")
    return frame


#: The column beside a text key in a suite's frame that holds the key's 64-bit DuckDB hash (null
#: for a missing key), computed in the frame's SQL (expectations/sql/quality/stg_observations.sql).
KEY_HASH_SUFFIX = "__hash"


def _dense_codes(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense int64 codes (0, 1, …) of ``values`` by first appearance, and where one is missing."""
    codes = pd.factorize(values, use_na_sentinel=True)[0].astype("int64", copy=False)
    return codes, codes < 0


def _shared(codes: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Where a row's code is shared with another row (missing rows excluded).

    By sorting, not hashing: numpy sorts 6.3 M int64 in ≈ 0.06 s, while a hash table over them
    (``pd.factorize``, ``duplicated``) costs ≈ 0.7 s; only the few repeated codes are then looked
    up (a hash table that fits in cache)."""
    known = codes[~missing]
    ordered = np.sort(known)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    shared = np.zeros(len(codes), dtype=bool)
    if len(repeated):
        shared[~missing] = pd.Series(known, copy=False).isin(repeated).to_numpy()
    return shared


def _arrow_backed(column: pd.Series) -> bool:
    dtype = column.dtype
    return isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )


def _hash_codes(hashes: pd.Series, missing: np.ndarray) -> np.ndarray:
    """The 64-bit hashes as non-negative int64 codes: each shifted right by one bit (a shift can
    only make more rows share a code, which :func:`_exact` resolves by their values)."""
    values = hashes.to_numpy(dtype="uint64", na_value=0) if missing.any() else hashes.to_numpy()
    return (values.astype("uint64", copy=False) >> np.uint64(1)).astype("int64")


def _exact(column: pd.Series, codes: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``codes`` (non-negative) made exact: a row whose code is its own keeps it (its value is the
    only one with that hash); the rows that share one are coded again by their values, as
    negative codes (-1, -2, …), which no hash code is. Equal values share a hash, so all rows of
    a value are recoded together."""
    shared = _shared(codes, missing)
    if not shared.any():
        return codes
    import pyarrow as pa

    rows = np.flatnonzero(shared)
    # Filtered in Arrow, chunk by chunk: pandas' ``iloc`` and Arrow's ``take`` on chunked text
    # first combine the chunks (≈ 1.5 s for 550 MB of keys).
    if _arrow_backed(column):
        values = np.asarray(pa.array(column.array).filter(pa.array(shared)), dtype=object)
    else:
        values = column.to_numpy()[rows]
    again, _ = _dense_codes(values)
    exact = codes.copy()
    exact[rows] = -1 - again
    return exact


def key_codes(column: pd.Series, hashes: pd.Series | None = None) -> pd.Series:
    """Exact integer codes of a key column: one code per distinct value, a missing value missing.

    Equal values get equal codes and distinct values distinct codes, so whether a value is
    missing and whether a row's key repeats (alone or with other columns) read the same on the
    codes as on the values: GX's not-null and uniqueness checks give the same verdict on the same
    rows. What they save is GX's cost on a text key: a 6.3 M-row unique ``observation_key``
    is hashed for GX's batch fingerprint, factorised by the uniqueness check and copied by every
    row selection; integers cost a fraction of that.

    ``hashes``: the key's hashes as the frame's SQL computed them (:data:`KEY_HASH_SUFFIX`; DuckDB
    hashes in the scan, ≈ 0 s for 6.3 M keys). A value whose hash no other row has is coded by
    its hash (:func:`_hash_codes`); the rows that share a hash (repeated values, and distinct
    values that collide: DuckDB's string hash collides for ~1 % of the structured keys at M) are
    coded by their values (:func:`_exact`). Without hashes the values are factorised (≈ 5 s on
    6.3 M texts). With a missing value the codes are a nullable ``Int64``, else ``int64``.
    """
    missing = column.isna().to_numpy()
    if hashes is not None:
        if not np.array_equal(hashes.isna().to_numpy(), missing):  # also a length that differs
            raise ValueError(f"{column.name}: its hashes are missing where its values are not")
        codes = _exact(column, _hash_codes(hashes, missing), missing)
    else:
        codes, missing = _dense_codes(column)
    values: Any = codes
    if missing.any():
        values = pd.array(codes, dtype="Int64")
        values[missing] = pd.NA
    return pd.Series(values, index=column.index, name=column.name)


def relation_columns(con: Any, relation: str) -> list[str] | None:
    """Column names of a table or view (None when it cannot be described)."""
    import duckdb

    try:
        return list(con.sql(f"select * from {relation} limit 0").columns)
    except duckdb.Error:
        return None


def read_sql(name: str) -> str:
    """The text of ``expectations/sql/<name>.sql``: the one loader of the suites' SQL."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
