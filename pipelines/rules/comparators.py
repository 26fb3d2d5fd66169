"""The single definition of target comparators (CONTRACTS §1, "Comparator vocabulary").

A target says what an indicator's value must be; this module turns a target row into the
*required bounds* ``(lower, lower_inclusive, upper, upper_inclusive)`` a value must satisfy, and
defines when a value meets them, its signed gap and a human-readable threshold text.

The rules are written once, as data (:data:`RULES`, built from the tiny expression language of
:mod:`pipelines.rules.expressions`), and evaluated two ways from that same data:

- in Python by :func:`required_bounds` (used by the GX suite builder and the tests);
- in SQL by the dbt macros that :mod:`pipelines.rules.comparator_sql` renders from the same
  objects into ``dbt_project/macros/generated/comparator_bounds.sql`` (used by the
  ``int_assessment_*`` models).

When a value meets the bounds, its gap and the threshold's words are defined once in
:mod:`pipelines.rules.bounds` (re-exported here). A test proves the committed macro file equals a
fresh render, and another evaluates the macro
SQL in DuckDB on a grid of cases and compares it with the Python results.

Semantics (inputs are in the indicator's canonical unit; percents as 0–100):

========================  ===============================================================
comparator                requirement on value ``v``
========================  ===============================================================
``ge`` / ``gt``           ``v ≥ t`` / ``v > t``
``le`` / ``lt``           ``v ≤ t`` / ``v < t``
``about`` (左右)          within ``tol`` % of ``t`` on both sides, whatever the direction:
                          ``t·(1−tol/100) ≤ v ≤ t·(1+tol/100)`` ("about 25 %" is a
                          point to land near, not a one-sided allowance)
``range``                 ``t ≤ v ≤ target_upper``
``eq``                    ``v = t`` (全覆盖 is ``eq 100``)
``reduce_by_pct``         ``v ≤ ref·(1 − t/100)``, ref = value in ``relative_to_year``
``increase_by_pct``       ``v ≥ ref·(1 + t/100)``
``reduce_by_points``      ``v ≤ ref − t``, ref = value in ``relative_to_year``: a fall of
                          at least ``t`` percentage points (下降3—5个百分点: ``t`` = 3, the
                          plan's aspiration ``target_upper`` = 5 is shown, not required —
                          a larger fall of a lower-is-better rate is no failure)
``maintain`` (保持)       no worse than ref = baseline: lower_is_better → ``v ≤ ref``;
                          higher_is_better → ``v ≥ ref``; target_range/unknown → within
                          ``tol`` % of ref on both sides
``improve`` (持续改善)    strictly better than ref = the better of the previous observation
                          and the baseline
                          (lower_is_better → ``v < ref``; higher_is_better → ``v > ref``;
                          target_range/unknown → no bound, cannot be assessed)
``none``                  no threshold (informational)
========================  ===============================================================

``tol`` is ``tolerance_pct`` of the target row, default :data:`DEFAULT_ABOUT_TOLERANCE_PCT`
(the ``_default`` row of the seed ``indicator_assessment_rules``, the one place it is set).
A bound whose inputs are missing (e.g. ``reduce_by_pct`` without a reference value) is ``None``;
the assessment then reports ``reference_missing`` rather than guessing.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import DBT_PROJECT_DIR
from pipelines.rules.bounds import (
    AND_WORD,
    EQUALS_WORD,
    LOWER_SIDE,
    RANGE_DASH,
    UPPER_SIDE,
    Bounds,
    BoundSide,
    format_number,
    gap,
    requirement_text,
    threshold_met,
)
from pipelines.rules.expressions import Expr, Input, Nearest, Offset, Scaled, Tolerance

# The bounds and their evaluation (pipelines.rules.bounds) are re-exported so that a
# comparator's consumers import this one module.
__all__ = [
    "AND_WORD",
    "ASSESSMENT_RULES_SEED",
    "COMPARATORS",
    "CONTINUOUS_COMPARATORS",
    "DEFAULT_ABOUT_TOLERANCE_PCT",
    "DIRECTIONS",
    "EQUALS_WORD",
    "INPUTS",
    "LOWER_SIDE",
    "RANGE_DASH",
    "REFERENCE_COMPARATORS",
    "REFERENCE_OF",
    "RELATIVE_COMPARATORS",
    "RULES",
    "TARGET_POINTS",
    "UPPER_SIDE",
    "BoundSide",
    "Bounds",
    "Rule",
    "Side",
    "format_number",
    "gap",
    "required_bounds",
    "requirement_text",
    "rule_for",
    "target_point",
    "threshold_met",
]

#: The seed holding the assessment rules per indicator; its ``_default`` row sets the tolerance.
ASSESSMENT_RULES_SEED: Path = DBT_PROJECT_DIR / "seeds" / "indicator_assessment_rules.csv"


def _default_about_tolerance_pct(path: Path = ASSESSMENT_RULES_SEED) -> float:
    """``about_tolerance_pct`` of the ``_default`` row of ``indicator_assessment_rules.csv``.

    Raises:
        ValueError: the seed has no ``_default`` row or its tolerance is blank (names the file).
    """
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row["indicator_code"] == "_default"
                and (row.get("about_tolerance_pct") or "").strip()
            ):
                return float(row["about_tolerance_pct"])
    raise ValueError(f"{path}: no `_default` row with an about_tolerance_pct")


#: Default relative tolerance of ``about`` (左右), in percent, from the rules seed; a target row
#: overrides it with ``tolerance_pct``. Also used by ``maintain`` on target-range indicators.
DEFAULT_ABOUT_TOLERANCE_PCT: float = _default_about_tolerance_pct()

#: Every comparator of ``plan_targets.comparator``.
COMPARATORS: tuple[str, ...] = (
    "ge",
    "gt",
    "le",
    "lt",
    "about",
    "range",
    "eq",
    "reduce_by_pct",
    "increase_by_pct",
    "reduce_by_points",
    "maintain",
    "improve",
    "none",
)

#: Every ``indicators.direction``.
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better", "target_range")

#: Which value each reference-based comparator is measured against (the assessment's columns):
#: the value observed in ``relative_to_year``, the baseline, or — keep improving (持续改善) — the
#: better of the previous observation and the baseline (one good year after a fall below the
#: baseline is not "keeps improving").
REFERENCE_OF: dict[str, str] = {
    "reduce_by_pct": "relative_year_value",
    "increase_by_pct": "relative_year_value",
    "reduce_by_points": "relative_year_value",
    "maintain": "baseline_value",
    "improve": "best_of_previous_and_baseline",
}

#: Comparators whose reference value is the observed value in ``relative_to_year``.
RELATIVE_COMPARATORS: frozenset[str] = frozenset(
    c for c, ref in REFERENCE_OF.items() if ref == "relative_year_value"
)

#: Comparators judged continuously against a moving or fixed reference rather than a value to
#: reach by the target year (the assessment never projects them; Healthy People's significance
#: test decides them, docs/verdicts.md).
CONTINUOUS_COMPARATORS: frozenset[str] = frozenset({"maintain", "improve"})

#: Comparators that need ``reference_value`` (see :data:`REFERENCE_OF`).
REFERENCE_COMPARATORS: frozenset[str] = frozenset(REFERENCE_OF)

#: Names of the inputs an expression may reference (the macro's parameters).
INPUTS: tuple[str, ...] = (
    "target_value",
    "target_upper",
    "tolerance_pct",
    "reference_value",
)


_T = Input("target_value")
_U = Input("target_upper")
_REF = Input("reference_value")
_TOL = Tolerance(DEFAULT_ABOUT_TOLERANCE_PCT)


@dataclass(frozen=True)
class Side:
    """One side of a requirement: the bound's expression and whether equality satisfies it."""

    expr: Expr
    inclusive: bool


