"""Checks that a target's comparator, value and direction agree with its quote and indicator.

Each check takes the loaded seeds and returns a list of human-readable problems (empty = fine);
:data:`reference_checks.ALL_CHECKS` runs them with the other reference checks.
"""

from __future__ import annotations

import re

from seed_tables import Seeds, number

#: Comparators whose target_value is an absolute threshold in the indicator's unit.
ABSOLUTE = frozenset({"ge", "gt", "le", "lt", "about", "range", "eq"})
#: Comparators that need target_value.
NEEDS_VALUE = ABSOLUTE | {"reduce_by_pct", "increase_by_pct", "reduce_by_points"}


def _value_problems(t: dict[str, str]) -> list[str]:
    """What is wrong with a target's target_value, target_upper and tolerance_pct."""
    tid, comp = t["target_id"], t["comparator"]
    value, upper, tol = (
        number(t["target_value"]),
        number(t["target_upper"]),
        number(t["tolerance_pct"]),
    )
    problems = []
    if comp in NEEDS_VALUE and value is None:
        problems.append(f"{tid}: {comp} needs target_value")
    if comp not in NEEDS_VALUE and value is not None:
        problems.append(f"{tid}: {comp} takes no target_value (got {value})")
    if comp == "range":
        if upper is None or value is None or not upper > value:
            problems.append(f"{tid}: range needs target_upper > target_value")
    elif comp == "reduce_by_points":  # 下降3—5个百分点: 3, aspiration 5 (optional)
        if value is None or value <= 0 or (upper is not None and not upper > value):
            problems.append(f"{tid}: reduce_by_points needs points > 0 and upper > points")
    elif upper is not None:
        problems.append(f"{tid}: target_upper is only for range and reduce_by_points")
    if comp == "about" and not (tol and tol > 0):
        problems.append(f"{tid}: about needs a positive tolerance_pct")
    if comp not in ("about", "maintain") and tol is not None:
        problems.append(f"{tid}: tolerance_pct is only for about/maintain")
    return problems


def _year_problems(t: dict[str, str]) -> list[str]:
    """What is wrong with a target's relative_to_year, baseline and relative percentage."""
    tid, comp = t["target_id"], t["comparator"]
    value, year, rel = number(t["target_value"]), int(t["target_year"]), t["relative_to_year"]
    problems = []
    if comp in ("reduce_by_pct", "increase_by_pct", "reduce_by_points"):
        if not rel or int(rel) >= year:
            problems.append(f"{tid}: {comp} needs relative_to_year before {year}")
        # a negative percentage caps a change the other way (上升幅度控制在5%以内 →
        # reduce_by_pct −5: value ≤ ref·1.05); check_relative_change_wording only allows it
        # when the quote says so. Zero or ±100 % and beyond make no sense.
        if (
            comp != "reduce_by_points"
            and value is not None
            and not (-100 < value < 100 and value != 0)
        ):
            problems.append(f"{tid}: {comp} percentage {value} outside (-100, 100) or zero")
    elif rel:
        problems.append(f"{tid}: relative_to_year is only for relative comparators")
    if comp == "maintain" and not t["baseline_year"]:
        problems.append(f"{tid}: maintain needs baseline_year (its reference)")
    if t["baseline_value"] and not t["baseline_year"]:
        problems.append(f"{tid}: baseline_value without baseline_year")
    if t["baseline_year"] and int(t["baseline_year"]) >= year:
        problems.append(f"{tid}: baseline_year {t['baseline_year']} not before {year}")
    return problems


def check_comparator_fields(seeds: Seeds) -> list[str]:
    """Each comparator carries exactly the fields it needs (CONTRACTS.md §1 vocabulary)."""
    problems = []
    for t in seeds.rows("plan_targets"):
        problems += _value_problems(t) + _year_problems(t)
    return problems


