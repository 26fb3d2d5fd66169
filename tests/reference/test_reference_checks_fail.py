"""Every reference check catches the mistake it exists for (checks run on broken copies)."""

from __future__ import annotations

import copy

import pytest
from reference_checks import (
    check_aliases,
    check_distinct_concepts,
    check_headers,
    check_references,
    check_region_sources,
    check_source_quotes,
    check_table_labels,
    check_unique_keys,
    check_units,
    check_years,
)
from seed_tables import Seeds
from target_checks import (
    check_change_verbs,
    check_comparator_fields,
    check_direction_consistency,
    check_relative_change_wording,
)


def _target(seeds: Seeds, target_id: str) -> dict[str, str]:
    return next(t for t in seeds.rows("plan_targets") if t["target_id"] == target_id)


def _broken(seeds: Seeds, target_id: str, changes: dict[str, str]) -> Seeds:
    rows = copy.deepcopy(seeds.rows("plan_targets"))
    for t in rows:
        if t["target_id"] == target_id:
            t.update(changes)
    return seeds.with_rows("plan_targets", rows)


LE = "jy_fyp14__life_expectancy__2025"  # ge 83, higher_is_better, baseline 82.40 in 2020
SRB = "jy_fyp14__sex_ratio_at_birth__2025"  # range 103–107
SALT = "jy_fyp14__salt_intake_per_capita__2025__2"  # reduce_by_pct 15 vs 2020


@pytest.mark.parametrize(
    ("target_id", "changes", "check", "fragment"),
    [
        # a quote that is not verbatim (毎 silently "fixed" to 每)
        (
            "jy_fyp14__beds_per_1000__2025",
            {"source_quote": "每千人口床位数"},
            check_source_quotes,
            "not verbatim",
        ),
        # a tab-separated table line re-spaced (Nantong) and a national cell "79.0" tidied
        (
            "nantong_2030__life_expectancy__2020",
            {"source_quote": "人均预期寿命（岁） 81.86 ≥82 ≥83"},
            check_source_quotes,
            "not verbatim",
        ),
        (
            "china_2030__life_expectancy__2030",
            {"source_quote": "| 健康水平 | 人均预期寿命（岁） | 76.34 | 77.3 | 79 |"},
            check_source_quotes,
            "not verbatim",
        ),
        (
            "china_2030__life_expectancy__2030",
            {"indicator_code": "infant_mortality_rate"},
            check_table_labels,
            "no row label",
        ),
        # 死亡率下降5% read as a capped rise, 上升幅度控制在5%以内 read as a fall, a wrong number
        (
            "changjiang_2030__stroke_mortality_rate__2030",
            {"target_value": "-5"},
            check_relative_change_wording,
            "caps no opposite change",
        ),
        (
            "changjiang_2030__stroke_incidence_rate__2030",
            {"target_value": "5"},
            check_relative_change_wording,
            "names the opposite change",
        ),
        (
            "nantong_2030__salt_intake_per_capita__2030",
            {"target_value": "25"},
            check_relative_change_wording,
            "states no 25.0%",
        ),
        (LE, {"indicator_code": "life_expectancy_typo"}, check_references, "unknown indicator"),
        (LE, {"region_id": "atlantis"}, check_references, "unknown region_id"),
        (LE, {"comparator": "at_least"}, check_references, "not in"),
        (LE, {"domain_id": "t02_public_health_x"}, check_references, "is not a domain"),
        (
            LE,
            {"scope": "each_subregion", "region_id": "anon_district"},
            check_references,
            "has no subregions",
        ),
        (LE, {"target_id": "jy_fyp14__life_expectancy__2030"}, check_references, "target_id"),
        (LE, {"target_value": ""}, check_comparator_fields, "needs target_value"),
        (SRB, {"target_upper": "100"}, check_comparator_fields, "target_upper > target_value"),
        (SALT, {"relative_to_year": ""}, check_comparator_fields, "relative_to_year"),
        (SALT, {"target_value": "150"}, check_comparator_fields, "outside (-100, 100)"),
        (LE, {"comparator": "about"}, check_comparator_fields, "tolerance_pct"),
        (
            LE,
            {"comparator": "maintain", "target_value": "", "baseline_year": ""},
            check_comparator_fields,
            "maintain needs baseline_year",
        ),
        (LE, {"baseline_year": "2025"}, check_comparator_fields, "not before"),
        (LE, {"comparator": "le"}, check_direction_consistency, "on a higher_is_better"),
        (
            "jy_fyp14__infant_mortality_rate__2025",
            {"comparator": "ge"},
            check_direction_consistency,
            "on a lower_is_better",
        ),
        (LE, {"target_value": "830"}, check_direction_consistency, "outside plausible"),
        (
            "jy_action_2018__black_odorous_rivers__2020",
            {"indicator_code": "sports_parks"},
            check_direction_consistency,
            "worst end",
        ),
        (
            "jy_fyp14__psychiatric_beds_per_10000__2025",
            {"target_value": "3"},
            check_change_verbs,
            "quote says it rises",
        ),
        (
            "jy_fyp14__beds_per_1000__2025",
            {"source_quote": "7.6"},
            check_table_labels,
            "no row label",
        ),
        (
            "jy_fyp14__beds_per_1000__2025",
            {"indicator_code": "nurses_per_1000"},
            check_table_labels,
            "no row label",
        ),
        (
            LE,
            {"target_year": "2035", "target_id": "jy_fyp14__life_expectancy__2035"},
            check_years,
            "outside the plan horizon",
        ),
    ],
)
def test_check_catches_broken_target(seeds, target_id, changes, check, fragment) -> None:
    assert check(seeds) == [], "the real seeds must pass before breaking them"
    _target(seeds, target_id)  # the example target exists
    problems = check(_broken(seeds, target_id, changes))
    assert any(fragment in p for p in problems), problems