@dataclass(frozen=True)
class Rule:
    """Lower and upper side of a requirement (``None`` = unbounded on that side)."""

    lower: Side | None
    upper: Side | None


_NO_BOUND = Rule(None, None)

#: The rules. Key ``(comparator, direction)``; direction ``None`` is the fallback for any
#: direction (including an unknown one). Direction-specific keys take precedence.
RULES: dict[tuple[str, str | None], Rule] = {
    ("ge", None): Rule(Side(_T, True), None),
    ("gt", None): Rule(Side(_T, False), None),
    ("le", None): Rule(None, Side(_T, True)),
    ("lt", None): Rule(None, Side(_T, False)),
    ("about", None): Rule(Side(Scaled(_T, _TOL, -1), True), Side(Scaled(_T, _TOL, +1), True)),
    ("range", None): Rule(Side(_T, True), Side(_U, True)),
    ("eq", None): Rule(Side(_T, True), Side(_T, True)),
    ("reduce_by_pct", None): Rule(None, Side(Scaled(_REF, _T, -1), True)),
    ("increase_by_pct", None): Rule(Side(Scaled(_REF, _T, +1), True), None),
    ("reduce_by_points", None): Rule(None, Side(Offset(_REF, _T), True)),
    ("maintain", "higher_is_better"): Rule(Side(_REF, True), None),
    ("maintain", "lower_is_better"): Rule(None, Side(_REF, True)),
    ("maintain", None): Rule(
        Side(Scaled(_REF, _TOL, -1), True), Side(Scaled(_REF, _TOL, +1), True)
    ),
    ("improve", "higher_is_better"): Rule(Side(_REF, False), None),
    ("improve", "lower_is_better"): Rule(None, Side(_REF, False)),
    ("improve", None): _NO_BOUND,
    ("none", None): _NO_BOUND,
}


