"""The column-by-column report: each field built from the right column with the same fallbacks
as the per-value helpers, and the CSV and JSON encoders writing what ``csv``/``json`` write."""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.db import as_float, as_int, as_text
from pipelines.history import Streak
from pipelines.report.columns import Columns
from pipelines.report.csvfile import joined_column, trend_column, write_csv
from pipelines.report.jsonfile import encode_column, encode_rows
from pipelines.report.row_builder import Context, build_columns, rows_of
from pipelines.report.rows import ROW_FIELDS

VALIDATED_AT = datetime(2026, 12, 5, 22, 0)
ELEMENT = ["suite_name", "expectation_id", "target_id", "plan_id", "region_id", "observed_value"]
ELEMENT += ["threshold", "severity", "nature", "lead_department", "source_quote"]


def _failing(**values: list[Any]) -> Columns:
    """Two failing rows: ``values`` by column name, every other column null (VARCHAR unless the
    name says DOUBLE/INTEGER/BIGINT/BOOLEAN in the types below)."""
    types = {
        "observed_value": "DOUBLE",
        "a_target_year": "INTEGER",
        "a_target_value": "DOUBLE",
        "a_assessment_year": "BIGINT",
        "a_latest_year": "INTEGER",
        "a_data_age_years": "BIGINT",
        "a_latest_is_illustrative": "BOOLEAN",
    }
    names = ELEMENT + [f"a_{n}" for n in _ASSESSED]
    types |= {n: "DOUBLE" for n in names if n.removeprefix("a_") in _ASSESSED_FLOATS}
    return Columns(
        {n: values.get(n, [None, None]) for n in names}, {n: types.get(n, "VARCHAR") for n in names}
    )


_ASSESSED_FLOATS = ["latest_value", "required_lower", "required_upper", "gap", "projected_value"]
_ASSESSED_FLOATS += ["projected_lower", "projected_upper", "latest_ci_lower", "latest_ci_upper"]
_ASSESSED = ["indicator_code", "plan_id", "nature", "lead_department", "co_departments"]
_ASSESSED += ["source_quote", "comparator", "target_year", "target_value", "status"]
_ASSESSED += ["assessment_year", "latest_year", "data_age_years", "verdict_basis", "trend"]
_ASSESSED += ["latest_is_illustrative", "latest_data_nature", "projection_method", "trend_method"]
_ASSESSED += ["progress_ratio_class", "latest_source", *_ASSESSED_FLOATS]


def _context() -> Context:
    return Context(
        targets={"p__ind__2020": {"target_year": 2020, "comparator": "ge", "target_value": 80.0,
                                  "co_departments": "甲;乙", "source_section": "三(一)"}},
        plans={"p": {"title_zh": "规划"}},
        regions={"r1": {"name_zh": "一区"}},
        indicators={"ind": {"name_zh": "指标", "canonical_unit": "years"}},
        units={"years": {"label_zh": "岁"}},
        leads={"p__ind__2020": ["卫健委", "教育局"]},
        streaks={("p__ind__2020", "r1"): Streak("p__ind__2020", "r1", VALIDATED_AT, 3, None)},
        validated_at=VALIDATED_AT,
    )  # fmt: skip


def _built(rows: Columns, series: dict | None = None) -> list[dict[str, Any]]:
    fields = build_columns(rows, _context(), series or {})
    built = rows_of(fields)
    # every field lands in its own attribute (rows are built positionally)
    for name in ROW_FIELDS:
        assert [getattr(r, name) for r in built] == fields[name], name
    return [r.as_dict() for r in built]


