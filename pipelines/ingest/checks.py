"""Checks, conversions and quarantine rows shared by the two validations (observations in
:mod:`pipelines.ingest.records`, counts in :mod:`pipelines.ingest.counts`); private to
``pipelines.ingest``. Everything is polars expressions, run once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.ingest.context import ORIGINAL, TABLE, FileContext
from pipelines.ingest.parsing import (
    clean_text,
    lookup,
    map_unique,
    parse_number,
    parse_period,
)
from pipelines.ingest.schema import RAW_COLUMNS
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import (
    DATA_NATURE_LOOKUP,
    DATA_STATUS_LOOKUP,
)
from pipelines.reference import Reference, normalise_label
from pipelines.rules.units import UNIT_COLUMNS, Unit, conversion

#: ``label (unit)`` in a label cell, e.g. 人均预期寿命（岁） after normalisation.
_LABEL_UNIT = r"^(?P<base>.*?)\s*\((?P<unit>[^()]*)\)$"


def _convert(column: str) -> pl.Expr:
    """``column * factor``; 15 significant digits drop the binary noise of the factor ratio
    (12345 万人 = 1.2345 亿人, not 1.2345000000000002) and factor 1 keeps the text's value."""
    number, factor = pl.col(column), pl.col("factor")
    return pl.when(factor == 1.0).then(number).otherwise((number * factor).round_sig_figs(15))


def _first_failure(
    checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]],
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(reason_code, column_name, detail) of the first failing check, null when all pass."""
    reason = column = detail = None
    for cond, code, col, text in checks:
        if reason is None:
            reason = pl.when(cond).then(pl.lit(code))
            column = pl.when(cond).then(col)
            detail = pl.when(cond).then(text)
        else:
            reason = reason.when(cond).then(pl.lit(code))
            column = column.when(cond).then(col)
            detail = detail.when(cond).then(text)
    return reason.otherwise(None), column.otherwise(None), detail.otherwise(None)


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


#: lineage columns the same for every row of a file: bound once when inserting (core._insert).
FILE_LINEAGE = ("file_hash", "file_path", "ingested_at", "run_id")


def row_columns(table: str) -> list[str]:
    """Columns of ``raw.<table>`` that vary by row (all but :data:`FILE_LINEAGE`)."""
    return [c for c in RAW_COLUMNS[table] if c not in FILE_LINEAGE]


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


def _checked(
    df: pl.DataFrame, checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split records into (passing every check, failing one); failures get reason, column and
    detail of their first failing check (texts formatted for the failing rows only)."""
    reason, column, detail = _first_failure(checks)
    df = df.with_columns(reason.alias("reason_code"))
    bad = df.filter(pl.col("reason_code").is_not_null()).with_columns(
        column.alias("column_name"), detail.alias("detail")
    )
    return df.filter(pl.col("reason_code").is_null()), bad


def _split(
    df: pl.DataFrame,
    checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]],
    key: list[str],
    ctx: FileContext,
    shown: list[str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records that load, rows for ``raw.quarantine``): checks first, then key duplicates
    (messages name the ``shown`` key columns, default all of ``key``)."""
    ok, bad = _checked(df, checks)
    ok = _duplicates(ok, key, shown or key)
    bad = pl.concat([bad, ok.filter(pl.col("reason_code").is_not_null())], how="diagonal_relaxed")
    return ok.filter(pl.col("reason_code").is_null()), _quarantine(bad, ctx)


def _source(desc: SourceDescription) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder: the row's source, else the sidecar's."""
    return lambda d: d.with_columns(
        pl.coalesce(clean_text(pl.col("source_raw")), pl.lit(desc.source)).alias("source")
    )


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