def test_duplicate_target_id_is_caught(seeds) -> None:
    rows = copy.deepcopy(seeds.rows("plan_targets"))
    rows.append(dict(rows[0]))
    problems = check_unique_keys(seeds.with_rows("plan_targets", rows))
    assert any("duplicate key" in p for p in problems)


def test_ambiguous_alias_is_caught(seeds) -> None:
    """人均期望寿命 and 人均期望寿命（） normalise alike: naming two codes must be refused."""
    rows = copy.deepcopy(seeds.rows("indicator_aliases"))
    rows.append({"alias": "《人均期望寿命》", "indicator_code": "infant_mortality_rate"})
    problems = check_aliases(seeds.with_rows("indicator_aliases", rows))
    assert any("人均期望寿命" in p and "infant_mortality_rate" in p for p in problems), problems


def test_ambiguous_region_alias_is_caught(seeds) -> None:
    rows = copy.deepcopy(seeds.rows("region_aliases"))
    rows.append({"alias": "ＣＨＮ", "region_id": "jiangyin"})  # full-width CHN
    problems = check_aliases(seeds.with_rows("region_aliases", rows))
    assert any("chn" in p and "jiangyin" in p for p in problems), problems


def test_unknown_unit_is_caught(seeds) -> None:
    rows = copy.deepcopy(seeds.rows("indicators"))
    rows[0]["canonical_unit"] = "furlongs"
    assert any("furlongs" in p for p in check_units(seeds.with_rows("indicators", rows)))


def test_header_drift_is_caught(seeds) -> None:
    headers = {**seeds.headers, "plan_targets": seeds.headers["plan_targets"][::-1]}
    broken = Seeds(tables=seeds.tables, headers=headers, texts=seeds.texts, units=seeds.units)
    assert any("plan_targets.csv header" in p for p in check_headers(broken))


@pytest.mark.parametrize(
    ("region_id", "changes", "fragment"),
    [
        # a code invented for a town no text names
        ("jiangyin_nanzha", {"admin_code": "320281101"}, "unverified region with a code"),
        # a town name the cited text does not contain
        ("changjiang_liyang", {"name_zh": "丽阳乡"}, "is not in 003_"),
        # a vague provenance instead of a file, GB/T 2260, redacted or unverified
        ("jiangyin_huashi", {"name_source": "general knowledge"}, "neither a seed file"),
        ("anon_district", {"name_source": "unverified"}, "disagree"),
    ],
)
def test_region_source_check_catches(seeds, region_id, changes, fragment) -> None:
    assert check_region_sources(seeds) == []
    rows = copy.deepcopy(seeds.rows("regions"))
    next(r for r in rows if r["region_id"] == region_id).update(changes)
    problems = check_region_sources(seeds.with_rows("regions", rows))
    assert any(fragment in p for p in problems), problems


def test_second_code_for_one_concept_is_caught(seeds) -> None:
    """A new code whose name is an existing indicator's (spacing/width aside) is refused."""
    rows = copy.deepcopy(seeds.rows("indicators"))
    twin = next(dict(i) for i in rows if i["indicator_code"] == "life_expectancy")
    twin.update(indicator_code="life_expectancy_b", name_zh="人均 预期寿命", name_en="LE at birth")
    problems = check_distinct_concepts(seeds.with_rows("indicators", rows + [twin]))
    assert any("life_expectancy_b" in p and "name_zh" in p for p in problems), problems


def test_codes_cut_to_one_sheet_name_are_caught(seeds) -> None:
    """Two codes equal in their first 31 characters would collide as workbook sheet names."""
    from reference_checks import check_code_sheet_names

    assert check_code_sheet_names(seeds) == []
    rows = copy.deepcopy(seeds.rows("indicators"))
    rows.append({**rows[0], "indicator_code": "family_doctor_contract_coverage_poor"})
    problems = check_code_sheet_names(seeds.with_rows("indicators", rows))
    assert any("family_doctor_contract_coverage" in p for p in problems), problems
