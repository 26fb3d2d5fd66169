"""The single definition of target comparators (CONTRACTS §1, "Comparator vocabulary").

A target says what an indicator's value must be; this module turns a target row into the
*required bounds* ``(lower, lower_inclusive, upper, upper_inclusive)`` a value must satisfy, and
defines when a value meets them, its signed gap and a human-readable threshold text.

The rules are written once, as data (:data:`RULES`, built from a tiny expression language), and
evaluated two ways from that same data:

- in Python by :func:`required_bounds` (used by the GX suite builder and the tests);
- in SQL by the dbt macros rendered by :func:`render_dbt_macros` into
  ``dbt_project/macros/generated/comparator_bounds.sql`` (used by ``fct_target_assessment``).

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
            if row["indicator_code"] == "_default" and (row.get("about_tolerance_pct") or "").strip():
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

#: Committed output of :func:`render_dbt_macros`.
MACRO_PATH: Path = DBT_PROJECT_DIR / "macros" / "generated" / "comparator_bounds.sql"

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


_Expr = _Input | _Tolerance | _Scaled

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


def threshold_met(value: float | None, bounds: Bounds) -> bool | None:
    """True iff ``value`` lies within ``bounds``; ``None`` when value or both bounds are missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if not bounds.is_assessable:
        return None
    ok_lower = (
        bounds.lower is None
        or value > bounds.lower
        or (bool(bounds.lower_inclusive) and value == bounds.lower)
    )
    ok_upper = (
        bounds.upper is None
        or value < bounds.upper
        or (bool(bounds.upper_inclusive) and value == bounds.upper)
    )
    return ok_lower and ok_upper


def gap(value: float | None, bounds: Bounds) -> float | None:
    """Signed gap in the good direction, in the indicator's unit.

    ``min(value − lower, upper − value)`` over the bounded sides: ≥ 0 means the value lies within
    the bounds (for a strict bound, exactly 0 means "on the bound", which does *not* meet it);
    negative means how far it falls short. ``None`` if it cannot be judged.
    """
    if value is None or not bounds.is_assessable:
        return None
    parts = []
    if bounds.lower is not None:
        parts.append(value - bounds.lower)
    if bounds.upper is not None:
        parts.append(bounds.upper - value)
    return min(parts)


def format_number(value: float) -> str:
    """Shortest readable form of a threshold number (C ``%g``: 6 significant digits)."""
    return format(value, "g")


def requirement_text(bounds: Bounds) -> str | None:
    """Human-readable threshold: ``≥ 95``, ``< 5``, ``= 100``, ``103–107``, ``> 1 and ≤ 2``."""
    lo, hi = bounds.lower, bounds.upper
    if lo is None and hi is None:
        return None
    lo_txt = None if lo is None else ("≥ " if bounds.lower_inclusive else "> ") + format_number(lo)
    hi_txt = None if hi is None else ("≤ " if bounds.upper_inclusive else "< ") + format_number(hi)
    if lo is None:
        return hi_txt
    if hi is None:
        return lo_txt
    if bounds.lower_inclusive and bounds.upper_inclusive:
        if lo == hi:
            return "= " + format_number(lo)
        return format_number(lo) + "–" + format_number(hi)
    return f"{lo_txt} and {hi_txt}"


# --- SQL rendering -----------------------------------------------------------------------------

_MACRO_PARAMS = "comparator, target_value, target_upper, tolerance_pct, reference_value, direction"


def _ordered_rules() -> list[tuple[str, str | None, Rule]]:
    """Direction-specific rules before each comparator's fallback (SQL ``case`` order)."""
    specific = [(c, d, r) for (c, d), r in RULES.items() if d is not None]
    fallback = [(c, d, r) for (c, d), r in RULES.items() if d is None]
    return specific + fallback


def _case(part: str) -> str:
    """SQL ``case`` expression (jinja placeholders for the inputs) for one bound part."""
    args = {name: "{{ " + name + " }}" for name in INPUTS}
    side_name, attr = part.split("_", 1) if "_" in part else (part, "value")
    lines = ["case"]
    for comparator, direction, rule in _ordered_rules():
        side: Side | None = getattr(rule, side_name)
        cond = f"{{{{ comparator }}}} = '{comparator}'"
        if direction is not None:
            cond += f" and {{{{ direction }}}} = '{direction}'"
        if side is None:
            expr = "null"
        elif attr == "value":
            expr = side.expr.sql(args)
        else:
            flag = "true" if side.inclusive else "false"
            expr = f"case when {side.expr.sql(args)} is null then null else {flag} end"
        lines.append(f"        when {cond} then {expr}")
    lines.append("    end")
    return "\n".join(lines)


