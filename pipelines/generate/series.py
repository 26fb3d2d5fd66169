"""Illustrative annual series per plan region and indicator, steered to a chosen outcome.

Model (deterministic; one generator per region × indicator seeded from ``seed`` and a CRC of the
pair): a piecewise-linear trend through every *anchor* (the plans' own figures — official values
from :mod:`pipelines.generate.reported` and the baselines printed in ``plan_targets``), extended
to the current year towards an end value chosen by the group's *scenario*, plus Gaussian noise
(sd = a fifth of the steering margin, zero at anchor years), clipped to the indicator's
plausible range. Anchor years are not written again (their official row already exists).

Scenarios, judged against the group's *primary* target (its furthest numeric target):

=============  ==========================================================================
``meet``       clears the threshold by a margin by the target year (past target → met;
               future target → already met now, i.e. met early)
``on_track``   not yet met now, but the trend through the anchor reaches the threshold
               with a margin by the target year (future targets only; else ``meet``)
``miss``       stays on the wrong side (past → not met; future → trend short: off track)
``baseline``   nothing but the baseline point (official anchor, else one illustrative point)
``single``     one illustrative point in a non-baseline year, nothing else
``sparse``     two recent points short of the threshold: too few to project a trend
``none``       no observation at all (no data)
=============  ==========================================================================

The margin is 4 % of the threshold (at least 0.05 of a unit): far enough that comparator
inclusivity, tolerance (左右) or Poisson noise of the counts cannot flip an outcome.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

FIRST_YEAR = 2015
CURRENT_YEAR = 2026
YEARS = tuple(range(FIRST_YEAR, CURRENT_YEAR + 1))
SCENARIOS = ("meet", "on_track", "miss", "baseline", "single", "sparse", "none")
NUMERIC = ("ge", "gt", "le", "lt", "eq", "about", "range", "reduce_by_pct", "increase_by_pct")


@dataclass(frozen=True)
class Target:
    """The columns of a ``plan_targets`` row the generator steers by."""

    target_id: str
    indicator_code: str
    region_id: str
    target_year: int
    comparator: str
    target_value: float | None = None
    target_upper: float | None = None
    relative_to_year: int | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None


@dataclass(frozen=True)
class IndicatorInfo:
    """The columns of an ``indicators`` row the generator needs."""

    code: str
    unit: str
    direction: str
    value_type: str
    plausible_min: float
    plausible_max: float


@dataclass
class Group:
    """One region × indicator: its targets, anchors (year → official value) and scenario."""

    region_id: str
    indicator: IndicatorInfo
    targets: list[Target]
    anchors: dict[int, float] = field(default_factory=dict)
    scenario: str = "meet"
    typical: float | None = None


def default_scenario(
    region_id: str, code: str, has_future_target: bool, already_met: bool = False
) -> str:
    """Deterministic spread of outcomes when no steering override names the group.

    A group whose latest official figure already clears its threshold keeps meeting it (a
    plausible story); the others are spread by a CRC of the pair: 45 % meet, 30 % miss and
    25 % on track (meet when the target year has passed).
    """
    if already_met:
        return "meet"
    bucket = zlib.crc32(f"{region_id}|{code}".encode()) % 20
    if bucket < 9:
        return "meet"
    if bucket < 15:
        return "miss"
    return "on_track" if has_future_target else "meet"


def _sign(direction: str) -> int:
    return -1 if direction == "lower_is_better" else 1


def primary_target(targets: list[Target]) -> Target | None:
    """The furthest target with a numeric threshold (else the furthest target of any kind)."""
    numeric = [t for t in targets if t.comparator in NUMERIC and t.target_value is not None]
    pool = numeric or targets
    return max(pool, key=lambda t: (t.target_year, t.target_id)) if pool else None


def _margin(goal: float, ref: float, info: IndicatorInfo) -> float:
    """How far clear of the threshold a steered value lands (a quarter of the change asked)."""
    m = max(0.25 * abs(goal - ref), 0.005 * abs(goal), 0.05)
    return max(m, 1.0) if info.value_type == "count" else m


def _value_at(anchors: dict[int, float], year: int, default: float) -> float:
    return anchors.get(year, default)


def _goal(target: Target, group: Group, start: float) -> float | None:
    """The threshold the primary target sets, in the indicator's canonical unit."""
    comp, value = target.comparator, target.target_value
    if comp in ("ge", "gt", "le", "lt", "eq", "about") and value is not None:
        return value
    if comp == "range" and value is not None:
        upper = target.target_upper if target.target_upper is not None else value
        return (value + upper) / 2
    if comp in ("reduce_by_pct", "increase_by_pct") and value is not None:
        ref_year = target.relative_to_year or FIRST_YEAR
        ref = _value_at(group.anchors, ref_year, start)
        return ref * (1 - value / 100) if comp == "reduce_by_pct" else ref * (1 + value / 100)
    if comp == "maintain":
        if target.baseline_value is not None:
            return target.baseline_value
        if target.baseline_year is not None:
            return _value_at(group.anchors, target.baseline_year, start)
        return start
    return None


