"""Validating count records (births, deaths, population, health resources): resolve, convert
to a plain count, check; every record ends up loaded or quarantined.

The rules are :mod:`pipelines.ingest.rules` (shared with observation tables); this module only
says which apply to a count and in what order.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest import rules
from pipelines.ingest.context import FileContext
from pipelines.ingest.parsing import clean_text
from pipelines.ingest.quarantine import row_columns, split
from pipelines.ingest.resolve import Builder, coded, common_builders, convert, resolve, with_factor
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import AGE_ALL, SEX_LOOKUP, cause_lookup
from pipelines.reference import Reference
from pipelines.rules.units import COUNT_UNIT

#: the key of a count within a file (a repeat is a conflicting duplicate).
KEY = ["region_id", "period", "measure", "age_group", "sex", "cause_group"]


def _age_group(ref: Reference) -> Builder:
    """``age_group``: a band of ``age_groups.csv`` (85岁以上 = 85+, 1~4 = 1-4), ``all`` for
    every spelling of all ages or an empty cell, else null."""
    text = (
        clean_text(pl.col("age_group_raw"))
        .str.to_lowercase()
        .str.replace_all("岁", "")
        .str.replace_all(r"(及以上|以上|\+)$", "+")
        .str.replace_all(r"[~～至–—]", "-")
        .str.replace_all(r"\s", "")
    )
    known = ref.age_groups["age_group"].to_list()
    band = pl.when(text.is_null() | text.is_in(list(AGE_ALL))).then(pl.lit("all"))
    return lambda d: d.with_columns(band.when(text.is_in(known)).then(text).alias("age_group"))


def count_rules() -> list[rules.Rule]:
    """The checks of a count, in the order they are tried."""
    return [
        *rules.region_rules(),
        *rules.label_rules("measure", "measure", "unknown count measure"),
        *rules.period_rules(),
        rules.coded_rule("age_group", "age_group_raw", "age group", " (see age_groups seed)"),
        rules.coded_rule("sex", "sex_txt", "sex"),
        rules.coded_rule("cause_group", "cause_txt", "cause group"),
        *rules.value_rules(),
        rules.conversion_rule(
            "h_value", pl.format("unit '{}' is not a count unit", pl.col("original_unit"))
        ),
        rules.nature_rule(),
        rules.range_rule(pl.lit(0), None, pl.format("negative count {}", pl.col("value"))),
    ]


def validate_counts(
    records: pl.DataFrame, ref: Reference, desc: SourceDescription, ctx: FileContext
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Resolve and check count records (events, populations, workforce).

    Returns:
        (rows for ``raw.count_observations``, rows for ``raw.quarantine``).
    """
    df = resolve(
        records,
        [
            *common_builders(ref, desc, "measure", "measure"),
            ("sex_raw", coded("sex_raw", "sex_txt", "sex", SEX_LOOKUP)),
            (
                "cause_group_raw",
                coded(
                    "cause_group_raw", "cause_txt", "cause_group", cause_lookup(ref.cause_groups)
                ),
            ),
            ("age_group_raw", _age_group(ref)),
        ],
    )
    df = with_factor(df.with_columns(pl.lit(COUNT_UNIT).alias("canonical_unit")), ref)
    df = df.with_columns(convert("number").alias("value"))
    ok, bad = split(df, count_rules(), KEY, ctx)
    loaded = ok.with_columns(pl.col("year").cast(pl.Int32)).select(
        row_columns("count_observations")
    )
    return loaded, bad
