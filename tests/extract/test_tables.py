"""Indicator tables in their three text layouts, and the national table (pipe layout) in full."""

from __future__ import annotations

import csv

import pytest

from pipelines.config import PROJECT_ROOT, SEEDS_DIR
from pipelines.extract.evaluate import target_key
from pipelines.extract.framework import extract_text
from pipelines.extract.tables import find_tables

ROWS = [
    ["领域", "指标", "2017年", "2020年", "2030年"],
    ["健康水平", "人均预期寿命（岁）", "81.86", "≥82", "≥83"],
    ["", "婴儿死亡率（‰）", "2.91", "保持较好控制水平", "保持较好控制水平"],
    ["健康产业", "健康服务业总规模（亿元）", "—", "750", "1500"],
]


def _tabs() -> str:
    return "主要指标\n\n" + "\n".join("\t".join(r) for r in ROWS) + "\n\n正文。"


def _cell_per_line() -> str:
    blocks = ["\n".join("\t" + c for c in r) for r in ROWS]
    return "主要指标\n" + "\n\n".join(blocks) + "\n\n\n正文。"


def _pipes() -> str:
    lines = ["| " + " | ".join(r) + " |" for r in ROWS]
    lines.insert(1, "|---|---|---|---|---|")
    return "主要指标\n" + "\n".join(lines) + "\n正文。"


@pytest.mark.parametrize("layout", [_tabs, _cell_per_line, _pipes], ids=["tabs", "cells", "pipes"])
def test_three_layouts_read_alike(layout) -> None:
    doc = "示例规划\n示例市人民政府\n2018年7月3日\n" + layout()
    tables = find_tables(doc)
    assert len(tables) == 1
    t = tables[0]
    assert sorted(t.year_columns.values()) == [2017, 2020, 2030]
    assert [r[t.indicator_column].text for r in t.rows] == [r[1] for r in ROWS[1:]]
    draft = extract_text(doc, "example.txt", plan_id="example")
    got = {
        (r["indicator_code"], r["target_year"], r["comparator"], r["target_value"])
        for r in draft.targets
    }
    assert got == {
        ("life_expectancy", "2020", "ge", "82"),
        ("life_expectancy", "2030", "ge", "83"),
        ("infant_mortality_rate", "2020", "maintain", ""),
        ("infant_mortality_rate", "2030", "maintain", ""),
        # 亿元 converted to the catalogue's unit (万亿元) through units.csv
        ("health_service_industry_scale", "2020", "ge", "0.075"),
        ("health_service_industry_scale", "2030", "ge", "0.15"),
    }
    life = next(r for r in draft.targets if r["indicator_code"] == "life_expectancy")
    assert (life["baseline_year"], life["baseline_value"]) == ("2017", "81.86")
    assert all(r["source_quote"] in doc for r in draft.targets)


def test_national_outline_table_reads_to_the_curated_china_2030_rows() -> None:
    """The 健康中国2030 table (a Markdown table) gives exactly the 26 curated targets."""
    doc = (PROJECT_ROOT / "tests/reference/fixtures/china_2030_outline_table.md").read_text(
        encoding="utf-8"
    )
    draft = extract_text(doc, "national_outline_2016", plan_id="china_2030")
    with (SEEDS_DIR / "plan_targets.csv").open(encoding="utf-8", newline="") as handle:
        gold = [r for r in csv.DictReader(handle) if r["plan_id"] == "china_2030"]
    assert sorted(target_key(r) for r in draft.targets) == sorted(target_key(r) for r in gold)


def test_table_target_restated_in_a_task_takes_its_departments() -> None:
    """The table gives the number, the task that restates it names who leads it."""
    doc = (
        "示例规划\n示例市人民政府\n2018年7月3日\n" + _tabs() + "\n"
        "一、重点任务\n（一）健康水平提升行动\n到2020年，人均预期寿命达到82岁。"
        "（牵头部门：市卫计委；责任部门：市民政局、市财政局）\n"
    )
    draft = extract_text(doc, "example.txt", plan_id="example")
    table_rows = [r for r in draft.targets if r["indicator_code"] == "life_expectancy"]
    assert {(r["target_year"], r["lead_department"], r["co_departments"]) for r in table_rows} == {
        ("2020", "市卫计委", "市民政局;市财政局"),
        ("2030", "市卫计委", "市民政局;市财政局"),
    }
    infant = next(r for r in draft.targets if r["indicator_code"] == "infant_mortality_rate")
    assert infant["lead_department"] == ""  # not restated: no lead guessed