def check_direction_consistency(seeds: Seeds) -> list[str]:
    """Comparators agree with the indicator's direction, and values are plausible.

    A plan may set a target below its baseline (keep ≥ 95 % when 100 % is reached), so the
    baseline-vs-target order is not a rule; what must hold is that a ≥ target is never set on
    an indicator where lower is better (and vice versa), relative reductions only apply to
    lower-is-better indicators, and every absolute number lies in the indicator's plausible
    range (a percent in 0–100, a ‰ rate ≤ 1000 …).
    """
    ind = {i["indicator_code"]: i for i in seeds.rows("indicators")}
    wrong_side = {
        "ge": "lower_is_better",
        "gt": "lower_is_better",
        "le": "higher_is_better",
        "lt": "higher_is_better",
        "reduce_by_pct": "higher_is_better",
        "increase_by_pct": "lower_is_better",
        "reduce_by_points": "higher_is_better",
    }
    problems = []
    for t in seeds.rows("plan_targets"):
        i = ind.get(t["indicator_code"])
        if i is None:
            continue
        tid, comp, direction = t["target_id"], t["comparator"], i["direction"]
        if wrong_side.get(comp) == direction:
            problems.append(f"{tid}: {comp} target on a {direction} indicator")
        if comp in ("reduce_by_pct", "increase_by_pct", "reduce_by_points") and (
            direction == "target_range"
        ):
            problems.append(f"{tid}: {comp} on a target_range indicator")
        lo, hi = float(i["plausible_min"]), float(i["plausible_max"])
        value = number(t["target_value"])
        # 全覆盖 (eq 100) is the best end of a higher-is-better share, 消除 (eq 0) of a
        # lower-is-better count: an eq target at the worst end means the direction is wrong.
        if comp == "eq" and value is not None:
            worst = {"higher_is_better": lo, "lower_is_better": hi}.get(direction)
            if value == worst:
                problems.append(f"{tid}: eq {value} is the worst end of a {direction} indicator")
        cols = ["baseline_value"] + (["target_value", "target_upper"] if comp in ABSOLUTE else [])
        for col in cols:
            v = number(t[col])
            if v is not None and not lo <= v <= hi:
                problems.append(
                    f"{tid}: {col} {v} outside plausible [{lo}, {hi}] of {i['indicator_code']}"
                )
    return problems


#: Verbs that state the direction of the change from the baseline ("增加到0.58人以上").
UP_VERBS = ("增加到", "提高到", "提升到", "上升到")
DOWN_VERBS = ("降低到", "下降到", "减少到", "降至")


def check_change_verbs(seeds: Seeds) -> list[str]:
    """When the quote says the value rises (增加到…) or falls (降低到…) to the target and the
    baseline is known, the target lies on that side of the baseline."""
    problems = []
    for t in seeds.rows("plan_targets"):
        value, base = number(t["target_value"]), number(t["baseline_value"])
        if value is None or base is None or t["comparator"] not in ABSOLUTE:
            continue
        quote = t["source_quote"]
        if any(v in quote for v in UP_VERBS) and not value > base:
            problems.append(
                f"{t['target_id']}: quote says it rises, target {value} <= baseline {base}"
            )
        if any(v in quote for v in DOWN_VERBS) and not value < base:
            problems.append(
                f"{t['target_id']}: quote says it falls, target {value} >= baseline {base}"
            )
    return problems


#: Words of a relative change (rise / fall) and of a cap on it (以内: "within").
RISE_WORDS = ("上升", "提高", "增长", "增加", "提升")
FALL_WORDS = ("降低", "下降", "减少")
CAP_WORDS = ("以内", "控制在", "不超过")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")


def check_relative_change_wording(seeds: Seeds) -> list[str]:
    """reduce/increase_by_pct agree with the quote's wording.

    The sign of ``target_value`` is the direction the value must move: reduce_by_pct p > 0 is
    a fall of at least p % (降低/下降/减少 p%); reduce_by_pct p < 0 is a rise capped at |p| %
    (上升幅度控制在5%以内 → −5: value ≤ ref·1.05), and symmetrically for increase_by_pct. So a
    negative p needs a quote that names the opposite change *and* a cap (以内/控制在/不超过), a
    positive p must not be quoted from a sentence that only names the opposite change, and the
    quoted percentage must be |p|. A quote without a change word (a table row label whose cell
    is in ``note``) is left to the table checks.
    """
    problems = []
    for t in seeds.rows("plan_targets"):
        comp, value = t["comparator"], number(t["target_value"])
        if comp not in ("reduce_by_pct", "increase_by_pct") or value is None:
            continue
        quote, tid = t["source_quote"], t["target_id"]
        wanted, opposite = (
            (FALL_WORDS, RISE_WORDS) if comp == "reduce_by_pct" else (RISE_WORDS, FALL_WORDS)
        )
        says_wanted = any(w in quote for w in wanted)
        says_opposite = any(w in quote for w in opposite)
        if not (says_wanted or says_opposite):
            continue
        if value < 0 and not (says_opposite and any(w in quote for w in CAP_WORDS)):
            problems.append(
                f"{tid}: {comp} {value} but the quote {quote!r} caps no opposite change"
            )
        if value > 0 and says_opposite and not says_wanted:
            problems.append(
                f"{tid}: {comp} {value} but the quote {quote!r} names the opposite change"
            )
        if abs(value) not in {float(m) for m in PERCENT.findall(quote)}:
            problems.append(
                f"{tid}: {comp} {value} but the quote {quote!r} states no {abs(value)}%"
            )
    return problems
