"""Splitting checked records into the rows that load and the rows for ``raw.quarantine``:
the first failing rule of :mod:`pipelines.ingest.rules`, then repeated keys within the file
(private to ``pipelines.ingest``)."""

from __future__ import annotations

import polars as pl

from pipelines.ingest.context import ORIGINAL, TABLE, FileContext
from pipelines.ingest.rules import Rule, first_failure
from pipelines.ingest.schema import FILE_LINEAGE, RAW_COLUMNS

#: lineage columns the same for every row of a file: bound once when inserting (core._insert).


def row_columns(table: str) -> list[str]:
    """Columns of ``raw.<table>`` that vary by row (all but :data:`FILE_LINEAGE`)."""
    return [c for c in RAW_COLUMNS[table] if c not in FILE_LINEAGE]


def split(
    df: pl.DataFrame,
    rules: list[Rule],
    key: list[str],
    ctx: FileContext,
    shown: list[str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records that load, rows for ``raw.quarantine``): rules first, then key duplicates
    (messages name the ``shown`` key columns, default all of ``key``)."""
    ok, bad = _checked(df, rules)
    ok = _duplicates(ok, key, shown or key)
    bad = pl.concat([bad, ok.filter(pl.col("reason_code").is_not_null())], how="diagonal_relaxed")
    return ok.filter(pl.col("reason_code").is_null()), _quarantine(bad, ctx)


def _checked(df: pl.DataFrame, rules: list[Rule]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split records into (passing every rule, failing one); failures get reason, column and
    detail of their first failing rule (texts formatted for the failing rows only)."""
    reason, column, detail = first_failure(rules)
    df = df.with_columns(reason.alias("reason_code"))
    bad = df.filter(pl.col("reason_code").is_not_null()).with_columns(
        column.alias("column_name"), detail.alias("detail")
    )
    return df.filter(pl.col("reason_code").is_null()), bad


def _message(ctx: FileContext) -> pl.Expr:
    where = (
        pl.when(pl.col("sheet").is_not_null())
        .then(pl.format(" [sheet '{}']", pl.col("sheet")))
        .otherwise(pl.lit(""))
    )
    return pl.format(
        "{}{}: row {}, column '{}': {}",
        pl.lit(ctx.file_path),
        where,
        pl.col("source_row"),
        pl.col("column_name"),
        pl.col("detail"),
    )


def _quarantine(bad: pl.DataFrame, ctx: FileContext) -> pl.DataFrame:
    """Quarantine rows: message and the original cells as JSON, built for these rows only."""
    originals = [c for c in bad.columns if c.startswith(ORIGINAL)]
    if len(originals) == 1:
        bad = bad.with_columns(pl.col(originals[0]).struct.json_encode().alias("original_row"))
    elif originals:
        # a file's tables (sheets) each have their own cells: encode each table's rows apart
        # (``TABLE`` names the row's struct column; the others are null for it)
        bad = pl.concat(
            bad.filter(pl.col(TABLE) == name).with_columns(
                pl.col(name).struct.json_encode().alias("original_row")
            )
            for name in originals
        )
    else:
        bad = bad.with_columns(pl.lit(None, dtype=pl.String).alias("original_row"))
    return bad.with_columns(_message(ctx).alias("message")).select(row_columns("quarantine"))


def _duplicates(ok: pl.DataFrame, key: list[str], shown: list[str]) -> pl.DataFrame:
    """Flag rows that repeat a key within the file: all of them if values differ, else repeats.

    Adds ``reason_code``, ``column_name`` and ``detail`` (null for rows that load). Only rows
    whose key occurs more than once are grouped; row order is kept.
    """
    none = pl.lit(None, dtype=pl.String)
    ok = ok.with_columns(none.alias("reason_code"), none.alias("column_name"), none.alias("detail"))
    # a repeated hash marks the candidates (cheap); a hash collision only sends a unique key
    # through the exact grouping below, which then finds it alone
    repeated = ok.select(pl.struct(key).hash().is_duplicated()).to_series()
    if not repeated.any():
        return ok
    ok = ok.with_row_index("__ord")
    single = ok.filter(~repeated)
    multi = _flag_repeats(ok.filter(repeated), key, shown)
    return pl.concat([single, multi.select(single.columns)]).sort("__ord").drop("__ord")


def _rows_named(n_max: int = 5) -> pl.Expr:
    """The rows of a key group as ``12, 40 ('sheet')`` — at most ``n_max``: a key repeated 10⁵
    times must not build 10⁵ long messages."""
    where = (
        pl.when(pl.col("sheet").is_not_null())
        .then(pl.format(" ('{}')", pl.col("sheet")))
        .otherwise(pl.lit(""))
    )
    return pl.format("{}{}", pl.col("source_row").cast(pl.String), where).head(n_max).str.join(", ")


def _flag_repeats(ok: pl.DataFrame, key: list[str], shown: list[str]) -> pl.DataFrame:
    """:func:`_duplicates` for rows whose key repeats (``__ord``: position in the file)."""
    groups = (
        ok.group_by(key)
        .agg(
            pl.len().alias("__n"),
            pl.col("value").n_unique().alias("__nv"),
            pl.col("__ord").min().alias("__first"),
            _rows_named().alias("__rows"),
        )
        .with_columns(
            pl.when(pl.col("__n") > 5)
            .then(pl.format("{} … ({} rows)", pl.col("__rows"), pl.col("__n")))
            .otherwise(pl.col("__rows"))
            .alias("__rows")
        )
    )
    ok = ok.join(groups, on=key, how="left", nulls_equal=True, maintain_order="left")
    conflict = (pl.col("__n") > 1) & (pl.col("__nv") > 1)
    repeat = (pl.col("__n") > 1) & (pl.col("__nv") == 1) & (pl.col("__ord") != pl.col("__first"))
    keys = pl.concat_str(shown, separator=", ")
    return ok.with_columns(
        pl.when(conflict | repeat).then(pl.lit("conflicting_duplicate")).alias("reason_code"),
        pl.when(conflict | repeat).then(pl.col("h_value")).alias("column_name"),
        pl.when(conflict)
        .then(pl.format("same key ({}) with different values in rows {}", keys, pl.col("__rows")))
        .when(repeat)
        .then(
            pl.format(
                "repeats key ({}) of rows {} with the same value; first occurrence loaded",
                keys,
                pl.col("__rows"),
            )
        )
        .alias("detail"),
    ).drop("__n", "__nv", "__first", "__rows")
