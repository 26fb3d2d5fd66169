"""Validating observation records (one value of an indicator): resolve, convert to the
indicator's canonical unit, check; every record ends up loaded or quarantined.

The rules are :mod:`pipelines.ingest.rules` (shared with count tables); this module only says
which apply to an observation and in what order.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest import rules
from pipelines.ingest.context import FileContext
from pipelines.ingest.parsing import clean_text, parse_number, per_distinct
from pipelines.ingest.quarantine import row_columns, split
from pipelines.ingest.resolve import (
    Builder,
    cleaned,
    common_builders,
    convert,
    resolve,
    status,
    with_factor,
)
from pipelines.ingest.sidecar import SourceDescription
from pipelines.reference import Reference

#: the key of an observation within a file: the source and status are part of it — a bulletin
#: and its 解读 (two sources), or a preliminary and a final figure, are two publications that
#: all load; dbt resolves them (int_observation_duplicates). Only one source contradicting
#: itself is a file error.
SHOWN_KEY = ["region_id", "indicator_code", "period"]
KEY = [*SHOWN_KEY, "source", "data_status"]


def _ci(side: str) -> Builder:
    raw = pl.col(f"{side}_raw")
    return lambda d: d.with_columns(
        parse_number(raw).struct.field("number").alias(f"{side}_num"),
        clean_text(raw).is_not_null().alias(f"{side}_given"),
    )


def _indicator_facts(ref: Reference) -> Builder:
    """``canonical_unit`` and the plausible range ``pmin``/``pmax`` of ``indicator_code``."""
    facts = ref.indicators.select(
        "indicator_code", "canonical_unit", "plausible_min", "plausible_max"
    )
    canon = dict(facts.select("indicator_code", "canonical_unit").iter_rows())
    pmin = dict(facts.select("indicator_code", "plausible_min").iter_rows())
    pmax = dict(facts.select("indicator_code", "plausible_max").iter_rows())
    code = pl.col("indicator_code")
    return lambda d: d.with_columns(
        code.replace_strict(canon, default=None, return_dtype=pl.String).alias("canonical_unit"),
        code.replace_strict(pmin, default=None, return_dtype=pl.Float64).alias("pmin"),
        code.replace_strict(pmax, default=None, return_dtype=pl.Float64).alias("pmax"),
    )


def observation_rules() -> list[rules.Rule]:
    """The checks of an observation, in the order they are tried."""
    conversion = pl.format(
        "unit '{}' ({}) cannot be converted to {} ({}) of {}",
        pl.col("original_unit"),
        pl.col("file_dim"),
        pl.col("canonical_unit"),
        pl.col("canonical_dim"),
        pl.col("indicator_code"),
    )
    plausible = pl.format(
        "value {} {} is outside the plausible range [{}, {}] of {}",
        pl.col("value").round(6),
        pl.col("canonical_unit"),
        pl.col("pmin"),
        pl.col("pmax"),
        pl.col("indicator_code"),
    )
    return [
        *rules.region_rules(),
        *rules.label_rules("indicator", "indicator_code", "unknown indicator"),
        *rules.period_rules(rules.PERIOD_FORMS),
        *rules.value_rules(),
        rules.trailing_text_rule(),
        rules.known_unit_rule(),
        rules.conversion_rule("h_unit", conversion),
        rules.ci_rule("ci_lower"),
        rules.ci_rule("ci_upper"),
        rules.nature_rule(rules.NATURES),
        rules.status_rule(),
        rules.range_rule(pl.col("pmin"), pl.col("pmax"), plausible),
    ]


def validate_observations(
    records: pl.DataFrame, ref: Reference, desc: SourceDescription, ctx: FileContext
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Resolve, convert and check observation records.

    Returns:
        (rows for ``raw.observations``, rows for ``raw.quarantine``); every input record ends
        up in exactly one of them.
    """
    df = resolve(
        records,
        [
            *common_builders(ref, desc, "indicator", "indicator_code"),
            ("data_status_raw", status(desc)),
            ("ci_lower_raw", _ci("ci_lower")),
            ("ci_upper_raw", _ci("ci_upper")),
        ],
    )
    df = per_distinct(df, ["indicator_code"], _indicator_facts(ref))
    df = with_factor(df, ref).with_columns(
        convert("number").alias("value"),
        convert("ci_lower_num").alias("ci_lower"),
        convert("ci_upper_num").alias("ci_upper"),
    )
    ok, bad = split(df, observation_rules(), KEY, ctx, SHOWN_KEY)
    ok = per_distinct(ok, ["source_quote_raw"], cleaned("source_quote_raw", "source_quote"))
    loaded = ok.with_columns(
        pl.col("canonical_unit").alias("unit"),
        pl.col("value_txt").alias("original_value"),
        pl.col("year").cast(pl.Int32),
    ).select(row_columns("observations"))
    return loaded, bad
