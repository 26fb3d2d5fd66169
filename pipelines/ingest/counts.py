"""Validating count records (births, deaths, population, health resources): resolve, convert,
check; every record ends up loaded or quarantined."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.ingest.checks import (
    _LABEL_UNIT,
    _cleaned,
    _convert,
    _converted,
    _nature_builder,
    _parsed_period,
    _parsed_value,
    _resolved,
    _source,
    _split,
    _unit_tables,
    row_columns,
)
from pipelines.ingest.context import FileContext
from pipelines.ingest.parsing import (
    clean_text,
    lookup,
    map_unique,
    per_distinct,
)
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import (
    AGE_ALL,
    EXTRA_CAUSE_GROUPS,
    MEASURE_LOOKUP,
    SEX_LOOKUP,
)
from pipelines.reference import Reference, normalise_label, normalise_unit
from pipelines.rules.units import COUNT_UNIT


def _age_group_expr(ref: Reference) -> pl.Expr:
    text = (
        clean_text(pl.col("age_group_raw"))
        .str.to_lowercase()
        .str.replace_all("岁", "")
        .str.replace_all(r"(及以上|以上|\+)$", "+")
        .str.replace_all(r"[~～至–—]", "-")
        .str.replace_all(r"\s", "")
    )
    known = ref.age_groups["age_group"].to_list()
    return (
        pl.when(text.is_null() | text.is_in(list(AGE_ALL)))
        .then(pl.lit("all"))
        .when(text.is_in(known))
        .then(text)
    )


def _cause_lookup(ref: Reference) -> dict[str, str]:
    table = {
        normalise_label(s): group
        for group, spellings in EXTRA_CAUSE_GROUPS.items()
        for s in spellings
    }
    for row in ref.cause_groups.iter_rows(named=True):
        for spelling in (row["cause_group"], row.get("label_en"), row.get("label_zh")):
            if spelling:
                table[normalise_label(spelling)] = row["cause_group"]
    return table


def validate_counts(
    records: pl.DataFrame, ref: Reference, desc: SourceDescription, ctx: FileContext
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Resolve and check count records (events, populations, workforce).

    Returns:
        (rows for ``raw.count_observations``, rows for ``raw.quarantine``).
    """
    unit_keys, units = _unit_tables(ref)
    region_keys = dict(ref.region_lookup.iter_rows())
    causes = _cause_lookup(ref)

    def measure(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("measure_raw")).alias("measure_txt"))
        # 常住人口（万人）: the bracket is the unit when it is one
        d = d.with_columns(
            pl.col("measure_txt").str.extract_groups(_LABEL_UNIT).alias("lab")
        ).unnest("lab")
        d = d.with_columns(
            pl.when(
                lookup(map_unique(pl.col("unit"), d, normalise_unit), unit_keys).is_not_null()
            ).then(pl.col("unit"))
        )
        return d.with_columns(
            pl.coalesce(
                lookup(map_unique(pl.col("measure_txt"), d, normalise_label), MEASURE_LOOKUP),
                lookup(map_unique(pl.col("base"), d, normalise_label), MEASURE_LOOKUP),
            ).alias("measure")
        )

    def labelled(raw: str, txt: str, out: str, table: dict[str, str]) -> Callable:
        """Cleaned text and its lookup; no text at all means 'all'."""

        def build(d: pl.DataFrame) -> pl.DataFrame:
            d = d.with_columns(clean_text(pl.col(raw)).alias(txt))
            return d.with_columns(
                pl.when(pl.col(txt).is_null())
                .then(pl.lit("all"))
                .otherwise(lookup(map_unique(pl.col(txt), d, normalise_label), table))
                .alias(out)
            )

        return build

    def to_count(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(
            lookup(map_unique(pl.col("original_unit"), d, normalise_unit), unit_keys).alias(
                "file_unit"
            )
        )
        return _converted(d, pl.lit(COUNT_UNIT), units)

    df = records
    for keys, build in (
        ("region_raw", _resolved("region_raw", "region_txt", "region_id", region_keys)),
        ("measure_raw", measure),
        ("value_raw", _parsed_value),
        ("period_raw", _parsed_period),
        ("sex_raw", labelled("sex_raw", "sex_txt", "sex", SEX_LOOKUP)),
        ("cause_group_raw", labelled("cause_group_raw", "cause_txt", "cause_group", causes)),
        ("data_nature_raw", _nature_builder(desc)),
        ("unit_raw", _cleaned("unit_raw", "unit_txt")),
        ("age_group_raw", lambda d: d.with_columns(_age_group_expr(ref).alias("age_group"))),
    ):
        df = per_distinct(df, [keys], build)
    df = df.with_columns(pl.coalesce("suffix", "unit_txt", "unit").alias("original_unit"))
    df = per_distinct(df, ["original_unit"], to_count).with_columns(
        _convert("number").alias("value")
    )
    checks = [
        (
            pl.col("region_txt").is_null(),
            "missing_value",
            pl.col("h_region"),
            pl.lit("region is empty"),
        ),
        (
            pl.col("region_id").is_null(),
            "unknown_region",
            pl.col("h_region"),
            pl.format("unknown region '{}'", pl.col("region_txt")),
        ),
        (
            pl.col("measure_txt").is_null(),
            "missing_value",
            pl.col("h_measure"),
            pl.lit("measure is empty"),
        ),
        (
            pl.col("measure").is_null(),
            "unknown_indicator",
            pl.col("h_measure"),
            pl.format("unknown count measure '{}'", pl.col("measure_txt")),
        ),
        (
            pl.col("period_txt").is_null(),
            "missing_value",
            pl.col("h_period"),
            pl.lit("period is empty"),
        ),
        (
            pl.col("period").is_null(),
            "invalid_period",
            pl.col("h_period"),
            pl.format("invalid period '{}'", pl.col("period_txt")),
        ),
        (
            pl.col("age_group").is_null(),
            "unparsable_value",
            pl.lit("age_group"),
            pl.format("unknown age group '{}' (see age_groups seed)", pl.col("age_group_raw")),
        ),
        (
            pl.col("sex").is_null(),
            "unparsable_value",
            pl.lit("sex"),
            pl.format("unknown sex '{}'", pl.col("sex_txt")),
        ),
        (
            pl.col("cause_group").is_null(),
            "unparsable_value",
            pl.lit("cause_group"),
            pl.format("unknown cause group '{}'", pl.col("cause_txt")),
        ),
        (
            pl.col("value_txt").is_null(),
            "missing_value",
            pl.col("h_value"),
            pl.lit("value is empty"),
        ),
        (
            pl.col("number").is_null(),
            "unparsable_value",
            pl.col("h_value"),
            pl.format("value '{}' is not a number", pl.col("value_txt")),
        ),
        (
            pl.col("factor").is_null(),
            "unconvertible_unit",
            pl.col("h_value"),
            pl.format("unit '{}' is not a count unit", pl.col("original_unit")),
        ),
        (
            pl.col("data_nature").is_null(),
            "unparsable_value",
            pl.lit("data_nature"),
            pl.format("unknown data_nature '{}'", pl.col("data_nature_txt")),
        ),
        (
            pl.col("value") < 0,
            "implausible_value",
            pl.col("h_value"),
            pl.format("negative count {}", pl.col("value")),
        ),
    ]
    key = ["region_id", "period", "measure", "age_group", "sex", "cause_group"]
    ok, bad = _split(df, checks, key, ctx)
    loaded = (
        per_distinct(ok, ["source_raw"], _source(desc))
        .with_columns(pl.col("year").cast(pl.Int32))
        .select(row_columns("count_observations"))
    )
    return loaded, bad
