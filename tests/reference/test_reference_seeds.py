"""The reference seeds are internally consistent and traceable to the plan documents."""

from __future__ import annotations

import re

import pytest
from reference_checks import ALL_CHECKS, resolve

from pipelines.reference import load_reference


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_seeds_pass_check(seeds, check) -> None:
    problems = check(seeds)
    assert problems == [], "\n".join(problems[:50])


def test_ingestion_loader_accepts_the_seeds() -> None:
    """The real loader (which refuses ambiguous aliases) builds its lookups from these seeds."""
    ref = load_reference()
    assert ref.indicator_lookup.height > 0
    assert ref.region_lookup.height > 0


@pytest.mark.parametrize(
    ("label", "code"),
    [
        # spellings the issue names explicitly
        ("人均预期寿命", "life_expectancy"),
        ("人均期望寿命", "life_expectancy"),
        ("居民平均期望寿命", "life_expectancy"),
        ("人均预期寿命（岁）", "life_expectancy"),
        ("每千常住人口执业（助理）医师数", "physicians_per_1000"),
        ("每千常驻人口执业（助理）医师数", "physicians_per_1000"),
        ("毎千人口执业（助理）医师", "physicians_per_1000"),
        ("每千常住人口执业(助理)医师数", "physicians_per_1000"),
        ("毎千人口床位数", "beds_per_1000"),
        ("毎万人口全科医生数", "gps_per_10000"),
        ("城乡居民达到《国民体质测定标准》合格以上的人数比例", "physical_fitness_pass_rate"),
        ("城乡居民达到国民体质测定标准合格以上的人数比例", "physical_fitness_pass_rate"),
        ("个人卫生支出占卫生总费用的比重", "oop_share_of_health_expenditure"),
        ("个人卫生支出占卫生总费用比重", "oop_share_of_health_expenditure"),
        ("Life Expectancy", "life_expectancy"),
        ("INFANT_MORTALITY_RATE", "infant_mortality_rate"),
    ],
)
def test_indicator_spellings_resolve(seeds, label: str, code: str) -> None:
    assert resolve(seeds, label) == code


@pytest.mark.parametrize(
    ("label", "region"),
    [
        ("chn", "china"),
        ("CHN", "china"),
        ("China", "china"),
        ("中国", "china"),
        ("全国", "china"),
        ("江阴市", "jiangyin"),
        ("江阴", "jiangyin"),
        ("Jiangyin", "jiangyin"),
        ("320281", "jiangyin"),
        ("南通市", "nantong"),
        ("320600", "nantong"),
        ("昌江区", "changjiang"),
        ("360202", "changjiang"),
        ("**区", "anon_district"),
    ],
)
def test_region_spellings_resolve(seeds, label: str, region: str) -> None:
    assert resolve(seeds, label, kind="region") == region


def test_redacted_district_is_not_guessed(seeds) -> None:
    """The redacted district keeps a placeholder: no name, no code, no parent is invented."""
    anon = next(r for r in seeds.rows("regions") if r["region_id"] == "anon_district")
    assert anon["is_redacted"] == "true"
    assert "**" in anon["name_zh"]
    assert anon["admin_code"] == "" and anon["parent_region_id"] == ""
    others = [r for r in seeds.rows("regions") if r["region_id"] != "anon_district"]
    assert all(r["is_redacted"] == "false" for r in others)


def test_every_plan_is_listed_and_its_source_exists(seeds) -> None:
    plans = {p["plan_id"]: p for p in seeds.rows("plans")}
    assert set(plans) == {
        "jy_fyp14",
        "jy_action_2018",
        "anon_district_2018",
        "nantong_2030",
        "changjiang_2030",
        "china_2030",
    }
    for p in plans.values():
        assert p["source_file"] == "national_outline_2016" or p["source_file"] in seeds.texts


def test_complete_plans_have_targets_in_every_target_year(seeds) -> None:
    """A plan marked complete has targets, and each of them falls in a year the plan names."""
    targets = seeds.rows("plan_targets")
    for p in seeds.rows("plans"):
        if p["framework_status"] != "complete":
            continue
        years = {t["target_year"] for t in targets if t["plan_id"] == p["plan_id"]}
        assert years, f"{p['plan_id']} is marked complete but has no targets"
        assert p["horizon_end"] in years, f"{p['plan_id']} has no target for {p['horizon_end']}"


def test_each_subregion_targets_come_from_the_text(seeds) -> None:
    """以镇（街道）为单位 always means every town/street must meet the target; a target applies
    to every subregion only when its quote says so (以…为单位, 每个…, 各…)."""
    for t in seeds.rows("plan_targets"):
        quote = t["source_quote"]
        per_unit = re.search(r"以[乡镇街道县市区（）()、]{1,10}为单位", quote) is not None
        per_each = per_unit or re.search(r"每个|各[乡镇县村]", quote) is not None
        if per_unit:
            assert t["scope"] == "each_subregion", t["target_id"]
        if t["scope"] == "each_subregion":
            assert per_each, f"{t['target_id']}: each_subregion but the quote names no unit"