def test_element_first_then_assessment_then_reference() -> None:
    a, b = _built(
        _failing(
            target_id=["p__ind__2020", "q__other__2025"],
            region_id=["r1", "r2"],
            plan_id=["p", ""],
            a_plan_id=["ignored", "q"],
            nature=["binding", None],
            a_nature=["expected", None],
            lead_department=[None, ""],
            a_lead_department=[None, "爱卫办"],
            threshold=["≥ 80", "≤ 5"],
            severity=["critical", "warning"],
            observed_value=[79.5, math.nan],
            a_target_year=[None, 2025],
            a_comparator=[None, "le"],
            a_target_value=[None, 5.0],
        )
    )
    # the title is the element's plan's (none here: the element names no plan)
    assert (a["plan_id"], a["plan_title"], b["plan_id"], b["plan_title"]) == ("p", "规划", "q", "")
    assert a["departments"] == ["卫健委", "教育局"] and a["lead_department"] == "卫健委；教育局"
    assert b["departments"] == ["爱卫办"]
    assert (a["nature"], b["nature"]) == ("binding", "unstated")
    assert (a["target_year"], a["comparator"], a["target_value"]) == (2020, "ge", 80.0)
    assert (b["target_year"], b["comparator"], b["target_value"]) == (2025, "le", 5.0)
    assert (a["co_departments"], a["source_section"], b["source_section"]) == (
        "甲;乙",
        "三(一)",
        "",
    )
    assert (a["indicator_code"], a["indicator_name"], a["unit"], a["unit_code"]) == (
        "ind", "指标", "岁", "years"
    )  # fmt: skip
    assert (b["indicator_code"], b["indicator_name"], b["unit"]) == ("other", "other", "")
    assert (
        a["target_text"] == "指标 ≥ 80 岁（2020年）" and b["target_text"] == "other ≤ 5（2025年）"
    )
    assert (a["region_name"], b["region_name"]) == ("一区", "r2")
    assert (a["verdict_value"], b["verdict_value"]) == (79.5, None)  # NaN reads as no value
    assert (a["failing_since"], a["failing_validations"], a["is_new"]) == (
        "2026-12-05 22:00:00", 3, True
    )  # fmt: skip
    assert (b["failing_since"], b["failing_validations"], b["is_new"]) == ("", 0, False)


def test_verdict_fields_and_their_defaults() -> None:
    a, b = _built(
        _failing(
            target_id=["p__ind__2020", "p__ind__2020"],
            region_id=["r1", "r2"],
            observed_value=[70.0, 90.0],
            a_status=["off_track", None],
            a_assessment_year=[2026, 2026],
            a_latest_year=[2023, 2024],
            a_data_age_years=[None, 1],
            a_required_lower=[80.0, None],
            a_required_upper=[90.0, 85.0],
            a_gap=[-10.0, math.nan],
            a_projected_value=[75.0, None],
            a_latest_is_illustrative=[True, None],
            a_trend=[None, "improving"],
            a_latest_source=[None, "统计年鉴"],
            a_latest_ci_lower=[69.0, None],
        ),
        {("r1", "ind"): ([2022, 2023], [68.0, 70.0], ["年鉴", "公报"], ["official", "official"])},
    )
    assert (a["status"], a["verdict_basis"], b["status"], b["verdict_basis"]) == (
        "off_track", "projected", "not_met", "observed"
    )  # fmt: skip
    assert (a["data_age_years"], b["data_age_years"]) == (3, 1)
    # below a band 80–90: the gap is a share of its lower end
    assert (a["gap"], a["gap_pct"], b["gap"], b["gap_pct"]) == (-10.0, -12.5, None, None)
    assert (a["required_lower"], a["required_upper"], b["required_upper"]) == (80.0, 90.0, 85.0)
    assert (a["projection_method"], b["projection_method"]) == ("linear_least_squares", "none")
    assert (a["illustrative"], b["illustrative"]) == (True, False)
    assert (a["trend"], b["trend"]) == ("unknown", "improving")
    assert (a["latest_ci_lower"], a["latest_ci_upper"]) == (69.0, None)
    assert a["trend_years"] == [2022, 2023] and a["trend_sources"] == ["年鉴", "公报"]
    assert (a["latest_source"], b["latest_source"]) == ("公报", "统计年鉴")
    assert b["trend_years"] == b["trend_values"] == []


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("DOUBLE", [1.5, None, math.nan, -0.0, 2020.7]),
        ("INTEGER", [2020, None, 0]),
        ("VARCHAR", ["x", None, "", "2020.7"]),
        ("BOOLEAN", [True, False, None]),
        ("DECIMAL(5,2)", [Decimal("2020.70"), None]),
    ],
)
def test_columns_convert_as_the_helpers_do(kind: str, values: list[Any]) -> None:
    col = Columns({"c": values}, {"c": kind})
    same = lambda a, b: a == b or (a != a and b != b)  # noqa: E731  (NaN equals NaN here)
    assert all(map(same, col.floats("c"), map(as_float, values)))
    assert col.ints("c") == [as_int(v) for v in values]
    assert col.texts("c") == [as_text(v) for v in values]


