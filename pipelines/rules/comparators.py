"""The single definition of target comparators (CONTRACTS §1, "Comparator vocabulary").

A target says what an indicator's value must be; this module turns a target row into the
*required bounds* ``(lower, lower_inclusive, upper, upper_inclusive)`` a value must satisfy, and
defines when a value meets them, its signed gap and a human-readable threshold text.

The rules are written once, as data (:data:`RULES`, built from a tiny expression language), and
evaluated two ways from that same data:

- in Python by :func:`required_bounds` (used by the GX suite builder and the tests);
- in SQL by the dbt macros that :mod:`pipelines.rules.comparator_sql` renders from the same
  objects into ``dbt_project/macros/generated/comparator_bounds.sql`` (used by the
  ``int_assessment_*`` models).

A test proves the committed macro file equals a fresh render, and another evaluates the macro
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
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import DBT_PROJECT_DIR

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


# --- a tiny expression language: evaluated in Python, rendered to SQL -------------------------


@dataclass(frozen=True)
class _Input:
    """One of :data:`INPUTS`, read as a double."""

    name: str

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        value = env[self.name]
        return None if value is None else float(value)

    def sql(self, args: Mapping[str, str]) -> str:
        return f"cast({args[self.name]} as double)"


@dataclass(frozen=True)
class _Tolerance:
    """``tolerance_pct`` of the row, else :data:`DEFAULT_ABOUT_TOLERANCE_PCT`."""

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        value = env["tolerance_pct"]
        return DEFAULT_ABOUT_TOLERANCE_PCT if value is None else float(value)

    def sql(self, args: Mapping[str, str]) -> str:
        return f"coalesce(cast({args['tolerance_pct']} as double), {DEFAULT_ABOUT_TOLERANCE_PCT!r})"


@dataclass(frozen=True)
class _Scaled:
    """``base · (100 + sign · pct) / 100`` — same operation order in Python and SQL; multiplying
    before dividing keeps round numbers exact (50 · 110 / 100 = 55, not 55.00000000000001)."""

    base: _Input
    pct: _Input | _Tolerance
    sign: int

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        base, pct = self.base.eval(env), self.pct.eval(env)
        if base is None or pct is None:
            return None
        return base * (100.0 + self.sign * pct) / 100.0

    def sql(self, args: Mapping[str, str]) -> str:
        op = "+" if self.sign > 0 else "-"
        return f"({self.base.sql(args)} * (100.0 {op} {self.pct.sql(args)}) / 100.0)"


@dataclass(frozen=True)
class _Offset:
    """``base − amount`` (an absolute change, in the indicator's unit: percentage points)."""

    base: _Input
    amount: _Input

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        base, amount = self.base.eval(env), self.amount.eval(env)
        if base is None or amount is None:
            return None
        return base - amount

    def sql(self, args: Mapping[str, str]) -> str:
        return f"({self.base.sql(args)} - {self.amount.sql(args)})"


_Expr = _Input | _Tolerance | _Scaled | _Offset

_T = _Input("target_value")
_U = _Input("target_upper")
_REF = _Input("reference_value")
_TOL = _Tolerance()


@dataclass(frozen=True)
class Side:
    """One side of a requirement: the bound's expression and whether equality satisfies it."""

    expr: _Expr
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
    ("about", None): Rule(Side(_Scaled(_T, _TOL, -1), True), Side(_Scaled(_T, _TOL, +1), True)),
    ("range", None): Rule(Side(_T, True), Side(_U, True)),
    ("eq", None): Rule(Side(_T, True), Side(_T, True)),
    ("reduce_by_pct", None): Rule(None, Side(_Scaled(_REF, _T, -1), True)),
    ("increase_by_pct", None): Rule(Side(_Scaled(_REF, _T, +1), True), None),
    ("reduce_by_points", None): Rule(None, Side(_Offset(_REF, _T), True)),
    ("maintain", "higher_is_better"): Rule(Side(_REF, True), None),
    ("maintain", "lower_is_better"): Rule(None, Side(_REF, True)),
    ("maintain", None): Rule(
        Side(_Scaled(_REF, _TOL, -1), True), Side(_Scaled(_REF, _TOL, +1), True)
    ),
    ("improve", "higher_is_better"): Rule(Side(_REF, False), None),
    ("improve", "lower_is_better"): Rule(None, Side(_REF, False)),
    ("improve", None): _NO_BOUND,
    ("none", None): _NO_BOUND,
}


@dataclass(frozen=True)
class _Nearest:
    """The bound of ``[lower, upper]`` nearest to the baseline (null when the baseline is inside):
    where a range target asks the value to go."""

    lower: _Input
    upper: _Input

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        base, lo, hi = env["baseline_value"], self.lower.eval(env), self.upper.eval(env)
        if base is None or lo is None or hi is None:
            return None
        return lo if base < lo else hi if base > hi else None

    def sql(self, args: Mapping[str, str]) -> str:
        base, lo, hi = args["baseline_value"], self.lower.sql(args), self.upper.sql(args)
        return f"(case when {base} < {lo} then {lo} when {base} > {hi} then {hi} end)"


