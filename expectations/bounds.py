"""Thin adapter over the project's single comparator rule set (`pipelines.rules.comparators`).

No comparator rule is implemented here: this module asks the shared rules which bounds a target
implies and whether they depend on a per-region reference value (then the suite reads them from
the mart's `required_lower`/`required_upper` columns instead of embedding numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pipelines.rules import comparators
from pipelines.rules.comparators import Bounds


def clean_number(value: Any) -> float | None:
    """A float, or None for blanks/NaN/NA."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class TargetRule:
    """How a target is checked: fixed numeric bounds, or bound columns read per region."""

    comparator: str
    fixed: Bounds | None
    #: For reference-dependent comparators: which bound columns apply and whether inclusive.
    uses_lower_column: bool = False
    lower_inclusive: bool = True
    uses_upper_column: bool = False
    upper_inclusive: bool = True

    @property
    def has_threshold(self) -> bool:
        if self.fixed is not None:
            return self.fixed.is_assessable
        return self.uses_lower_column or self.uses_upper_column

    @property
    def threshold_text(self) -> str | None:
        """``≥ 95`` for fixed bounds (the rules' own wording), None for per-region bounds."""
        return comparators.requirement_text(self.fixed) if self.fixed is not None else None


def target_rule(
    comparator: str,
    direction: str | None,
    target_value: Any,
    target_upper: Any,
    tolerance_pct: Any,
) -> TargetRule:
    """Classify a target using the shared comparator rules.

    Raises:
        ValueError: unknown comparator (from the rules module).
    """
    if comparator in comparators.REFERENCE_COMPARATORS:
        rule = comparators.rule_for(comparator, direction)
        return TargetRule(
            comparator=comparator,
            fixed=None,
            uses_lower_column=rule.lower is not None,
            lower_inclusive=bool(rule.lower and rule.lower.inclusive),
            uses_upper_column=rule.upper is not None,
            upper_inclusive=bool(rule.upper and rule.upper.inclusive),
        )
    bounds = comparators.required_bounds(
        comparator,
        target_value=clean_number(target_value),
        target_upper=clean_number(target_upper),
        tolerance_pct=clean_number(tolerance_pct),
        reference_value=None,
        direction=direction,
    )
    return TargetRule(comparator=comparator, fixed=bounds)
