"""Vectorised parsers for periods and values (polars expressions, no per-row Python).

Landing-zone columns repeat a few values (2,900 regions, 200 indicators, one period) over
hundreds of thousands of rows, so the Unicode and regex work is done once per *distinct* value
(:func:`per_distinct`, :func:`blank_column`) and joined or mapped back to the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

_YEAR = r"^(?P<y>\d{4})(?:\.0+)?\s*年?(?:度)?$"
_QUARTER = r"^(?P<y>\d{4})\s*(?:年)?\s*[-_ ]?(?:q|第)\s*(?P<q>[1-4])\s*(?:季度|季)?$"
_MONTH = r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:月份|月)?$"
_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?"
_VALUE = rf"^(?P<num>{_NUM})\s*(?P<suffix>.*)$"

MIN_YEAR, MAX_YEAR = 1900, 2100


def clean_text(expr: pl.Expr) -> pl.Expr:
    """NFKC-normalise and strip; empty strings become null."""
    text = expr.str.normalize("NFKC").str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def parse_period(expr: pl.Expr) -> pl.Expr:
    """Parse 2020 / 2020年 / 2020Q3 / 2020年第3季度 / 2020-06 / 2020年6月 into a struct.

    Fields: ``period`` (``2020``, ``2020Q3``, ``2020-06``), ``period_type``
    (``year``/``quarter``/``month``) and ``year`` (Int32); all null when the text is not a valid
    period (including years outside 1900-2100 and months outside 1-12).
    """
    text = clean_text(expr).str.to_lowercase()
    year_m = text.str.extract_groups(_YEAR)
    quarter_m = text.str.extract_groups(_QUARTER)
    month_m = text.str.extract_groups(_MONTH)
    y_year = year_m.struct.field("y").cast(pl.Int32, strict=False)
    y_quarter = quarter_m.struct.field("y").cast(pl.Int32, strict=False)
    y_month = month_m.struct.field("y").cast(pl.Int32, strict=False)
    month = month_m.struct.field("m").cast(pl.Int32, strict=False)
    year = pl.coalesce(y_year, y_quarter, pl.when(month.is_between(1, 12)).then(y_month))
    valid = year.is_between(MIN_YEAR, MAX_YEAR)
    period = (
        pl.when(y_year.is_not_null())
        .then(y_year.cast(pl.String))
        .when(y_quarter.is_not_null())
        .then(pl.format("{}Q{}", y_quarter, quarter_m.struct.field("q")))
        .when(month.is_between(1, 12))
        .then(pl.format("{}-{}", y_month, month.cast(pl.String).str.zfill(2)))
    )
    period_type = (
        pl.when(y_year.is_not_null())
        .then(pl.lit("year"))
        .when(y_quarter.is_not_null())
        .then(pl.lit("quarter"))
        .when(month.is_between(1, 12))
        .then(pl.lit("month"))
    )
    return pl.struct(
        period=pl.when(valid).then(period),
        period_type=pl.when(valid).then(period_type),
        year=pl.when(valid).then(year),
    )


def parse_number(expr: pl.Expr) -> pl.Expr:
    """Split ``"12,345.6万人"`` into a struct ``{number: 12345.6, suffix: "万人"}``.

    Thousands separators (also full-width) are removed; ``suffix`` is the trailing text (null if
    none). ``number`` is null when the text does not start with a number (``"约3.5"``, ``"—"``).
    """
    text = clean_text(expr).str.to_lowercase()
    parts = text.str.extract_groups(_VALUE)
    number = parts.struct.field("num").str.replace_all(",", "").cast(pl.Float64, strict=False)
    suffix = parts.struct.field("suffix").str.strip_chars()
    return pl.struct(number=number, suffix=pl.when(suffix != "").then(suffix))


def per_distinct(
    frame: pl.DataFrame, keys: list[str], build: Callable[[pl.DataFrame], pl.DataFrame]
) -> pl.DataFrame:
    """Add columns that depend only on ``keys``, computed once per distinct key combination.

    ``build`` receives the distinct combinations (columns ``keys``) and returns them with the new
    columns added (one row per combination); the result is left-joined back on ``keys`` (nulls
    match nulls, row order kept). Only for element-wise work: the same value always yields the
    same result, so this equals evaluating the expressions on every row.
    """
    distinct = frame.select(keys).unique()
    if distinct.height == 1:  # one value (a constant column): broadcast, no join
        added = build(distinct).drop(keys)
        return frame.with_columns([pl.lit(c).first() for c in added.get_columns()])
    # join the key columns only (one row per key on the right: the row count is unchanged) and
    # put the new columns beside the frame: a join would copy every column of a wide frame
    added = (
        frame.select(keys)
        .join(build(distinct), on=keys, how="left", nulls_equal=True, maintain_order="left")
        .drop(keys)
    )
    return frame.hstack(added.get_columns())


def blank_column(frame: pl.DataFrame, column: str) -> pl.Expr:
    """``clean_text(pl.col(column)).is_null()``, deciding each distinct value once: the
    blank spellings of a column (``""``, ``"  "`` …) are few, so rows are matched against them."""
    if frame.schema[column] != pl.String:
        return clean_text(pl.col(column)).is_null()
    values = frame.get_column(column).unique().drop_nulls()
    blank = values.filter(
        values.to_frame().select(clean_text(pl.col(column)).is_null()).to_series()
    )
    if blank.len() == 0:
        return pl.col(column).is_null()
    return pl.col(column).is_null() | pl.col(column).is_in(blank.implode())


def map_unique(expr: pl.Expr, frame: pl.DataFrame, fn: Callable[[str], str | None]) -> pl.Expr:
    """Apply a Python function to the *distinct* values of ``expr`` only, then map vectorised.

    Label normalisation is Unicode work that polars has no expression for; running it once per
    distinct label (a few hundred at most) keeps the per-row path vectorised.
    """
    distinct = frame.select(expr.unique().alias("v")).to_series().drop_nulls().to_list()
    mapping = {v: fn(v) for v in distinct}
    return expr.replace_strict(mapping, default=None, return_dtype=pl.String)


def lookup(expr: pl.Expr, table: dict[str, str]) -> pl.Expr:
    """Map already-normalised keys through a dict; unknown keys become null."""
    return expr.replace_strict(table, default=None, return_dtype=pl.String)


def period_series(values: Iterable[str | None]) -> pl.DataFrame:
    """Parse a handful of texts (e.g. header cells) with :func:`parse_period`."""
    frame = pl.DataFrame({"t": list(values)}, schema={"t": pl.String})
    return frame.select(parse_period(pl.col("t")).alias("p")).unnest("p")