def render_dbt_macros() -> str:
    """Text of ``dbt_project/macros/generated/comparator_bounds.sql`` (do not edit that file)."""
    parts = ("lower", "lower_inclusive", "upper", "upper_inclusive")
    bodies = []
    for part in parts:
        bodies.append(
            f"{{%- macro comparator_{part}({_MACRO_PARAMS}) -%}}\n"
            f"    {_case(part)}\n"
            "{%- endmacro %}\n"
        )
    header = (
        "{#- GENERATED by `python -m pipelines.rules.render` from pipelines/rules/comparators.py.\n"
        "    Do not edit: change the rules there and re-render (a test checks this file is current).\n"
        "    Each macro takes SQL expressions and returns one part of the required bounds. -#}\n"
    )
    tolerance = (
        "{%- macro default_about_tolerance_pct() -%}\n"
        f"    {DEFAULT_ABOUT_TOLERANCE_PCT!r}\n"
        "{%- endmacro %}\n"
    )
    met = (
        "{#- true iff value lies within the bounds; null when value or both bounds are null -#}\n"
        "{%- macro threshold_met(value, lower, lower_inclusive, upper, upper_inclusive) -%}\n"
        "    case\n"
        "        when {{ value }} is null or ({{ lower }} is null and {{ upper }} is null) then null\n"
        "        else\n"
        "            ({{ lower }} is null or {{ value }} > {{ lower }}"
        " or ({{ lower_inclusive }} and {{ value }} = {{ lower }}))\n"
        "            and ({{ upper }} is null or {{ value }} < {{ upper }}"
        " or ({{ upper_inclusive }} and {{ value }} = {{ upper }}))\n"
        "    end\n"
        "{%- endmacro %}\n"
    )
    gap_macro = (
        "{#- signed gap in the good direction: min(value - lower, upper - value) -#}\n"
        "{%- macro bounds_gap(value, lower, upper) -%}\n"
        "    case\n"
        "        when {{ value }} is null then null\n"
        "        when {{ lower }} is not null and {{ upper }} is not null\n"
        "            then least({{ value }} - {{ lower }}, {{ upper }} - {{ value }})\n"
        "        when {{ lower }} is not null then {{ value }} - {{ lower }}\n"
        "        when {{ upper }} is not null then {{ upper }} - {{ value }}\n"
        "    end\n"
        "{%- endmacro %}\n"
    )
    text_macro = (
        "{#- threshold text such as '≥ 95', '103–107', '= 100' (numbers as C %g: number_text, macros/cross_engine) -#}\n"
        "{%- macro requirement_text(lower, lower_inclusive, upper, upper_inclusive) -%}\n"
        "    case\n"
        "        when {{ lower }} is null and {{ upper }} is null then null\n"
        "        when {{ upper }} is null\n"
        "            then (case when {{ lower_inclusive }} then '≥ ' else '> ' end)"
        " || {{ number_text(lower) }}\n"
        "        when {{ lower }} is null\n"
        "            then (case when {{ upper_inclusive }} then '≤ ' else '< ' end)"
        " || {{ number_text(upper) }}\n"
        "        when {{ lower_inclusive }} and {{ upper_inclusive }} and {{ lower }} = {{ upper }}\n"
        "            then '= ' || {{ number_text(lower) }}\n"
        "        when {{ lower_inclusive }} and {{ upper_inclusive }}\n"
        "            then {{ number_text(lower) }} || '–' || {{ number_text(upper) }}\n"
        "        else\n"
        "            (case when {{ lower_inclusive }} then '≥ ' else '> ' end)"
        " || {{ number_text(lower) }}\n"
        "            || ' and '\n"
        "            || (case when {{ upper_inclusive }} then '≤ ' else '< ' end)"
        " || {{ number_text(upper) }}\n"
        "    end\n"
        "{%- endmacro %}\n"
    )
    return "\n".join(
        [header, tolerance, *bodies, met, gap_macro, text_macro, *_classification_macros()]
    )


def _in_list(names: frozenset[str] | set[str]) -> str:
    return ", ".join(f"'{n}'" for n in sorted(names))


def _classification_macros() -> list[str]:
    """Macros for which comparators are relative / continuous, which value a reference-based
    comparator is measured against, and the point a target aims at — so no model re-lists them."""
    sets = [
        "{#- true for comparators measured against the value in relative_to_year -#}\n"
        "{%- macro comparator_is_relative(comparator) -%}\n"
        f"    ({{{{ comparator }}}} in ({_in_list(RELATIVE_COMPARATORS)}))\n"
        "{%- endmacro %}\n",
        "{#- true for comparators judged continuously (maintain, improve): never projected -#}\n"
        "{%- macro comparator_is_continuous(comparator) -%}\n"
        f"    ({{{{ comparator }}}} in ({_in_list(CONTINUOUS_COMPARATORS)}))\n"
        "{%- endmacro %}\n",
    ]
    ref_params = sorted(set(REFERENCE_OF.values()))
    ref_lines = ["case"]
    for ref in ref_params:
        comps = {c for c, r in REFERENCE_OF.items() if r == ref}
        ref_lines.append(
            f"        when {{{{ comparator }}}} in ({_in_list(comps)}) then {{{{ {ref} }}}}"
        )
    ref_lines.append("    end")
    reference = (
        "{#- the value a reference-based comparator is measured against (REFERENCE_OF) -#}\n"
        f"{{%- macro comparator_reference_value(comparator, {', '.join(ref_params)}) -%}}\n"
        f"    {chr(10).join(ref_lines)}\n"
        "{%- endmacro %}\n"
    )
    args = {name: "{{ " + name + " }}" for name in (*INPUTS, "baseline_value")}
    point_lines = ["case"]
    for comparator in COMPARATORS:
        expr = TARGET_POINTS[comparator]
        if expr is not None:
            point_lines.append(
                f"        when {{{{ comparator }}}} = '{comparator}' then {expr.sql(args)}"
            )
    point_lines.append("    end")
    point = (
        "{#- the value a target aims at, for PTCA (TARGET_POINTS): never a tolerance bound -#}\n"
        "{%- macro comparator_target_point(comparator, target_value, target_upper, "
        "reference_value, baseline_value) -%}\n"
        f"    {chr(10).join(point_lines)}\n"
        "{%- endmacro %}\n"
    )
    return [*sets, reference, point]


def write_dbt_macros(path: Path = MACRO_PATH) -> Path:
    """Render :func:`render_dbt_macros` to ``path`` (default: the committed macro file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_dbt_macros(), encoding="utf-8")
    return path
