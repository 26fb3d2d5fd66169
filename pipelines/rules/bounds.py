"""A target's required bounds and the one definition of meeting them (CONTRACTS §1).

:class:`Bounds` is what :func:`pipelines.rules.comparators.required_bounds` makes of a target
row; this module says when a value meets them (:func:`threshold_met`), its signed gap
(:func:`gap`) and the threshold's words (:func:`requirement_text`). Each side's rule is a
:class:`BoundSide` whose methods are evaluated here and rendered to SQL by
:mod:`pipelines.rules.comparator_sql`, so Python and the dbt macros share one definition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "AND_WORD",
    "EQUALS_WORD",
    "LOWER_SIDE",
    "RANGE_DASH",
    "UPPER_SIDE",
    "BoundSide",
    "Bounds",
    "format_number",
    "gap",
    "requirement_text",
    "threshold_met",
]


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
