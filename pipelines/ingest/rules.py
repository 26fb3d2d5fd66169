"""Every row check of a table, defined once: observation and count tables take their checks
from here (``pipelines.ingest.observations`` and ``pipelines.ingest.counts`` only choose which
rules apply and in what order; the first failing rule names the row's quarantine reason).

A rule reads the columns the resolvers of :mod:`pipelines.ingest.resolve` add (``region_txt``,
``region_id``, ``period_txt`` …) and the header names ``h_<field>`` of
:func:`pipelines.ingest.records.table_records`. Registers are checked in SQL by
:mod:`pipelines.ingest.register_sql`, which shares the period bounds below.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

#: what an observation table's invalid-period and data-nature messages add for the reader
#: (count tables have always said less; the messages are part of the golden rows).
PERIOD_FORMS = " (expected 2020, 2020年, 2020Q3 or 2020-06)"
NATURES = " (official, illustrative, international_estimate)"
STATUSES = " (final/最终, preliminary/预计/初步)"


@dataclass(frozen=True)
class Rule:
    """One row check: a row where ``fails`` holds is quarantined with ``reason`` in
    ``column`` (an expression: the file's own header name) and the text ``detail``."""

    fails: pl.Expr
    reason: str
    column: pl.Expr
    detail: pl.Expr


def _col(name: str) -> pl.Expr:
    return pl.col(name)


def present(field: str, text: str, header: str | None = None) -> Rule:
    """``field`` has a value (``text`` is its cleaned text; null = empty cell)."""
    return Rule(
        _col(text).is_null(),
        "missing_value",
        _col(header or f"h_{field}"),
        pl.lit(f"{field} is empty"),
    )


def region_rules() -> list[Rule]:
    """The region cell is given and names a known region (id, code or alias)."""
    return [
        present("region", "region_txt"),
        Rule(
            _col("region_id").is_null(),
            "unknown_region",
            _col("h_region"),
            pl.format("unknown region '{}'", _col("region_txt")),
        ),
    ]


def label_rules(field: str, code: str, unknown: str) -> list[Rule]:
    """The row's label (``indicator`` or count ``measure``) is given and known.

    ``code`` is the resolved column, ``unknown`` how the message names an unknown label.
    """
    text = f"{field}_txt"
    return [
        present(field, text),
        Rule(
            _col(code).is_null(),
            "unknown_indicator",
            _col(f"h_{field}"),
            pl.format(f"{unknown} '{{}}'", _col(text)),
        ),
    ]


def period_rules(forms: str = "") -> list[Rule]:
    """The period is given and is one of the period forms (``forms``: the message's hint)."""
    return [
        present("period", "period_txt"),
        Rule(
            _col("period").is_null(),
            "invalid_period",
            _col("h_period"),
            pl.format(f"invalid period '{{}}'{forms}", _col("period_txt")),
        ),
    ]


def value_rules() -> list[Rule]:
    """The value is given and starts with a number."""
    return [
        present("value", "value_txt"),
        Rule(
            _col("number").is_null(),
            "unparsable_value",
            _col("h_value"),
            pl.format("value '{}' is not a number", _col("value_txt")),
        ),
    ]


def coded_rule(field: str, text: str, what: str, hint: str = "") -> Rule:
    """A coded column (sex, cause group, age group …) holds a known code or spelling."""
    return Rule(
        _col(field).is_null(),
        "unparsable_value",
        pl.lit(field),
        pl.format(f"unknown {what} '{{}}'{hint}", _col(text)),
    )


def nature_rule(hint: str = "") -> Rule:
    """The data nature is a known one (an empty cell takes the sidecar's or ``official``)."""
    return coded_rule("data_nature", "data_nature_txt", "data_nature", hint)


def status_rule() -> Rule:
    """A stated data status is a known one (unstated stays null: final downstream)."""
    rule = coded_rule("data_status", "data_status_txt", "data_status", STATUSES)
    return replace(rule, fails=_col("data_status_txt").is_not_null() & rule.fails)


def ci_rule(side: str) -> Rule:
    """A confidence bound, when given, is a number."""
    return Rule(
        _col(f"{side}_given") & _col(f"{side}_num").is_null(),
        "unparsable_value",
        pl.lit(side),
        pl.format(f"{side} '{{}}' is not a number", _col(f"{side}_raw")),
    )


def trailing_text_rule() -> Rule:
    """Text after the number (``82 左右``) must be a unit."""
    return Rule(
        _col("suffix").is_not_null() & _col("file_unit").is_null(),
        "unparsable_value",
        _col("h_value"),
        pl.format(
            "value '{}' has trailing text '{}' that is not a unit",
            _col("value_txt"),
            _col("suffix"),
        ),
    )


def known_unit_rule() -> Rule:
    """A unit the file states is a unit of ``units.csv`` (or an alias)."""
    return Rule(
        _col("original_unit").is_not_null() & _col("file_unit").is_null(),
        "unconvertible_unit",
        _col("h_unit"),
        pl.format("unknown unit '{}'", _col("original_unit")),
    )


def conversion_rule(column: str, detail: pl.Expr) -> Rule:
    """The stated unit converts to the target unit (``factor`` from the one conversion
    rule, :func:`pipelines.rules.units.conversion`); ``detail`` names what failed."""
    return Rule(_col("factor").is_null(), "unconvertible_unit", _col(column), detail)


def range_rule(low: pl.Expr | None, high: pl.Expr | None, detail: pl.Expr) -> Rule:
    """The converted value lies within [low, high] (a null bound does not bind)."""
    value = _col("value")
    outside = pl.lit(False)
    if low is not None:
        outside = outside | (value < low)
    if high is not None:
        outside = outside | (value > high)
    return Rule(outside, "implausible_value", _col("h_value"), detail)


def first_failure(rules: list[Rule]) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(reason_code, column_name, detail) of the first failing rule, null when all pass."""
    reason = column = detail = pl.lit(None, dtype=pl.String)
    for rule in reversed(rules):  # built inside out: the first rule is the outermost test
        reason = pl.when(rule.fails).then(pl.lit(rule.reason)).otherwise(reason)
        column = pl.when(rule.fails).then(rule.column).otherwise(column)
        detail = pl.when(rule.fails).then(rule.detail).otherwise(detail)
    return reason, column, detail