#: The value a target aims at, for the percent of targeted change achieved (Healthy People's
#: PTCA): the target itself — never a tolerance bound of ``about`` —, the reference-derived
#: value of a relative target, the nearest end of a range; none for continuous / no target.
TARGET_POINTS: dict[str, Expr | Nearest | None] = {
    "ge": _T,
    "gt": _T,
    "le": _T,
    "lt": _T,
    "about": _T,
    "eq": _T,
    "range": Nearest(_T, _U),
    "reduce_by_pct": Scaled(_REF, _T, -1),
    "increase_by_pct": Scaled(_REF, _T, +1),
    "reduce_by_points": Offset(_REF, _T),
    "maintain": None,
    "improve": None,
    "none": None,
}


def target_point(
    comparator: str,
    target_value: float | None = None,
    target_upper: float | None = None,
    reference_value: float | None = None,
    baseline_value: float | None = None,
) -> float | None:
    """The value the target aims at (:data:`TARGET_POINTS`); ``None`` if it has none."""
    rule_for(comparator, None)  # unknown comparator → ValueError
    expr = TARGET_POINTS[comparator]
    env = {
        "target_value": target_value,
        "target_upper": target_upper,
        "tolerance_pct": None,
        "reference_value": reference_value,
        "baseline_value": baseline_value,
    }
    return None if expr is None else expr.eval(env)


def rule_for(comparator: str, direction: str | None) -> Rule:
    """The rule for a comparator and indicator direction.

    Raises:
        ValueError: the comparator is not in :data:`COMPARATORS`.
    """
    if comparator not in COMPARATORS:
        raise ValueError(f"unknown comparator {comparator!r}; expected one of {COMPARATORS}")
    return RULES.get((comparator, direction)) or RULES[(comparator, None)]


# --- Python evaluation -------------------------------------------------------------------------


def _side_value(side: Side | None, env: Mapping[str, float | None]) -> tuple[float | None, bool]:
    if side is None:
        return None, False
    return side.expr.eval(env), side.inclusive


def required_bounds(
    comparator: str,
    target_value: float | None = None,
    target_upper: float | None = None,
    tolerance_pct: float | None = None,
    reference_value: float | None = None,
    direction: str | None = None,
) -> Bounds:
    """Required bounds of one target.

    Args:
        comparator: one of :data:`COMPARATORS`.
        target_value: the target number (for ``*_by_pct``: the percent change, 0–100).
        target_upper: upper end of a ``range``.
        tolerance_pct: relative tolerance of ``about`` (and of ``maintain`` on target-range
            indicators) in percent; ``None`` → :data:`DEFAULT_ABOUT_TOLERANCE_PCT`.
        reference_value: the reference for ``reduce_by_pct``/``increase_by_pct`` (value observed
            in ``relative_to_year``), ``maintain`` (baseline) and ``improve`` (previous
            observation).
        direction: the indicator's direction (:data:`DIRECTIONS`) or ``None`` if unknown.

    Returns:
        The bounds; a side whose inputs are missing is ``None`` with inclusive ``None``.
    """
    rule = rule_for(comparator, direction)
    env = {
        "target_value": target_value,
        "target_upper": target_upper,
        "tolerance_pct": tolerance_pct,
        "reference_value": reference_value,
    }
    lower, lower_inc = _side_value(rule.lower, env)
    upper, upper_inc = _side_value(rule.upper, env)
    return Bounds(
        lower=lower,
        lower_inclusive=None if lower is None else lower_inc,
        upper=upper,
        upper_inclusive=None if upper is None else upper_inc,
    )
