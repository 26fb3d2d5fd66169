"""The last gaps of the curated frameworks (issue 19): service circles, named groups, skills per
adolescent, 保持/稳定 statements and the 3—5 percentage-point reduction are typed as the text says,
and every phrase of those classes is accounted for (docs/reference-data.md, "The last gaps")."""

from __future__ import annotations

import copy

import pytest
from seed_tables import Seeds
from wording_checks import (
    WORDING_CHECKS,
    check_hold_statements_not_exact,
    check_phrase_classes_accounted,
)


@pytest.mark.parametrize("check", WORDING_CHECKS, ids=lambda c: c.__name__)
def test_seeds_pass_wording_check(seeds: Seeds, check) -> None:
    problems = check(seeds)
    assert problems == [], "\n".join(problems[:50])


def _target(seeds: Seeds, target_id: str) -> dict[str, str]:
    return next(t for t in seeds.rows("plan_targets") if t["target_id"] == target_id)


@pytest.mark.parametrize(
    ("target_id", "comparator", "value", "baseline"),
    [
        # service circles in running text
        ("anon_district_2018__fitness_circle_15min_coverage__2019", "eq", "100", ""),
        ("anon_district_2018__culture_circle_15min_coverage__2019", "eq", "100", ""),
        ("anon_district_2018__travel_time_main_towns__2019", "le", "60", ""),
        ("changjiang_2030__medical_circle_15min_coverage__2030", "eq", "100", ""),
        ("changjiang_2030__fitness_circle_15min_coverage__2030", "eq", "100", ""),
        # skills per adolescent: a count with 以上
        ("jy_action_2018__youth_sport_skills__2020", "ge", "2", ""),
        ("nantong_2030__youth_sport_skills__2030", "ge", "2", ""),
        ("changjiang_2030__youth_sport_skills__2030", "ge", "1", ""),
        # 保持 / 稳定 without a number: keep the level reached
        ("nantong_2030__national_hygienic_city_coverage__2020", "maintain", "", "100"),
        ("anon_district_2018__drinking_water_source_compliance_rate__2019", "maintain", "", "100"),
        # 稳定在 99% 以上 keeps its number
        ("jy_action_2018__hospital_delivery_rate__2020", "ge", "99", ""),
        # counts with 不少于, staff ratios stated once in the body, scale in 亿元 (→ 万亿元)
        ("nantong_2030__social_sports_instructors_per_10000__2030", "ge", "80", ""),
        ("nantong_2030__public_health_staff_per_10000__2020", "ge", "8.3", ""),
        ("changjiang_2030__health_service_industry_scale__2020", "gt", "0.002", ""),
    ],
)
def test_gap_targets_typed(seeds: Seeds, target_id, comparator, value, baseline) -> None:
    t = _target(seeds, target_id)
    assert (t["comparator"], t["target_value"], t["baseline_value"]) == (
        comparator,
        value,
        baseline,
    )


def test_named_groups_are_separate_targets(seeds: Seeds) -> None:
    """建档立卡的农村贫困人口、残疾人口和计划生育特殊家庭的签约服务全覆盖: one target per group."""
    quote = "建档立卡的农村贫困人口、残疾人口和计划生育特殊家庭的签约服务全覆盖"
    rows = [t for t in seeds.rows("plan_targets") if t["source_quote"] == quote]
    assert sorted(t["indicator_code"] for t in rows) == [
        "contract_coverage_disabled",
        "contract_coverage_fp_families",
        "contract_coverage_poor",
    ]
    assert {(t["comparator"], t["target_value"]) for t in rows} == {("eq", "100")}


def test_points_reduction_is_reduce_by_points(seeds: Seeds) -> None:
    """下降3—5个百分点 (vs 2018) is an absolute fall: met when value ≤ ref − 3, the 5 is the
    aspiration (a larger fall of a lower-is-better rate is no failure; docs/verdicts.md)."""
    t = _target(seeds, "jy_action_2018__gynaecological_disease_incidence__2020")
    assert "3—5个百分点" in t["source_quote"]
    assert (t["comparator"], t["target_value"], t["target_upper"], t["relative_to_year"]) == (
        "reduce_by_points",
        "3",
        "5",
        "2018",
    )


def _without(seeds: Seeds, target_id: str) -> Seeds:
    rows = [t for t in seeds.rows("plan_targets") if t["target_id"] != target_id]
    return seeds.with_rows("plan_targets", rows)


def test_wording_checks_catch_mistakes(seeds: Seeds) -> None:
    """A dropped service circle or skills target, and 保持…全覆盖 typed eq 100, are caught."""
    for dropped, phrase in (
        ("changjiang_2030__medical_circle_15min_coverage__2030", "15分钟基本医疗卫生服务圈"),
        ("nantong_2030__youth_sport_skills__2030", "2 项以上体育运动技能"),
        ("anon_district_2018__travel_time_main_towns__2019", "1小时交通圈"),
    ):
        problems = check_phrase_classes_accounted(_without(seeds, dropped))
        assert any(phrase in p for p in problems), problems
    rows = copy.deepcopy(seeds.rows("plan_targets"))
    for t in rows:
        if t["target_id"] == "nantong_2030__national_hygienic_city_coverage__2020":
            t.update(comparator="eq", target_value="100", baseline_value="")
    problems = check_hold_statements_not_exact(seeds.with_rows("plan_targets", rows))
    assert any("use maintain" in p for p in problems), problems
