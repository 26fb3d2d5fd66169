"""Subjects the catalogue does not name as written: suffix, similar wording, proposal."""

from __future__ import annotations

from pipelines.extract.framework import extract_text

HEAD = "示例行动计划（2021—2025年）\n示例市人民政府\n2021年3月1日\n一、主要目标\n"


def _rows(body: str) -> dict[str, dict[str, str]]:
    draft = extract_text(HEAD + body, "example.txt", plan_id="example")
    review = {r["target_id"]: r for r in draft.review}
    out = {}
    for r in draft.targets:
        assert r["source_quote"] in HEAD + body
        out[r["indicator_code"]] = {**r, **review[r["target_id"]]}
    return out


def test_elliptical_subject_is_the_end_of_a_catalogue_name() -> None:
    rows = _rows("推进家庭医生签约服务，续签率达到60%以上。\n")
    r = rows["family_doctor_renewal_rate"]
    assert (r["comparator"], r["target_value"], r["needs_review"]) == ("ge", "60", "yes")


def test_tied_names_are_both_kept_and_flagged() -> None:
    rows = _rows("开展高血压、糖尿病患者健康管理服务，规范管理率保持在75%以上。\n")
    for code in (
        "hypertension_standardized_management_rate",
        "diabetes_standardized_management_rate",
    ):
        assert rows[code]["target_value"] == "75" and rows[code]["alternative"]


def test_coverage_in_other_words() -> None:
    rows = _rows("到2025年实现社区居家养老和养老机构的医疗卫生服务全覆盖。\n")
    r = rows["elderly_care_medical_service_coverage"]
    assert (r["comparator"], r["target_value"], r["needs_review"]) == ("eq", "100", "yes")


def test_share_before_its_subject() -> None:
    rows = _rows("到2025年，95%以上的基层医疗卫生机构具备中医药服务能力。\n")
    assert rows["primary_facilities_tcm_capacity_rate"]["comparator"] == "ge"


def test_unknown_subject_is_proposed() -> None:
    draft = extract_text(HEAD + "到2025年，社区心理服务站点达到120个。\n", "x.txt", plan_id="x")
    assert [p["name_zh"] for p in draft.proposed] == ["社区心理服务站点"]
    row = draft.targets[0]
    assert row["indicator_code"].startswith("new_") and row["target_value"] == "120"
    assert draft.review[0]["proposed_indicator"] == "yes"