def _clip(values: np.ndarray, info: IndicatorInfo) -> np.ndarray:
    return np.clip(values, info.plausible_min, info.plausible_max)


def _start_level(group: Group, target: Target | None, sign: int) -> float:
    """A level for the first year when no anchor pins the series."""
    if group.anchors:
        return group.anchors[min(group.anchors)]
    base = group.typical
    if target is not None and target.comparator in ("ge", "gt", "le", "lt", "eq", "about"):
        base = target.target_value
    if target is not None and target.comparator == "range":
        base = ((target.target_value or 0) + (target.target_upper or target.target_value or 0)) / 2
    if base is None:
        base = (group.indicator.plausible_min + group.indicator.plausible_max) / 2
    # start on the wrong side of the threshold, as plans set targets they still have to reach
    # levels (life expectancy, days) move slowly; shares and rates start 12 % short
    level = base * (1 - (0.03 if group.indicator.value_type == "level" else 0.12) * sign)
    if group.indicator.value_type == "count":
        level -= 2 * sign
    return float(_clip(np.array([level]), group.indicator)[0])


def _end_value(group: Group, target: Target, goal: float, start: float) -> tuple[float, bool]:
    """(value in CURRENT_YEAR, exact) for the scenario; exact = write without noise."""
    info = group.indicator
    sign = _sign(info.direction)
    last_year = max(group.anchors) if group.anchors else FIRST_YEAR
    last = group.anchors.get(last_year, start)
    m = _margin(goal, last, info)
    future = target.target_year > CURRENT_YEAR
    scenario = group.scenario
    if target.comparator == "range":
        # a range has a goal only when its lower bound is set
        low = target.target_value if target.target_value is not None else goal
        high = target.target_upper or low
        return ((low + high) / 2, False) if scenario != "miss" else (high + (high - low) + m, False)
    if target.comparator == "eq":
        if scenario == "miss":
            return goal - sign * 3 * m, False
        return goal, True
    if scenario == "on_track" and future and sign * (last - goal) < 0:
        aim = goal + sign * m
        span = target.target_year - last_year
        return last + (aim - last) * (CURRENT_YEAR - last_year) / span, False
    if scenario == "miss":
        if future and sign * (last - goal) < 0:
            aim = goal - sign * 2 * m  # trend falls short of the threshold
            span = target.target_year - last_year
            return last + (aim - last) * (CURRENT_YEAR - last_year) / span, False
        return goal - sign * 2 * m, False
    if sign * (last - goal) > m:
        # already comfortably better than the threshold: keep improving by 1 % a year
        return last * (1 + 0.01 * sign) ** (CURRENT_YEAR - last_year), False
    return goal + sign * 1.5 * m, False


