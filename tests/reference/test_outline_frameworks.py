"""The 2030 outlines of Nantong (002) and Changjiang (003): full main tables, typed cells,
departments traceable to the text, sub-regional scope, and the issue-9 international series with a
different definition kept apart from the national indicators they resemble."""

from __future__ import annotations

import re

import pytest
from seed_tables import Seeds

NANTONG_FILE = "002_5016c072d5ffe20f.txt"
DEPARTMENT_NOTE = re.compile(r"^牵?头部门[:：](?P<lead>[^；;]+)[；;]责任部门[:：](?P<co>.+)$")


def _target(seeds: Seeds, target_id: str) -> dict[str, str]:
    return next(t for t in seeds.rows("plan_targets") if t["target_id"] == target_id)


@pytest.mark.parametrize(
    ("plan", "section", "rows"),
    [("nantong_2030", "健康南通建设主要指标", 15), ("changjiang_2030", "健康昌江建设主要指标", 13)],
)
def test_each_outline_has_its_full_main_table(seeds: Seeds, plan, section, rows) -> None:
    """15 Nantong rows and 13 Changjiang rows, each with a 2020 and a 2030 target."""
    table = [t for t in seeds.rows("plan_targets")
             if t["plan_id"] == plan and t["source_section"] == section]  # fmt: skip
    assert len({t["indicator_code"] for t in table}) == rows
    assert sorted({t["target_year"] for t in table}) == ["2020", "2030"]
    assert len(table) == 2 * rows


@pytest.mark.parametrize(
    ("target_id", "comparator", "value", "baseline_year"),
    [
        # a bare 2030 cell "保持" on a lower-is-better rate: no worse than the 2017 baseline
        ("nantong_2030__infant_mortality_rate__2030", "maintain", "", "2017"),
        ("nantong_2030__oop_share_of_health_expenditure__2030", "about", "25", ""),
        ("changjiang_2030__premature_ncd_mortality__2030", "reduce_by_pct", "30", ""),
        ("changjiang_2030__air_quality_good_days_ratio__2020", "gt", "90", ""),
        # 上升幅度控制在5%以内: a rise capped at 5 % is reduce_by_pct −5 (value ≤ ref·1.05)
        ("changjiang_2030__stroke_incidence_rate__2030", "reduce_by_pct", "-5", ""),
    ],
)
def test_cells_typed(seeds: Seeds, target_id, comparator, value, baseline_year) -> None:
    t = _target(seeds, target_id)
    assert (t["comparator"], t["target_value"], t["baseline_year"]) == (
        comparator,
        value,
        baseline_year,
    )


def test_nantong_task_domains_quote_their_department_note(seeds: Seeds) -> None:
    """Each Nantong task (重点任务/支撑保障) quotes its "牵头部门…；责任部门…" note, and the
    lead/co departments are exactly what the note says; the task headings and notes follow one
    another in document order (a shifted department would fail here)."""
    text = seeds.texts[NANTONG_FILE]
    tasks = [d for d in seeds.rows("plan_domains") if d["plan_id"] == "nantong_2030"
             and "头部门" in d["source_quote"]]  # fmt: skip
    assert len(tasks) == 64
    # one name per department: the note's other spellings map through department_aliases
    aliases = {a["alias"]: a["department"] for a in seeds.rows("department_aliases")
               if a["plan_id"] == "nantong_2030"}  # fmt: skip

    def spelled(names: str) -> list[str]:
        return [aliases.get(n, n) for n in names.split("、")]

    assert aliases, "Nantong spells some departments two ways (市食品药品监管局 …)"
    pos = text.index("第三章 重点任务")
    for d in tasks:
        m = DEPARTMENT_NOTE.match(d["source_quote"])
        assert m, d["source_quote"]
        assert d["lead_department"].split(";") == spelled(m["lead"]), d["domain_id"]
        assert d["co_departments"].split(";") == spelled(m["co"]), d["domain_id"]
        note = text.index(d["source_quote"], pos)
        assert d["domain_zh"] in text[pos:note], f"{d['domain_id']}: heading not before its note"
        pos = note + len(d["source_quote"])


def test_nantong_task_targets_carry_lead_departments(seeds: Seeds) -> None:
    """Every target of a Nantong task names the task's lead department."""
    domains = {d["domain_id"]: d for d in seeds.rows("plan_domains")
               if d["plan_id"] == "nantong_2030"}  # fmt: skip
    body = [t for t in seeds.rows("plan_targets") if t["plan_id"] == "nantong_2030"
            and domains[t["domain_id"]]["lead_department"]]  # fmt: skip
    assert len(body) > 60
    for t in body:
        assert t["lead_department"] == domains[t["domain_id"]]["lead_department"], t["target_id"]
    school = _target(seeds, "nantong_2030__health_promoting_school_rate__2020")
    assert school["lead_department"] == "市教育局"
    assert "市卫计委" in school["co_departments"].split(";")


def test_nantong_per_town_target_is_assessed_over_county_level_units(seeds: Seeds) -> None:
    """002 names no towns: its 以镇（街道）为单位 target is assessed over Nantong's county-level
    units (eq 100 in every unit ⇔ every town has a facility), none of them given a code."""
    t = _target(seeds, "nantong_2030__community_mental_rehab_coverage__2030")
    assert t["scope"] == "each_subregion" and "以镇（街道）为单位" in t["source_quote"]
    units = [r for r in seeds.rows("regions") if r["parent_region_id"] == "nantong"]
    assert len(units) == 8
    assert all(r["level"] in ("county", "district") and not r["admin_code"] for r in units)


def test_international_series_are_kept_apart(seeds: Seeds) -> None:
    """Every issue-9 series whose definition differs points at the national code it must not
    be silently mixed with, and names its definition family; series of the same definition
    (life expectancy, infant, neonatal and the WHO maternal mortality) have no code of their
    own — they are ingested under the national code as international estimates."""
    by_code = {i["indicator_code"]: i for i in seeds.rows("indicators")}
    expected = {
        "oop_share_who_ghed": "oop_share_of_health_expenditure",
        "maternal_mortality_ratio_gapminder": "maternal_mortality_ratio",
        "physicians_per_1000_wdi": "physicians_per_1000",
        "smoking_rate_15plus_who": "smoking_rate_15plus",
        "hospital_beds_per_1000_wdi": "beds_per_1000",
    }
    for code, national in expected.items():
        assert by_code[code]["comparable_to"] == national, code
        assert by_code[code]["definition_family"], code
        assert by_code[code]["canonical_unit"] == by_code[national]["canonical_unit"], code
    for gone in (
        "infant_mortality_rate_ihme",
        "maternal_mortality_ratio_who",
        "neonatal_mortality_rate_un_igme",
    ):
        assert gone not in by_code, f"{gone}: same definition, belongs under the national code"
    aliases = {a["alias"]: a["indicator_code"] for a in seeds.rows("indicator_aliases")}
    assert aliases["maternal_mortality_ratio_who"] == "maternal_mortality_ratio"
    assert aliases["out_of_pocket_share_of_total_health_spending_percent"] == "oop_share_who_ghed"
    assert aliases["maternal_mortality_ratio_per_100000_live_births"] == (
        "maternal_mortality_ratio_gapminder"
    )