#: The value a target aims at, for the percent of targeted change achieved (Healthy People's
#: PTCA): the target itself — never a tolerance bound of ``about`` —, the reference-derived
#: value of a relative target, the nearest end of a range; none for continuous / no target.
TARGET_POINTS: dict[str, _Expr | _Nearest | None] = {
    "ge": _T,
    "gt": _T,
    "le": _T,
    "lt": _T,
    "about": _T,
    "eq": _T,
    "range": _Nearest(_T, _U),
    "reduce_by_pct": _Scaled(_REF, _T, -1),
    "increase_by_pct": _Scaled(_REF, _T, +1),
    "reduce_by_points": _Offset(_REF, _T),
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


@dataclass(frozen=True)
class Bounds:
    """The requirement a value must satisfy. A ``None`` bound means unbounded on that side;
    both ``None`` means nothing can be judged (``none``, or inputs missing)."""

    lower: float | None
    lower_inclusive: bool | None
    upper: float | None
    upper_inclusive: bool | None

    @property
    def is_assessable(self) -> bool:
        """True when at least one side is bounded."""
        return self.lower is not None or self.upper is not None

    def is_met(self, value: float | None) -> bool | None:
        """Whether ``value`` satisfies the requirement (``None`` if it cannot be judged)."""
        return threshold_met(value, self)

    def gap(self, value: float | None) -> float | None:
        """Signed distance of ``value`` to the requirement (see :func:`gap`)."""
        return gap(value, self)

    def text(self) -> str | None:
        """Threshold text such as ``≥ 95`` (see :func:`requirement_text`)."""
        return requirement_text(self)


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


@dataclass(frozen=True)
class BoundSide:
    """One side of a requirement: the single definition of "the value satisfies this bound", of
    the signed distance to it and of its words, evaluated in Python (:func:`threshold_met`,
    :func:`gap`, :func:`requirement_text`) and rendered to SQL (the generated macros
    ``threshold_met``, ``bounds_gap``, ``requirement_text``) from the same methods."""

    side: str  # "lower" | "upper"

    @property
    def _op(self) -> str:
        return ">" if self.side == "lower" else "<"

    def satisfied(self, value: float, bound: float | None, inclusive: bool | None) -> bool:
        """No bound, strictly beyond it in the good direction, or on an inclusive bound."""
        if bound is None:
            return True
        beyond = value > bound if self.side == "lower" else value < bound
        return beyond or (bool(inclusive) and value == bound)

    def satisfied_sql(self, value: str, bound: str, inclusive: str) -> str:
        """:meth:`satisfied` as a SQL predicate over SQL expressions."""
        return f"({bound} is null or {value} {self._op} {bound} or ({inclusive} and {value} = {bound}))"

    def distance(self, value: float, bound: float) -> float:
        """Signed distance in the good direction (≥ 0 on the good side)."""
        return value - bound if self.side == "lower" else bound - value

    def distance_sql(self, value: str, bound: str) -> str:
        """:meth:`distance` in SQL."""
        return f"{value} - {bound}" if self.side == "lower" else f"{bound} - {value}"

    def symbol(self, inclusive: bool) -> str:
        """``≥ `` / ``> `` (lower) or ``≤ `` / ``< `` (upper)."""
        if self.side == "lower":
            return "≥ " if inclusive else "> "
        return "≤ " if inclusive else "< "


LOWER_SIDE = BoundSide("lower")
UPPER_SIDE = BoundSide("upper")
#: Words of :func:`requirement_text` besides the side symbols (the SQL macro renders these).
EQUALS_WORD, RANGE_DASH, AND_WORD = "= ", "–", " and "


def threshold_met(value: float | None, bounds: Bounds) -> bool | None:
    """True iff ``value`` lies within ``bounds``; ``None`` when value or both bounds are missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if not bounds.is_assessable:
        return None
    return LOWER_SIDE.satisfied(value, bounds.lower, bounds.lower_inclusive) and (
        UPPER_SIDE.satisfied(value, bounds.upper, bounds.upper_inclusive)
    )


def gap(value: float | None, bounds: Bounds) -> float | None:
    """Signed gap in the good direction, in the indicator's unit.

    ``min(value − lower, upper − value)`` over the bounded sides: ≥ 0 means the value lies within
    the bounds (for a strict bound, exactly 0 means "on the bound", which does *not* meet it);
    negative means how far it falls short. ``None`` if it cannot be judged.
    """
    if value is None or not bounds.is_assessable:
        return None
    sides = ((LOWER_SIDE, bounds.lower), (UPPER_SIDE, bounds.upper))
    return min(side.distance(value, bound) for side, bound in sides if bound is not None)


def format_number(value: float) -> str:
    """Shortest readable form of a threshold number (C ``%g``: 6 significant digits; SQL renders
    it as ``format('{:g}', x)``)."""
    return format(value, "g")


def requirement_text(bounds: Bounds) -> str | None:
    """Human-readable threshold: ``≥ 95``, ``< 5``, ``= 100``, ``103–107``, ``> 1 and ≤ 2``."""
    lo, hi = bounds.lower, bounds.upper
    if lo is None and hi is None:
        return None
    lo_txt = (
        None if lo is None else LOWER_SIDE.symbol(bool(bounds.lower_inclusive)) + format_number(lo)
    )
    hi_txt = (
        None if hi is None else UPPER_SIDE.symbol(bool(bounds.upper_inclusive)) + format_number(hi)
    )
    if lo is None:
        return hi_txt
    if hi is None:
        return lo_txt
    if bounds.lower_inclusive and bounds.upper_inclusive:
        if lo == hi:
            return EQUALS_WORD + format_number(lo)
        return format_number(lo) + RANGE_DASH + format_number(hi)
    return f"{lo_txt}{AND_WORD}{hi_txt}"
