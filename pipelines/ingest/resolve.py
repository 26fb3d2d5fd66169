"""Resolving text records: cleaned text, parsed periods and values, lookups and the unit factor,
shared by observation and count tables (private to ``pipelines.ingest``).

Each resolver is a :func:`pipelines.ingest.parsing.per_distinct` builder: it sees the distinct
values of one raw column and adds the columns the rules of :mod:`pipelines.ingest.rules` read.
Everything is polars expressions, run once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.ingest.parsing import (
    clean_text,
    lookup,
    map_unique,
    parse_number,
    parse_period,
    per_distinct,
)
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import DATA_NATURE_LOOKUP, DATA_STATUS_LOOKUP, MEASURE_LOOKUP
from pipelines.reference import Reference, normalise_label, normalise_unit
from pipelines.rules.units import UNIT_COLUMNS, Unit, conversion

#: a per_distinct builder: distinct values of its key column in, the same rows with columns added
Builder = Callable[[pl.DataFrame], pl.DataFrame]

#: ``label (unit)`` in a label cell, e.g. 人均预期寿命（岁） after normalisation.
LABEL_UNIT = r"^(?P<base>.*?)\s*\((?P<label_unit>[^()]*)\)$"


def resolve(records: pl.DataFrame, builders: list[tuple[str, Builder]]) -> pl.DataFrame:
    """Apply each ``(raw column, builder)`` once per distinct value of the raw column."""
    for key, build in builders:
        records = per_distinct(records, [key], build)
    return records


def common_builders(
    ref: Reference, desc: SourceDescription, label: str, code: str
) -> list[tuple[str, Builder]]:
    """Resolvers every table needs: region, its label column (``indicator`` or ``measure``,
    resolved to ``code``), unit, data nature, period, value and source."""
    region_keys = dict(ref.region_lookup.iter_rows())
    return [
        ("region_raw", resolved("region_raw", "region_txt", "region_id", region_keys)),
        (f"{label}_raw", labelled(label, code, ref)),
        ("unit_raw", cleaned("unit_raw", "unit_txt")),
        ("data_nature_raw", nature(desc)),
        ("period_raw", parsed_period),
        ("value_raw", parsed_value),
        ("source_raw", source(desc)),
    ]


def cleaned(raw: str, name: str) -> Builder:
    """Adds ``name`` = clean_text(``raw``)."""
    return lambda d: d.with_columns(clean_text(pl.col(raw)).alias(name))


def parsed_period(d: pl.DataFrame) -> pl.DataFrame:
    """``period_txt`` and the parsed ``period``, ``period_type`` and ``year``."""
    return d.with_columns(
        clean_text(pl.col("period_raw")).alias("period_txt"),
        parse_period(pl.col("period_raw")).alias("p"),
    ).unnest("p")


def parsed_value(d: pl.DataFrame) -> pl.DataFrame:
    """``value_txt``, the leading ``number`` and any trailing ``suffix`` (a unit, or not)."""
    return d.with_columns(
        clean_text(pl.col("value_raw")).alias("value_txt"),
        parse_number(pl.col("value_raw")).alias("n"),
    ).unnest("n")


def resolved(raw: str, txt: str, out: str, table: dict[str, str]) -> Builder:
    """``txt`` = clean text, ``out`` = its normalised lookup in ``table`` (null: unknown)."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col(raw)).alias(txt))
        return d.with_columns(lookup(map_unique(pl.col(txt), d, normalise_label), table).alias(out))

    return build


