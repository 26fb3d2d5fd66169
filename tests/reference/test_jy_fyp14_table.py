"""The Jiangyin 14th five-year plan's 31-row indicator table, parsed straight from the seed file,
matches the plan_targets rows that claim to come from it (the slice the pipeline is proven on)."""

from __future__ import annotations

import re

import pytest
from reference_checks import resolve
from seed_tables import Seeds

SEED_FILE = "004_59ac81d9e3b3f288.txt"
TITLE = "“十四五”时期江阴市卫生健康事业发展主要指标"
NATURE = {"约束性": "binding", "预期性": "expected"}
SIGNS = {"<": "lt", "≤": "le", ">": "gt", "≥": "ge"}


def parse_table(text: str) -> dict[int, dict[str, str]]:
    """Rows of the table: number → label, unit, 2020 cell, 2025 cell, nature (one line each)."""
    lines = text[text.index(TITLE) : text.index("第四章")].split("\n")
    rows: dict[int, dict[str, str]] = {}
    i = 0
    while i < len(lines):
        # row numbers run 1, 2, 3 … (a bare number elsewhere is a value cell)
        if lines[i] == f"\t{len(rows) + 1}" and i + 5 < len(lines):
            label, unit, base, target, nature = (c.strip() for c in lines[i + 1 : i + 6])
            rows[len(rows) + 1] = dict(
                label=label, unit=unit, base=base, target=target, nature=nature
            )
            i += 6
        else:
            i += 1
    return rows


def expected_requirement(
    cell: str, direction: str, unit: str
) -> tuple[str, float | None, float | None]:
    """Read a 2025 cell: '<7' → lt 7, '103-107' → range, '-' → none, a bare number → at least
    (higher is better; 100 % → eq) or at most (lower is better)."""
    if cell == "-":
        return "none", None, None
    if cell[0] in SIGNS:
        return SIGNS[cell[0]], float(cell[1:]), None
    if m := re.fullmatch(r"([\d.]+)-([\d.]+)", cell):
        return "range", float(m[1]), float(m[2])
    value = float(cell)
    if direction == "lower_is_better":
        return "le", value, None
    return ("eq" if unit == "%" and value == 100 else "ge"), value, None


@pytest.fixture(scope="module")
def table(seeds: Seeds) -> dict[int, dict[str, str]]:
    return parse_table(seeds.texts[SEED_FILE])


@pytest.fixture(scope="module")
def table_targets(seeds: Seeds) -> dict[int, dict[str, str]]:
    out = {}
    for t in seeds.rows("plan_targets"):
        m = re.search(r"主要指标表 序号(\d+)$", t["source_section"])
        if t["plan_id"] == "jy_fyp14" and m:
            assert int(m[1]) not in out, f"table row {m[1]} recorded twice"
            out[int(m[1])] = t
    return out


def test_table_has_31_rows_and_all_are_recorded(table, table_targets) -> None:
    assert sorted(table) == list(range(1, 32))
    assert sorted(table_targets) == list(range(1, 32))


def test_each_row_matches_the_document(seeds, table, table_targets) -> None:
    directions = {i["indicator_code"]: i["direction"] for i in seeds.rows("indicators")}
    for n, row in table.items():
        t = table_targets[n]
        assert t["source_quote"] == row["label"], n
        assert resolve(seeds, row["label"]) == t["indicator_code"], f"row {n} label resolves"
        assert t["nature"] == NATURE[row["nature"]], n
        assert t["target_year"] == "2025" and t["scope"] == "region", n
        comp, value, upper = expected_requirement(
            row["target"], directions[t["indicator_code"]], row["unit"]
        )
        assert t["comparator"] == comp, (n, row["target"], t["comparator"])
        assert (float(t["target_value"]) if t["target_value"] else None) == value, n
        assert (float(t["target_upper"]) if t["target_upper"] else None) == upper, n
        base = row["base"].rstrip("%")
        if base == "-":
            assert t["baseline_value"] == "" and t["baseline_year"] == "", n
        else:
            assert float(t["baseline_value"]) == float(base), n
            assert t["baseline_year"] == "2020", n


def test_binding_rows_are_the_documents_binding_rows(table, table_targets) -> None:
    binding = {n for n, r in table.items() if r["nature"] == "约束性"}
    assert binding == {n for n, t in table_targets.items() if t["nature"] == "binding"}
