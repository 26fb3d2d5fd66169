"""健康中国2030's 13-row main-indicator table (issue 9), parsed from the fixture copied verbatim
from the issue, matches the china_2030 rows of plan_targets cell by cell — including the traps:
a 2013 baseline with targets relative to 2015, two 2014 baselines, 左右, >, 持续改善 and a
missing baseline."""

from __future__ import annotations

import re

import pytest
from reference_checks import resolve
from seed_tables import NATIONAL_TABLE, Seeds

PLAN = "china_2030"
SECTION = "健康中国2030规划纲要 主要指标"
DEFAULT_BASELINE_YEAR = "2015"  # "2015 baseline unless stated"


def parse_table() -> list[dict[str, str]]:
    """The Markdown table rows: domain, label, baseline, 2020 and 2030 cells, and the line."""
    lines = NATIONAL_TABLE.read_text(encoding="utf-8").splitlines()
    rows = []
    for line in lines[2:]:  # header and separator
        domain, label, base, y2020, y2030 = (c.strip() for c in line.strip("|").split("|"))
        rows.append(dict(domain=domain, label=label, base=base, line=line, **{
            "2020": y2020, "2030": y2030}))  # fmt: skip
    return rows


def expected(cell: str, direction: str) -> tuple[str, str, str]:
    """(comparator, target_value, relative_to_year) a table cell means."""
    if m := re.fullmatch(r"比(\d{4})年降低(\d+)%", cell):
        return "reduce_by_pct", m[2], m[1]
    if m := re.fullmatch(r"([\d.]+)左右", cell):
        return "about", m[1], ""
    if m := re.fullmatch(r">([\d.]+)", cell):
        return "gt", m[1], ""
    if cell == "持续改善":
        return "improve", "", ""
    # a bare number means "reach": at least on higher-is-better, at most on lower-is-better
    return ("ge" if direction == "higher_is_better" else "le"), cell, ""


def _same_number(a: str, b: str) -> bool:
    return (a == b == "") or (a != "" and b != "" and float(a) == float(b))


@pytest.fixture(scope="module")
def targets(seeds: Seeds) -> dict[tuple[str, str], dict[str, str]]:
    out = {}
    for t in seeds.rows("plan_targets"):
        if t["plan_id"] == PLAN:
            key = (t["indicator_code"], t["target_year"])
            assert key not in out, f"{key} recorded twice"
            out[key] = t
    return out


def test_table_has_13_rows_and_every_cell_is_recorded(seeds: Seeds, targets) -> None:
    rows = parse_table()
    assert len(rows) == 13
    codes = {resolve(seeds, r["label"]) for r in rows}
    assert None not in codes and len(codes) == 13
    assert set(targets) == {(c, y) for c in codes for y in ("2020", "2030")}


def test_each_cell_matches_the_table(seeds: Seeds, targets) -> None:
    directions = {i["indicator_code"]: i["direction"] for i in seeds.rows("indicators")}
    domains = {d["domain_id"]: d["domain_zh"] for d in seeds.rows("plan_domains")
               if d["plan_id"] == PLAN}  # fmt: skip
    for row in parse_table():
        code = resolve(seeds, row["label"])
        base = re.fullmatch(r"([\d.]+)(?: \((\d{4})\))?|—", row["base"])
        assert base, row["base"]
        for year in ("2020", "2030"):
            t = targets[(code, year)]
            where = f"{code} {year}"
            assert t["source_quote"] == row["line"] and t["source_section"] == SECTION, where
            assert domains[t["domain_id"]] == row["domain"], where
            comp, value, rel = expected(row[year], directions[code])
            assert t["comparator"] == comp, (where, row[year])
            assert _same_number(t["target_value"], value), where
            assert t["relative_to_year"] == rel, where
            if comp == "about":
                assert float(t["tolerance_pct"]) > 0, where
            if row["base"] == "—":
                assert t["baseline_value"] == t["baseline_year"] == "", where
            else:
                assert _same_number(t["baseline_value"], base[1]), where
                assert t["baseline_year"] == (base[2] or DEFAULT_BASELINE_YEAR), where


def test_premature_ncd_trap(targets) -> None:
    """Baseline 19.1 is kept for 2013 as printed; both targets are relative to 2015 (the 2030
    one is 70 % of the 2015 value), never to the 2013 baseline."""
    for year, pct in (("2020", "10"), ("2030", "30")):
        t = targets[("premature_ncd_mortality", year)]
        assert (t["comparator"], t["target_value"], t["relative_to_year"]) == (
            "reduce_by_pct",
            pct,
            "2015",
        )
        assert (t["baseline_year"], t["baseline_value"]) == ("2013", "19.1")
        assert "never substitute" in t["note"]


@pytest.mark.parametrize(
    ("code", "year", "comparator", "value", "baseline_year", "baseline_value"),
    [
        ("physical_fitness_pass_rate", "2020", "ge", "90.6", "2014", "89.6"),
        ("regular_exercise_population", "2030", "ge", "5.3", "2014", "3.6"),
        ("oop_share_of_health_expenditure", "2020", "about", "28", "2015", "29.3"),
        ("air_quality_good_days_ratio", "2020", "gt", "80", "2015", "76.7"),
        ("air_quality_good_days_ratio", "2030", "improve", "", "2015", "76.7"),
        ("surface_water_class3_ratio", "2030", "improve", "", "2015", "66"),
        ("health_service_industry_scale", "2020", "gt", "8", "", ""),
        ("health_service_industry_scale", "2030", "ge", "16", "", ""),
    ],
)
def test_issue9_traps(targets, code, year, comparator, value, baseline_year, baseline_value):
    """The two 2014 baselines, 28左右 → about, >80 → gt, 持续改善 → improve, and the missing
    健康服务业 baseline (blank, not invented)."""
    t = targets[(code, year)]
    assert (t["comparator"], t["target_value"], t["baseline_year"], t["baseline_value"]) == (
        comparator,
        value,
        baseline_year,
        baseline_value,
    )