def coded(raw: str, txt: str, out: str, table: dict[str, str]) -> Builder:
    """Like :func:`resolved`, but no text at all means ``all`` (sex, cause group)."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col(raw)).alias(txt))
        return d.with_columns(
            pl.when(pl.col(txt).is_null())
            .then(pl.lit("all"))
            .otherwise(lookup(map_unique(pl.col(txt), d, normalise_label), table))
            .alias(out)
        )

    return build


def _label_table(ref: Reference, label: str) -> dict[str, str]:
    return MEASURE_LOOKUP if label == "measure" else dict(ref.indicator_lookup.iter_rows())


def labelled(label: str, code: str, ref: Reference) -> Builder:
    """``<label>_txt``, its code ``code`` (the whole label, else the label without a bracketed
    unit: 人均预期寿命（岁）) and ``label_unit``, the bracket when it is a known unit."""
    table = _label_table(ref, label)
    unit_keys = dict(ref.unit_lookup.iter_rows())

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col(f"{label}_raw")).alias(f"{label}_txt"))
        d = d.with_columns(
            pl.col(f"{label}_txt").str.extract_groups(LABEL_UNIT).alias("lab")
        ).unnest("lab")
        known = lookup(map_unique(pl.col("label_unit"), d, normalise_unit), unit_keys)
        return d.with_columns(
            pl.coalesce(
                lookup(map_unique(pl.col(f"{label}_txt"), d, normalise_label), table),
                lookup(map_unique(pl.col("base"), d, normalise_label), table),
            ).alias(code),
            pl.when(known.is_not_null()).then(pl.col("label_unit")).alias("label_unit"),
        )

    return build


def nature(desc: SourceDescription) -> Builder:
    """``data_nature_txt`` and ``data_nature``: the row's, else the sidecar's, else official."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("data_nature_raw")).alias("data_nature_txt"))
        text = pl.col("data_nature_txt")
        mapped = lookup(map_unique(text, d, normalise_label), DATA_NATURE_LOOKUP)
        default = pl.lit(desc.data_nature or "official")
        return d.with_columns(
            pl.when(text.is_null()).then(default).otherwise(mapped).alias("data_nature")
        )

    return build


def status(desc: SourceDescription) -> Builder:
    """``data_status_txt`` and ``data_status``: the row's, else the sidecar's, else null (not
    stated, read as final downstream)."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("data_status_raw")).alias("data_status_txt"))
        text = pl.col("data_status_txt")
        mapped = lookup(map_unique(text, d, normalise_label), DATA_STATUS_LOOKUP)
        default = pl.lit(desc.data_status, dtype=pl.String)
        return d.with_columns(
            pl.when(text.is_null()).then(default).otherwise(mapped).alias("data_status")
        )

    return build


def source(desc: SourceDescription) -> Builder:
    """``source``: the row's, else the sidecar's."""
    return lambda d: d.with_columns(
        pl.coalesce(clean_text(pl.col("source_raw")), pl.lit(desc.source)).alias("source")
    )


def with_factor(df: pl.DataFrame, ref: Reference) -> pl.DataFrame:
    """Add ``original_unit`` (the value's suffix, else the unit column, else the label's
    bracket), ``file_unit`` (its unit id), ``factor`` to ``canonical_unit`` (null: not
    convertible) and the two units' kinds ``file_dim`` and ``canonical_dim``.

    :func:`pipelines.rules.units.conversion` — the one conversion rule — runs once per distinct
    (unit, target) pair. No unit in the file: factor 1 (the value is in the target unit).
    """
    unit_keys = dict(ref.unit_lookup.iter_rows())
    units = {u: Unit(u, k, f) for u, k, f in ref.units.select(UNIT_COLUMNS).iter_rows()}
    kind = {u.unit: u.kind for u in units.values()}

    def factor(given: str | None, unit: str | None, to_unit: str | None) -> float | None:
        if given is None:
            return 1.0
        if unit is None or to_unit is None:  # unknown unit or indicator: quarantined for that
            return None
        return conversion(unit, to_unit, units).factor

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(
            lookup(map_unique(pl.col("original_unit"), d, normalise_unit), unit_keys).alias(
                "file_unit"
            )
        )
        keys = d.select("original_unit", "file_unit", "canonical_unit").iter_rows()
        return d.with_columns(
            pl.Series("factor", [factor(*row) for row in keys], dtype=pl.Float64),
            pl.col("file_unit").replace_strict(kind, default=None).alias("file_dim"),
            pl.col("canonical_unit").replace_strict(kind, default=None).alias("canonical_dim"),
        )

    df = df.with_columns(pl.coalesce("suffix", "unit_txt", "label_unit").alias("original_unit"))
    return per_distinct(df, ["original_unit", "canonical_unit"], build)


def convert(column: str) -> pl.Expr:
    """``column * factor``; 15 significant digits drop the binary noise of the factor ratio
    (12345 万人 = 1.2345 亿人, not 1.2345000000000002) and factor 1 keeps the text's value."""
    number, factor = pl.col(column), pl.col("factor")
    return pl.when(factor == 1.0).then(number).otherwise((number * factor).round_sig_figs(15))
