"""The fast report writers give the same files; the HTML is bounded, the CSV and JSON complete."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.report import build_failure_report, load_report_data
from pipelines.report.html import HTML_ROWS_PER_DEPARTMENT
from pipelines.report.jsonfile import report_parts
from pipelines.report.rows import LIST_FIELDS, ROW_FIELDS, ReportRow


def _same(text: str, payload: dict) -> None:
    """``text`` reads back as ``payload`` (compared as indented JSON: NaN equals NaN there)."""

    def indented(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2, default=str)

    assert indented(json.loads(text)) == indented(payload)


def test_json_reads_back_as_the_payload_one_row_per_line(report_db: Path, tmp_path: Path) -> None:
    paths = build_failure_report(report_db, "report-run-1", tmp_path)
    text = paths.json.read_text(encoding="utf-8")
    with duckdb.connect(str(report_db), read_only=True) as con:
        data = load_report_data(con, "report-run-1")
    rows = [r.as_dict() for r in data.rows]
    assert rows == [asdict(r) for r in data.rows]  # as_dict is dataclasses.asdict
    # the writers read the loader's columns: the same rows, in the same order
    assert data.columns == {name: [row[name] for row in rows] for name in ROW_FIELDS}
    assert len(rows) == 4
    payload = json.loads(text)
    _same(json.dumps(payload["rows"], default=str), rows)
    # each failing row is one line of the file (grep finds a row whole)
    assert _row_lines(text) == len(rows)


@pytest.mark.parametrize(
    "row",
    [
        {},
        {"a": '引号 "quoted" \\ back\nline\t\u2028', "b": None, "c": True, "d": False},
        {"n": 3, "f": 1.5, "g": 1e-7, "h": 1e22, "nan": math.nan, "inf": math.inf},
        {"neg_inf": -math.inf, "years": [2017, 2018], "values": [1.25, math.nan], "empty": []},
        {"decimal": Decimal("1.50"), "nested": {"x": [1, {"y": 2}]}, "list": ["a", None]},
    ],
)
def test_json_writer_reads_back_as_json_dumps_for_any_row(row: dict) -> None:
    head = {"run_id": "r", "validated_at": "2026-01-01 00:00:00", "missed": 2}
    tail = {"data_quality": [{"suite_name": "q", "is_structural": False, "failed_rules": 1}]}
    for rows in ([], [row], [row, {"other": 1}]):
        text = "".join(report_parts(head, "rows", rows, tail))
        expected = json.dumps({**head, "rows": rows, **tail}, ensure_ascii=False, default=str)
        _same(text, json.loads(expected))
        assert _row_lines(text) == len(rows)


def _row_lines(text: str) -> int:
    """Lines between the rows list's opening and closing lines (one per row). Split on newlines
    only, as a file is read line by line (``splitlines`` would also split at U+2028)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('  "rows": ['))
    if lines[start].rstrip(",").endswith("[]"):
        return 0
    end = next(i for i in range(start, len(lines)) if lines[i] in ("  ]", "  ],"))
    return end - start - 1


def _big_db(tmp_path: Path, n_regions: int) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "expectations"))
    from gx_factory import assessment_rows, build_warehouse, target

    from expectations.runner import run_target_validation

    targets = [
        target("big__life_expectancy__2020", "big", "life_expectancy", "ge", 80.0, lead="卫健委"),
        target("big__smoking_rate__2020", "big", "smoking_rate", "le", 20.0, lead="爱卫办"),
    ]
    regions = [f"county_{i:04d}" for i in range(n_regions)]
    latest = {}
    for i, region in enumerate(regions):
        latest[("big__life_expectancy__2020", region)] = 79.0 if i % 10 else 81.0
        latest[("big__smoking_rate__2020", region)] = 21.0
    assessment = assessment_rows(
        pd.DataFrame(targets), latest, regions={t["target_id"]: regions for t in targets}
    )
    db = build_warehouse(tmp_path / "big.duckdb", targets, assessment)
    run_target_validation(db, "big-run", None)
    return db


def test_html_is_bounded_but_csv_and_json_are_complete(tmp_path: Path) -> None:
    n = HTML_ROWS_PER_DEPARTMENT + 100
    db = _big_db(tmp_path, n)
    paths = build_failure_report(db, "big-run", tmp_path / "out")
    with duckdb.connect(str(db), read_only=True) as con:
        missed = con.execute(
            "select count(*) from marts.fct_target_assessment where threshold_met = false"
        ).fetchone()[0]
    life_missed = n - len(range(0, n, 10))
    assert missed == life_missed + n == paths.rows
    payload = json.loads(paths.json.read_text(encoding="utf-8"))
    assert len(payload["rows"]) == payload["missed"] == missed
    assert _row_lines(paths.json.read_text(encoding="utf-8")) == missed
    with paths.csv.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == missed
    html = paths.html.read_text(encoding="utf-8")
    # The binding list and each department's table stop at the bound and say how many rows are
    # only in CSV/JSON.
    assert html.count('<tr class="') == 3 * HTML_ROWS_PER_DEPARTMENT
    assert f"另有 {missed - HTML_ROWS_PER_DEPARTMENT} 项未在此页显示" in html
    assert f"另有 {life_missed - HTML_ROWS_PER_DEPARTMENT} 项未在此页显示" in html
    assert f"另有 {n - HTML_ROWS_PER_DEPARTMENT} 项未在此页显示" in html
    assert f"未达标：<b>{missed}</b>" in html  # the headline counts every row
    assert '<p class="warn">注意' not in html  # the mart and the validation agree


def test_report_row_fields_are_the_csv_columns() -> None:
    from pipelines.report import CSV_COLUMNS

    assert CSV_COLUMNS == [f for f in ReportRow.__dataclass_fields__ if f not in LIST_FIELDS]
