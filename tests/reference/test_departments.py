"""Lead and co-responsible departments: traceable to the plan texts, one name per department,
and an explicit marker where a plan names none (docs/reference-data.md, "Lead departments")."""

from __future__ import annotations

import copy
import re

import pytest
from department_checks import (
    DEPARTMENT_CHECKS,
    NO_LEAD_MARKER,
    check_department_spelling,
    check_departments_verbatim,
    check_no_lead_marker,
    check_targets_carry_domain_lead,
    split_departments,
)
from seed_tables import Seeds

#: A department assignment in a plan text: 牵头单位:… / 牵头部门：… / 责任单位：…
ASSIGNMENT = re.compile(r"(牵头|责任)(单位|部门)\s*[:：]")
#: Plans whose texts assign no department to any target (checked below against the text).
PLANS_NAMING_NONE = ("jy_action_2018", "changjiang_2030", "jy_fyp14")


@pytest.mark.parametrize("check", DEPARTMENT_CHECKS, ids=lambda c: c.__name__)
def test_seeds_pass_department_check(seeds: Seeds, check) -> None:
    problems = check(seeds)
    assert problems == [], "\n".join(problems[:50])


def _broken(seeds: Seeds, table: str, key: str, value: str, changes: dict[str, str]) -> Seeds:
    rows = copy.deepcopy(seeds.rows(table))
    for row in rows:
        if row[key] == value:
            row.update(changes)
    return seeds.with_rows(table, rows)


SCHOOL = "nantong_2030__health_promoting_school_rate__2020"  # lead 市教育局, co incl. 市卫计委
LE = "jy_fyp14__life_expectancy__2025"  # jy_fyp14 names no department


@pytest.mark.parametrize(
    ("table", "key", "value", "changes", "check", "fragment"),
    [
        # a department the text never names (the 2018 reform's name, not the plan's)
        ("plan_targets", "target_id", SCHOOL, {"lead_department": "市教育局;市卫健委"},
         check_departments_verbatim, "not verbatim"),
        # joint leads written with the text's 、 instead of ; (one string, one "department")
        ("plan_domains", "domain_id", "nt_a03_3", {"lead_department": "市环保局、市卫计委"},
         check_department_spelling, "is a list"),
        # the alias spelling of a department the seeds call 市食品药品监督管理局
        ("plan_targets", "target_id", SCHOOL,
         {"co_departments": "市文广新局;市卫计委;市体育局;市食品药品监管局"},
         check_department_spelling, "the seeds call it"),
        ("plan_targets", "target_id", SCHOOL, {"co_departments": "市文广新局;;市卫计委"},
         check_department_spelling, "blank"),
        ("plan_targets", "target_id", SCHOOL, {"co_departments": "市教育局;市卫计委"},
         check_department_spelling, "named twice"),
        # a blank lead without the marker, and the marker beside a lead
        ("plan_targets", "target_id", LE, {"note": ""}, check_no_lead_marker, "no lead"),
        ("plan_targets", "target_id", SCHOOL, {"note": NO_LEAD_MARKER},
         check_no_lead_marker, "but note says"),
        ("plan_targets", "target_id", LE, {"co_departments": "市卫健委"},
         check_no_lead_marker, "without a lead"),
        # a target of a task that lost the task's lead
        ("plan_targets", "target_id", SCHOOL, {"lead_department": "", "note": NO_LEAD_MARKER},
         check_targets_carry_domain_lead, "its domain"),
    ],
)  # fmt: skip
def test_department_checks_catch_mistakes(seeds, table, key, value, changes, check, fragment):
    assert check(seeds) == []
    problems = check(_broken(seeds, table, key, value, changes))
    assert any(fragment in p for p in problems), problems


def test_alias_rows_are_checked(seeds: Seeds) -> None:
    """An alias the text does not contain, and an alias equal to its department, are caught."""
    rows = copy.deepcopy(seeds.rows("department_aliases"))
    rows.append({"plan_id": "nantong_2030", "alias": "市卫健委", "department": "市卫计委"})
    rows.append({"plan_id": "nantong_2030", "alias": "市卫计委", "department": "市卫计委"})
    broken = seeds.with_rows("department_aliases", rows)
    assert any("'市卫健委' is not verbatim" in p for p in check_departments_verbatim(broken))
    assert any("alias equals" in p for p in check_department_spelling(broken))


@pytest.mark.parametrize("plan", PLANS_NAMING_NONE)
def test_plans_marked_as_naming_none_assign_no_department(seeds: Seeds, plan: str) -> None:
    """The marker is only used where the text has no 牵头/责任 单位/部门 assignment at all."""
    source = next(p["source_file"] for p in seeds.rows("plans") if p["plan_id"] == plan)
    assert not ASSIGNMENT.search(seeds.texts[source]), f"{plan}'s text assigns departments"
    targets = [t for t in seeds.rows("plan_targets") if t["plan_id"] == plan]
    assert targets and all(NO_LEAD_MARKER in t["note"] for t in targets)


#: One target with joint leads per plan that names departments.
JOINT = {
    "anon_district_2018": ("anon_district_2018__pm25_concentration__2019", ["美丽办", "区环保局"]),
    "nantong_2030": ("nantong_2030__private_hospital_beds_share__2020", ["市发改委", "市卫计委"]),
}


@pytest.mark.parametrize("plan", sorted(JOINT))
def test_plans_with_assignments_name_real_departments(seeds: Seeds, plan: str) -> None:
    """Every target of the special actions (001) and tasks (002) has its lead; joint leads are
    separate departments."""
    domains = [d for d in seeds.rows("plan_domains") if d["plan_id"] == plan]
    leads = {dept for d in domains for dept in split_departments(d["lead_department"])}
    assert len(leads) >= 10
    targets = [t for t in seeds.rows("plan_targets") if t["plan_id"] == plan]
    led = [t for t in targets if t["lead_department"]]
    assert len(led) >= (34 if plan == "anon_district_2018" else 89)
    assert all("、" not in d for t in led
               for d in split_departments(t["lead_department"]))  # fmt: skip
    joint_id, joint_leads = JOINT[plan]
    joint = next(t for t in led if t["target_id"] == joint_id)
    assert split_departments(joint["lead_department"]) == joint_leads