def _flag_repeats(ok: pl.DataFrame, key: list[str], shown: list[str]) -> pl.DataFrame:
    """:func:`_duplicates` for rows whose key repeats (``__ord``: position in the file)."""
    groups = (
        ok.group_by(key)
        .agg(
            pl.len().alias("__n"),
            pl.col("value").n_unique().alias("__nv"),
            pl.col("__ord").min().alias("__first"),
            # name at most 5 rows: a key repeated 10⁵ times must not build 10⁵ long messages
            pl.format(
                "{}{}",
                pl.col("source_row").cast(pl.String),
                pl.when(pl.col("sheet").is_not_null())
                .then(pl.format(" ('{}')", pl.col("sheet")))
                .otherwise(pl.lit("")),
            )
            .head(5)
            .str.join(", ")
            .alias("__rows"),
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
    return ok.with_columns(
        pl.when(conflict | repeat).then(pl.lit("conflicting_duplicate")).alias("reason_code"),
        pl.when(conflict | repeat).then(pl.col("h_value")).alias("column_name"),
        pl.when(conflict)
        .then(
            pl.format(
                "same key ({}) with different values in rows {}",
                pl.concat_str(shown, separator=", "),
                pl.col("__rows"),
            )
        )
        .when(repeat)
        .then(
            pl.format(
                "repeats key ({}) of rows {} with the same value; first occurrence loaded",
                pl.concat_str(shown, separator=", "),
                pl.col("__rows"),
            )
        )
        .alias("detail"),
    ).drop("__n", "__nv", "__first", "__rows")


def _cleaned(raw: str, name: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder adding ``name`` = clean_text(``raw``)."""
    return lambda d: d.with_columns(clean_text(pl.col(raw)).alias(name))


def _parsed_period(d: pl.DataFrame) -> pl.DataFrame:
    return d.with_columns(
        clean_text(pl.col("period_raw")).alias("period_txt"),
        parse_period(pl.col("period_raw")).alias("p"),
    ).unnest("p")


def _parsed_value(d: pl.DataFrame) -> pl.DataFrame:
    return d.with_columns(
        clean_text(pl.col("value_raw")).alias("value_txt"),
        parse_number(pl.col("value_raw")).alias("n"),
    ).unnest("n")


def _resolved(raw: str, txt: str, out: str, table: dict[str, str]) -> Callable:
    """A :func:`per_distinct` builder: ``txt`` = clean text, ``out`` = its normalised lookup."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col(raw)).alias(txt))
        return d.with_columns(lookup(map_unique(pl.col(txt), d, normalise_label), table).alias(out))

    return build


def _unit_tables(ref: Reference) -> tuple[dict[str, str], dict[str, Unit]]:
    unit_keys = dict(ref.unit_lookup.iter_rows())
    units = {u: Unit(u, k, f) for u, k, f in ref.units.select(UNIT_COLUMNS).iter_rows()}
    return unit_keys, units


def _converted(d: pl.DataFrame, to: pl.Expr, units: dict[str, Unit]) -> pl.DataFrame:
    """Add ``factor`` (null: not convertible), ``file_dim`` and ``canonical_dim`` (the kinds).

    ``d`` holds distinct (unit) rows (see per_distinct), so :func:`units.conversion` — the one
    conversion rule — runs once per distinct pair. No unit in the file: factor 1 (the value is
    in the target unit).
    """
    d = d.with_columns(to.alias("_to"))

    def factor(given: str | None, unit: str | None, to_unit: str | None) -> float | None:
        if given is None:
            return 1.0
        if unit is None or to_unit is None:  # unknown unit or indicator: quarantined for that
            return None
        return conversion(unit, to_unit, units).factor

    factors = [factor(*row) for row in d.select("original_unit", "file_unit", "_to").iter_rows()]
    kind = {u.unit: u.kind for u in units.values()}
    return d.with_columns(
        pl.Series("factor", factors, dtype=pl.Float64),
        pl.col("file_unit").replace_strict(kind, default=None).alias("file_dim"),
        pl.col("_to").replace_strict(kind, default=None).alias("canonical_dim"),
    ).drop("_to")


def _nature(frame: pl.DataFrame, desc: SourceDescription) -> pl.Expr:
    text = pl.col("data_nature_txt")
    mapped = lookup(map_unique(text, frame, normalise_label), DATA_NATURE_LOOKUP)
    return pl.when(text.is_null()).then(pl.lit(desc.data_nature or "official")).otherwise(mapped)


def _nature_builder(desc: SourceDescription) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder: ``data_nature_txt`` and the resolved ``data_nature``."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("data_nature_raw")).alias("data_nature_txt"))
        return d.with_columns(_nature(d, desc).alias("data_nature"))

    return build


def _status_builder(desc: SourceDescription) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder: ``data_status_txt`` and the resolved ``data_status``
    (the row's, else the sidecar's, else null = not stated, read as final downstream)."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("data_status_raw")).alias("data_status_txt"))
        mapped = lookup(
            map_unique(pl.col("data_status_txt"), d, normalise_label), DATA_STATUS_LOOKUP
        )
        return d.with_columns(
            pl.when(pl.col("data_status_txt").is_null())
            .then(pl.lit(desc.data_status, dtype=pl.String))
            .otherwise(mapped)
            .alias("data_status")
        )

    return build