def build_series(group: Group, seed: int) -> dict[int, float]:
    """Year → illustrative value for the group (anchor years excluded; may be empty)."""
    info = group.indicator
    target = primary_target(group.targets)
    sign = _sign(info.direction)
    rng = np.random.default_rng([seed, zlib.crc32(f"{group.region_id}|{info.code}".encode())])
    start = _start_level(group, target, sign)
    short = _short_series(group, target, start, sign)
    if short is not None:
        return short
    points, m, exact_after = _steered_points(group, target, start, sign)
    values = _through_points(points) + rng.normal(0.0, 0.2 * m, len(YEARS))
    out: dict[int, float] = {}
    for year, value in zip(YEARS, values, strict=True):
        if year in group.anchors:
            continue
        if exact_after is not None and year >= exact_after:
            value = points[CURRENT_YEAR]
        out[year] = _round(float(_clip(np.array([value]), info)[0]), info)
    return out


def _short_series(
    group: Group, target: Target | None, start: float, sign: int
) -> dict[int, float] | None:
    """The few points of the ``none``/``baseline``/``single``/``sparse`` scenarios (else None)."""
    info = group.indicator
    if group.scenario == "none":
        return {}
    if group.scenario == "baseline":
        if group.anchors:
            return {}
        year = next((t.baseline_year for t in group.targets if t.baseline_year), FIRST_YEAR)
        return {year: _round(start, info)}
    if group.scenario == "single":
        year = CURRENT_YEAR - 3
        goal = _goal(target, group, start) if target else None
        level = start if goal is None else goal - sign * 1.5 * _margin(goal, start, info)
        return {} if year in group.anchors else {year: _round(level, info)}
    if group.scenario == "sparse":
        goal = _goal(target, group, start) if target else None
        level = start if goal is None else goal - sign * 2 * _margin(goal, start, info)
        return {y: _round(level + 0.1 * (y - CURRENT_YEAR), info) for y in (2024, 2025)}
    return None


def _steered_points(
    group: Group, target: Target | None, start: float, sign: int
) -> tuple[dict[int, float], float, int | None]:
    """(year → value the trend passes through, noise margin, first year written exactly)."""
    goal = _goal(target, group, start) if target else None
    points = dict(group.anchors)
    if goal is None:
        # improve / none / maintain without a reference: a steady trend (worsening for "miss")
        step = 0.004 * abs(start) * sign * (-1 if group.scenario == "miss" else 1)
        last_year = max(points) if points else FIRST_YEAR
        last = points.get(last_year, start)
        points.setdefault(FIRST_YEAR, start)
        points[CURRENT_YEAR] = last + step * (CURRENT_YEAR - last_year)
        return points, abs(step) or 0.05, None
    assert target is not None  # a goal only comes from a target
    if not points:
        points[FIRST_YEAR] = start
    end, exact = _end_value(group, target, goal, start)
    m = _margin(goal, points[max(points)], group.indicator)
    if target.target_year <= CURRENT_YEAR and target.target_year not in points:
        # a past target: be on the scenario's side already in the target year
        points[target.target_year] = end
    points[CURRENT_YEAR] = end
    return points, m, min(target.target_year, CURRENT_YEAR) if exact else None


def _through_points(points: dict[int, float]) -> np.ndarray:
    """A value for every year of YEARS, piecewise linear through ``points``."""
    years = np.array(YEARS, dtype=float)
    xs = np.array(sorted(points), dtype=float)
    ys = np.array([points[int(x)] for x in xs])
    if len(xs) == 1:
        return np.full(len(years), ys[0])
    values = np.interp(years, xs, ys)
    # before the first anchor: extend the first segment's slope backwards
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    before = years < xs[0]
    back = ys[0] + slope * (years[before] - xs[0])
    # a steep recent trend must not extrapolate the past to nothing (or to double)
    values[before] = np.clip(back, min(0.5 * ys[0], 1.5 * ys[0]), max(0.5 * ys[0], 1.5 * ys[0]))
    return values


def _round(value: float, info: IndicatorInfo) -> float:
    if info.value_type == "count":
        return float(round(value))
    return round(value, 2)
