"""Subjects the catalogue does not name as written: suffix, similar wording, proposal.

The rules are exercised against the catalogue's *names* only: the seeds' aliases (which grow as
the seeds owner adds the wordings the extractor reports) are dropped from a copy of the seeds, so
each test keeps testing its rule rather than an alias.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from pipelines.config import SEEDS_DIR
from pipelines.extract.framework import extract_text

HEAD = "示例行动计划（2021—2025年）\n示例市人民政府\n2021年3月1日\n一、主要目标\n"


@pytest.fixture(scope="module")
def names_only(tmp_path_factory) -> Path:
    """A copy of the seeds whose indicator_aliases keep only each indicator's own name."""
    out = tmp_path_factory.mktemp("seeds")
    for path in SEEDS_DIR.glob("*.csv"):
        shutil.copy(path, out / path.name)
    with (SEEDS_DIR / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        names = {(r["name_zh"], r["indicator_code"]) for r in csv.DictReader(handle)}
    with (SEEDS_DIR / "indicator_aliases.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r["alias"], r["indicator_code"]) in names]
    with (out / "indicator_aliases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["alias", "indicator_code"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out


@pytest.fixture()
def extract(names_only: Path):
    def run(body: str, plan_id: str = "example"):
        return extract_text(HEAD + body, "example.txt", plan_id=plan_id, seeds_dir=names_only)

    return run


@pytest.fixture()
def _rows(extract):
    return lambda body: _index(extract(body), body)


def _index(draft, body: str) -> dict[str, dict[str, str]]:
    review = {r["target_id"]: r for r in draft.review}
    out: dict[str, dict[str, str]] = {}
    for r in draft.targets:
        assert r["source_quote"] in HEAD + body
        out[r["indicator_code"]] = {**r, **review[r["target_id"]]}
    return out


def test_elliptical_subject_is_the_end_of_a_catalogue_name(_rows, extract) -> None:
    rows = _rows("推进家庭医生签约服务，续签率达到60%以上。\n")
    r = rows["family_doctor_renewal_rate"]
    assert (r["comparator"], r["target_value"], r["needs_review"]) == ("ge", "60", "yes")


def test_tied_names_are_both_kept_and_flagged(_rows, extract) -> None:
    rows = _rows("开展高血压、糖尿病患者健康管理服务，规范管理率保持在75%以上。\n")
    for code in (
        "hypertension_standardized_management_rate",
        "diabetes_standardized_management_rate",
    ):
        assert rows[code]["target_value"] == "75" and rows[code]["alternative"]


def test_coverage_in_other_words(_rows, extract) -> None:
    rows = _rows("到2025年实现社区居家养老和养老机构的医疗卫生服务全覆盖。\n")
    r = rows["elderly_care_medical_service_coverage"]
    assert (r["comparator"], r["target_value"], r["needs_review"]) == ("eq", "100", "yes")


def test_share_before_its_subject(_rows, extract) -> None:
    rows = _rows("到2025年，95%以上的基层医疗卫生机构具备中医药服务能力。\n")
    assert rows["primary_facilities_tcm_capacity_rate"]["comparator"] == "ge"


def test_unknown_subject_is_proposed(_rows, extract) -> None:
    draft = extract("到2025年，社区心理服务站点达到120个。\n", plan_id="x")
    assert [p["name_zh"] for p in draft.proposed] == ["社区心理服务站点"]
    row = draft.targets[0]
    assert row["indicator_code"].startswith("new_") and row["target_value"] == "120"
    assert draft.review[0]["proposed_indicator"] == "yes"


def test_one_per_unit_is_full_coverage(_rows, extract) -> None:
    rows = _rows("到2025年，每个行政村设置1个村卫生室。\n")
    assert (
        rows["village_clinic_coverage"]["comparator"],
        rows["village_clinic_coverage"]["target_value"],
    ) == ("eq", "100")


def test_compliance_and_universal_clauses(_rows, extract) -> None:
    rows = _rows("到2025年，饮用水水源地水质稳定达标，所有基层医疗卫生机构都能够提供中医药服务。\n")
    # 稳定达标: keep compliance (保持/稳定 → maintain, CONTRACTS §1)
    assert rows["drinking_water_source_compliance_rate"]["comparator"] == "maintain"
    assert rows["primary_facilities_tcm_capacity_rate"]["target_value"] == "100"


def test_noun_and_count_without_verb(_rows, extract) -> None:
    rows = _rows("引进“暨阳英才计划”卫生健康领军人才1人，拔尖人才8人及以上。\n")
    assert rows["jiyang_top_talents"]["target_value"] == "8"


def test_yearly_target_for_every_year(_rows, extract) -> None:
    draft = extract("计划每年开展各类人才培训不少于500人次。\n", plan_id="e")
    years = sorted(
        r["target_year"]
        for r in draft.targets
        if r["indicator_code"] == "staff_training_attendances"
    )
    assert years == [str(y) for y in range(2021, 2026)]


def test_two_conjuncts_with_two_values_distribute() -> None:
    from pipelines.extract.unnamed import distributed

    assert distributed("中医馆和中医阁持续开展的中医适宜技术") == (
        "中医馆持续开展的中医适宜技术",
        "中医阁持续开展的中医适宜技术",
    )
    assert distributed("村卫生室达到省定基本标准和推荐标准的比例") == (
        "村卫生室达到省定基本标准的比例",
        "村卫生室达到省定推荐标准的比例",
    )
    assert distributed("高血压和糖尿病患者规范管理率") is None  # conjuncts unlike: no guess
    doc = "健康示例规划\n一、主要目标\n到2025年，中医馆和中医阁持续开展的中医适宜技术达到15项和8项。\n"
    draft = extract_text(doc, "tcm.txt", plan_id="tcm_2025")
    got = {(r["indicator_code"], r["comparator"], r["target_value"]) for r in draft.targets}
    assert got == {
        ("tcm_techniques_per_hall", "ge", "15"),
        ("tcm_techniques_per_pavilion", "ge", "8"),
    }
