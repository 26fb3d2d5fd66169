"""The onboarding walkthrough's new plan (docs/onboarding.md): a plan text the seeds do not hold,
with an indicator table and running text, reads to the 16 targets a reader finds in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract.framework import Draft, extract_text
from pipelines.extract.readers import read_document

PLAN = Path(__file__).parent / "fixtures" / "onboarding_example_plan.txt"


@pytest.fixture(scope="module")
def draft() -> Draft:
    return extract_text(read_document(PLAN), PLAN.name, plan_id="nantong_fyp14")


def test_every_target_read_as_written(draft: Draft) -> None:
    got = {
        (r["indicator_code"], r["comparator"], r["target_value"], r["target_upper"], r["scope"])
        for r in draft.targets
    }
    assert got == {
        ("life_expectancy", "ge", "81.5", "", "region"),
        ("infant_mortality_rate", "lt", "3", "", "region"),
        ("maternal_mortality_ratio", "lt", "8", "", "region"),
        ("physicians_per_1000", "ge", "3.4", "", "region"),
        ("nurses_per_1000", "ge", "4", "", "region"),
        ("oop_share_of_health_expenditure", "about", "25", "", "region"),
        ("health_literacy_rate", "ge", "35", "", "region"),
        ("smoking_rate_15plus", "le", "20", "", "region"),
        ("regular_exercise_rate", "ge", "45", "", "region"),
        ("fitness_circle_15min_coverage", "eq", "100", "", "region"),
        ("gynaecological_disease_incidence", "reduce_by_points", "3", "5", "region"),
        ("cervical_cancer_screening_coverage", "eq", "100", "", "region"),
        ("breast_cancer_screening_coverage", "eq", "100", "", "region"),
        # 以镇（街道）为单位 is in the second clause only: the first keeps the whole city
        ("family_doctor_contract_coverage", "ge", "75", "", "region"),
        ("community_mental_rehab_coverage", "ge", "80", "", "each_subregion"),
        ("severe_mental_disorder_management_rate", "ge", "90", "", "region"),
    }
    assert {r["target_year"] for r in draft.targets} == {"2025"}
    assert all(r["source_quote"] in read_document(PLAN) for r in draft.targets)


def test_plan_domains_and_departments(draft: Draft) -> None:
    assert (draft.plan["region_id"], draft.plan["horizon_end"]) == ("nantong", "2025")
    by_code = {r["indicator_code"]: r for r in draft.targets}
    # table rows sit in their 领域 (carried down to the rows that leave it blank)
    domains = {d["domain_id"]: d["domain_zh"] for d in draft.domains}
    assert domains[by_code["infant_mortality_rate"]["domain_id"]] == "健康水平"
    assert domains[by_code["nurses_per_1000"]["domain_id"]] == "健康服务"
    gyn = by_code["gynaecological_disease_incidence"]
    assert (gyn["lead_department"], gyn["co_departments"], gyn["relative_to_year"]) == (
        "市卫生健康委",
        "市妇联",
        "2020",
    )
