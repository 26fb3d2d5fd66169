"""Which story each sample series tells: the groups (plan region × indicator), their scenarios.

The steering overrides (:data:`STEERING`, one line of reason each) are chosen so every
assessment status occurs on a plausible story (docs/sample-data.md); every other group gets
:func:`pipelines.generate.series.default_scenario`. The demography and fallback paths feed the
counts model (:mod:`pipelines.generate.sample_counts`).
"""

from __future__ import annotations

from pipelines.generate import series
from pipelines.generate.sample_seeds import ResolvedFigure, Seeds

#: The seed of every illustrative series (the sample is a pure function of the seeds and it).
SEED = 20260101
#: Regions with illustrative series (the five local plans; 健康中国2030 uses real data only).
PLAN_REGIONS = ("jiangyin", "nantong", "changjiang", "anon_district")
#: Count measure → (the per-population indicator it feeds, per how many people).
COUNT_MEASURES_PER_POP = {
    "physicians": ("physicians_per_1000", 1000),
    "nurses": ("nurses_per_1000", 1000),
    "beds": ("beds_per_1000", 1000),
    "gps": ("gps_per_10000", 10000),
    "public_health_staff": ("public_health_staff_per_10000", 10000),
}
#: Indicators the warehouse computes from the counts; their series must be dense.
COUNT_DRIVEN = (
    "life_expectancy",
    "infant_mortality_rate",
    "under5_mortality_rate",
    "maternal_mortality_ratio",
    "neonatal_mortality_rate",
    "premature_ncd_mortality",
    *(code for code, _ in COUNT_MEASURES_PER_POP.values()),
)

#: Steering overrides: (region_id, indicator_code) -> (scenario, why). Every other group gets
#: series.default_scenario. Chosen so each assessment status occurs on a plausible story.
STEERING: dict[tuple[str, str], tuple[str, str]] = {
    ("jiangyin", "life_expectancy"): ("meet", "82.40 in 2020, +0.15 a year reaches 83 by 2025"),
    ("jiangyin", "smoking_rate_15plus"): ("miss", "21.86 % in 2020 and stuck above the <21 % aim"),
    ("jiangyin", "elderly_health_management_rate"): ("miss", "72 % in 2020, short of ≥73 %"),
    ("jiangyin", "crd_mortality_70_under"): (
        "baseline",
        "only the 2020 figure (4.69) exists: stale_data for the 2025 target",
    ),
    ("jiangyin", "cancer_5yr_survival_rate"): ("baseline", "survival is measured rarely"),
    ("jiangyin", "hypertension_standardized_management_rate"): ("single", "one survey, 2023"),
    ("jiangyin", "geriatric_hospitals"): ("none", "no statistics published yet"),
    ("anon_district", "pm25_concentration"): ("miss", "PM2.5 above 48.5 µg/m³ in 2019"),
    ("anon_district", "elderly_care_beds"): ("none", "no statistics published yet"),
    ("nantong", "life_expectancy"): ("on_track", "81.86 (2017) rising towards ≥83 by 2030"),
    ("nantong", "health_literacy_rate"): ("meet", "22.8 % (2017) already past ≥30 % (2030)"),
    ("nantong", "premature_ncd_mortality"): ("miss", "10.4 % (2017), flat: off track for ≤10 %"),
    ("nantong", "regular_exercise_rate"): ("on_track", "37 % (2017) rising towards ≥45 %"),
    ("nantong", "physicians_per_1000"): ("meet", "2.57 (2017) reaching ≥3.5 before 2030"),
    ("nantong", "air_quality_good_days_ratio"): ("sparse", "two recent reports, still below ≥73.7"),
    ("nantong", "rural_sanitary_toilet_coverage"): ("single", "one survey since 2017: no trend"),
    ("changjiang", "life_expectancy"): ("on_track", "rising towards 79 by 2030"),
    ("changjiang", "infant_mortality_rate"): ("meet", "4.24 ‰ (2018) well below ≤5.0"),
    ("changjiang", "health_service_industry_scale"): ("none", "no statistics published yet"),
}