class _Text(str):
    """A str subclass whose str() is not its text: json writes the text."""

    def __str__(self) -> str:
        return "not the text"


_A, _B = _Text("a"), _Text("b,")


class _Float(float):
    def __repr__(self) -> str:
        return "a float subclass"


_SHARED = [1.25, math.nan]
JSON_COLUMNS = [
    ['引号 "q" \\ back\nline\t\u2028', None, "", "x"],
    [1.5, None, -0.0, 1e22],
    [math.nan, math.inf, -math.inf, 1e-7],
    [3, None, -12, 10**20],
    [True, False, True, False],
    [True, 1, 0, None],
    [_SHARED, _SHARED, [], ["a", None]],
    [["a", "b"], ["a", "b"], [1, 2], [1, 2]],  # equal contents, distinct lists
    [[1, 2], [True, 2], [0.0], [-0.0]],  # equal as tuples, not as JSON
    [Decimal("1.50"), {"x": [1, {"y": 2}]}, _Float(2.5), datetime(2026, 1, 2)],
    [_A, "a", _B, None],
]


@pytest.mark.parametrize("column", JSON_COLUMNS)
def test_json_column_is_what_json_dumps_writes(column: list[Any]) -> None:
    expected = [json.dumps(v, ensure_ascii=False, default=str) for v in column]
    assert encode_column(column) == expected


def test_json_rows_are_json_dumps_of_each_row() -> None:
    names = [f"c{i}" for i in range(len(JSON_COLUMNS))] + ['per%cent "quoted"']
    columns = [*JSON_COLUMNS, ["%s", "%(x)s", "%%", "%"]]
    rows = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    expected = [json.dumps(r, ensure_ascii=False, default=str) for r in rows]
    assert encode_rows(names, columns) == expected


def test_csv_rows_come_from_the_columns(tmp_path: Path) -> None:
    columns = [["a", None, 'q "x", y'], [1.5, None, math.nan], [3, None, True]]
    write_csv(tmp_path / "out.csv", ["text", "float", "int"], columns)
    expected = 'text,float,int\r\na,1.5,3\r\n,,\r\n"q ""x"", y",nan,True\r\n'
    assert (tmp_path / "out.csv").read_bytes() == expected.encode("utf-8-sig")


def test_csv_list_columns_are_joined_per_row() -> None:
    years, values = [2019, 2020], [67.6, 68.15000001]
    assert trend_column([years, years, []], [values, values, []]) == [
        "2019:67.6;2020:68.15", "2019:67.6;2020:68.15", ""
    ]  # fmt: skip
    leads = ["卫健委", "教育局"]
    assert joined_column([leads, leads, ["一"], []]) == ["卫健委;教育局", "卫健委;教育局", "一", ""]


def test_failing_rows_read_a_missing_assessment_column_as_null(tmp_path: Path) -> None:
    from pipelines.report.queries import failing_rows

    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema monitoring; create schema marts")
        con.execute(
            "create table monitoring.validation_results as select 'r' as run_id, "
            "timestamp '2026-01-01' as validated_at, 'targets__p' as suite_name, 'e' as "
            "expectation_id, 'p__ind__2020' as target_id, 'p' as plan_id, 'r1' as region_id, "
            "1.0 as observed_value, '≥ 2' as threshold, 'warning' as severity, null as nature, "
            "null as lead_department, 'q' as source_quote, 'element' as row_kind"
        )
        con.execute(
            "create table marts.fct_target_assessment as select 'p__ind__2020' as target_id, "
            "'r1' as region_id, true as is_latest, 'not_met' as status"
        )
        rows = failing_rows(con, "r", datetime(2026, 1, 1))
    assert rows.raw("a_status") == ["not_met"] and rows.raw("a_gap") == [None]
    assert rows.types["a_gap"] == "DOUBLE" and len(rows) == 1