#: Demography per plan region: (anchor year, mid-year population, live births, annual growth of
#: population, annual change of births). Jiangyin and Changjiang population are the plans' own.
DEMOGRAPHY = {
    "jiangyin": (2020, 1_779_500, 13_230, 0.004, -0.03),
    "nantong": (2017, 7_310_000, 52_000, -0.001, -0.04),
    "changjiang": (2018, 164_700, 1_899, 0.005, -0.02),
    "anon_district": (2018, 1_100_000, 11_000, 0.02, -0.03),
}
#: Fallback paths (anchor year value, change per year) for regions without such a series.
FALLBACK = {
    "life_expectancy": (80.5, 0.2),
    "infant_mortality_rate": (3.0, -0.05),
    "under5_mortality_rate": (4.2, -0.07),
    "maternal_mortality_ratio": (9.0, -0.2),
    "neonatal_mortality_rate": (1.6, -0.03),
    "premature_ncd_mortality": (11.0, -0.15),
    "physicians_per_1000": (2.6, 0.1),
    "nurses_per_1000": (2.9, 0.15),
    "beds_per_1000": (5.2, 0.1),
    "gps_per_10000": (3.0, 0.15),
    "public_health_staff_per_10000": (1.0, 0.05),
}


def build_groups(seeds: Seeds, resolved: list[ResolvedFigure]) -> list[series.Group]:
    """One group per plan region × indicator with a target, with its anchors and scenario."""
    anchors: dict[tuple[str, str], dict[int, float]] = {}
    for r in resolved:
        anchors.setdefault((r.figure.region_id, r.code), {})[r.figure.year] = r.canonical_value
    typical: dict[str, float] = {}
    for t in seeds.targets:
        if t.baseline_value is not None:
            typical.setdefault(t.indicator_code, t.baseline_value)
    groups = []
    for (region, code), targets in sorted(_targets_by_group(seeds).items()):
        info = seeds.indicators[code]
        if info.unit not in seeds.units:
            continue  # the seeds lack this canonical unit: rows could not be converted
        group = series.Group(region, info, targets, anchors.get((region, code), {}))
        # a realistic level for series no figure pins: the count model's fallback, else a
        # baseline some plan prints for the indicator
        group.typical = FALLBACK[code][0] if code in FALLBACK else typical.get(code)
        group.scenario = _scenario(group)
        groups.append(group)
    return groups


def _targets_by_group(seeds: Seeds) -> dict[tuple[str, str], list[series.Target]]:
    """(region, indicator) → its targets, for every plan region and count-driven indicator."""
    by_key: dict[tuple[str, str], list[series.Target]] = {}
    for t in seeds.targets:
        if t.region_id in PLAN_REGIONS:
            by_key.setdefault((t.region_id, t.indicator_code), []).append(t)
    # counts feed the computed indicators in every plan region, with or without a target
    for region in PLAN_REGIONS:
        for code in COUNT_DRIVEN:
            if code in seeds.indicators:
                by_key.setdefault((region, code), [])
    return by_key


def _scenario(group: series.Group) -> str:
    """The STEERING override of the group, else the default spread; dense for count-driven."""
    region, code = group.region_id, group.indicator.code
    scenario = STEERING.get((region, code), (None, ""))[0]
    if scenario is None:
        future = any(t.target_year > series.CURRENT_YEAR for t in group.targets)
        met = _already_met(group, series.primary_target(group.targets))
        scenario = series.default_scenario(region, code, future, met)
    if code in COUNT_DRIVEN and scenario in ("baseline", "single", "sparse", "none"):
        scenario = "meet"  # counts make these dense anyway
    return scenario


def _already_met(group: series.Group, target: series.Target | None) -> bool:
    if not group.anchors or target is None or target.target_value is None:
        return False
    if target.comparator not in ("ge", "gt", "le", "lt"):
        return False
    last = group.anchors[max(group.anchors)]
    sign = -1 if group.indicator.direction == "lower_is_better" else 1
    return sign * (last - target.target_value) > 0.05 * abs(target.target_value)


def full_path(group: series.Group, seed: int = SEED) -> dict[int, float]:
    """Anchors plus illustrative values: the whole series a region shows for the indicator.

    A group without a target (an indicator only computed from counts there) follows the
    FALLBACK slope through its anchor, or the FALLBACK level when the plan prints nothing.
    """
    if not group.targets:
        code, region = group.indicator.code, group.region_id
        base, step = FALLBACK.get(code, (0.0, 0.0))
        if group.anchors:
            year0 = max(group.anchors)
            base = group.anchors[year0]
        else:
            year0 = DEMOGRAPHY[region][0]
        path = {y: round(base + step * (y - year0), 2) for y in series.YEARS}
        return {**path, **group.anchors}
    return {**series.build_series(group, seed), **group.anchors}
