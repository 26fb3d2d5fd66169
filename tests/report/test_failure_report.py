"""The monitors' failure report: content, order, history, CSV/JSON parity, self-contained HTML."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from report_data import RUN_ID

from pipelines.report import build_failure_report

MISSED = [
    "jy__health_literacy_rate__2020",
    "jy__infant_mortality_rate__2020",
    "jy__smoking_rate__2020",
    "nt__under5_mortality_rate__2020",
]


@pytest.fixture(scope="module")
def report(report_db: Path, tmp_path_factory: pytest.TempPathFactory):
    return build_failure_report(
        report_db, RUN_ID, tmp_path_factory.mktemp("out"), trigger="schedule"
    )


def _rows(report) -> dict[str, dict]:
    return {r["target_id"]: r for r in json.loads(report.json.read_text(encoding="utf-8"))["rows"]}


def test_rows_are_exactly_the_missed_targets(report, report_db: Path) -> None:
    with duckdb.connect(str(report_db), read_only=True) as con:
        missed = {
            r[0]
            for r in con.execute(
                "select target_id from marts.fct_target_assessment "
                "where is_latest and threshold_met = false"
            ).fetchall()
        }
    assert set(_rows(report)) == missed == set(MISSED)
    assert report.rows == 4 and report.binding_rows == 3


def test_run_is_named_by_beijing_date_and_trigger_not_uuid(report) -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d 定时运行", report.run_name)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d{4}_schedule", report.html.parent.name)
    payload = json.loads(report.json.read_text(encoding="utf-8"))
    assert payload["run"] == report.run_name and payload["trigger"] == "schedule"
    # Beijing time is UTC + 8 h.
    from datetime import datetime, timedelta

    utc = datetime.fromisoformat(payload["validated_at"])
    assert payload["validated_at_beijing"] == (utc + timedelta(hours=8)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def test_order_is_plan_then_department_then_binding_first_then_how_far_off(report) -> None:
    rows = json.loads(report.json.read_text(encoding="utf-8"))["rows"]
    order = [(r["plan_id"], r["lead_department"], r["severity"], r["target_id"]) for r in rows]
    # infant mortality 5.6 against ≤ 5 is 12 % off; health literacy 23.4 against ≥ 25 is 6.4 %.
    assert order == [
        ("jy", "市卫健委", "critical", "jy__infant_mortality_rate__2020"),
        ("jy", "市卫健委；市教育局", "critical", "jy__health_literacy_rate__2020"),
        ("jy", "市爱卫办", "warning", "jy__smoking_rate__2020"),
        ("nt", "市卫生健康委", "critical", "nt__under5_mortality_rate__2020"),
    ]


def test_row_content_gap_share_sources_and_joint_leads(report) -> None:
    rows = _rows(report)
    hl = rows["jy__health_literacy_rate__2020"]
    assert hl["verdict_value"] == 23.4 and hl["threshold"] == "≥ 25"
    assert hl["gap"] == pytest.approx(23.4 - 25.0)
    assert hl["gap_pct"] == pytest.approx((23.4 - 25.0) / 25.0 * 100)
    assert hl["unit"] == "%" and hl["region_name"] == "江阴市"
    assert hl["departments"] == ["市卫健委", "市教育局"]
    assert hl["source_quote"] == "居民健康素养水平达到25%以上"
    assert hl["trend_years"] == [2017, 2018, 2019, 2020]
    assert hl["trend_values"] == [18.0, 20.5, 22.1, 23.4]
    assert set(hl["trend_sources"]) == {"示例：江阴市卫生健康统计年鉴（虚构数值）"}
    assert hl["illustrative"] is True and rows["jy__smoking_rate__2020"]["illustrative"] is False
    assert rows["jy__smoking_rate__2020"]["threshold"] == "< 20"


def test_failing_since_and_new_come_from_the_validation_history(report) -> None:
    rows = _rows(report)
    payload = json.loads(report.json.read_text(encoding="utf-8"))
    smoking = rows["jy__smoking_rate__2020"]  # passed a month ago: new in this run
    assert smoking["is_new"] is True and smoking["failing_validations"] == 1
    assert smoking["failing_since"] == payload["validated_at"]
    infant = rows["jy__infant_mortality_rate__2020"]  # failed a month ago too
    assert infant["is_new"] is False and infant["failing_validations"] == 2
    since = datetime.fromisoformat(infant["failing_since"])
    assert (datetime.fromisoformat(payload["validated_at"]) - since).days >= 29  # a month back


def test_csv_has_the_same_rows_as_json(report) -> None:
    with report.csv.open(encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    json_rows = json.loads(report.json.read_text(encoding="utf-8"))["rows"]
    assert [r["target_id"] for r in csv_rows] == [r["target_id"] for r in json_rows]
    assert [float(r["verdict_value"]) for r in csv_rows] == [r["verdict_value"] for r in json_rows]
    assert csv_rows[0]["trend"] == "2017:4.9;2018:5.2;2019:5.4;2020:5.6"
    assert csv_rows[1]["departments"] == "市卫健委;市教育局"
    assert (report.latest_dir / "failure_report.csv").read_bytes() == report.csv.read_bytes()
    # latest/ holds the run's own files (hard links), not second copies of up to 300 MB
    for path in (report.html, report.csv, report.json):
        assert (report.latest_dir / path.name).stat().st_ino == path.stat().st_ino
    assert not [p for p in report.csv.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_html_is_self_contained_chinese_and_without_internal_ids(report) -> None:
    html = report.html.read_text(encoding="utf-8")
    # No external assets: no scripts, stylesheets, images or fonts fetched from anywhere.
    assert not re.search(r"<(script|link|img|iframe)\b", html, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"'](?!#)", html, re.I)
    assert "url(" not in html
    assert html.count('class="trend"') == 4  # one full chart per target page
    assert RUN_ID not in html and "report-run" not in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert not any(t in text for t in MISSED)  # no internal target ids shown
    assert "jiangyin" not in text and "江阴市" in text
    # one precision per unit: percent one decimal, per mille two
    assert "23.4%" in text and "5.60‰" in text and "93.1079" not in text
    assert "低于要求 1.6%" in text and "超出要求 0.60‰" in text and "占目标值 12.0%" in text


def test_empty_run_says_so(tmp_path: Path) -> None:
    import pandas as pd
    from gx_factory import assessment_rows, build_warehouse, target

    from expectations.runner import run_target_validation

    t = [target("ok__life_expectancy__2020", "ok", "life_expectancy", "ge", 80.0)]
    db = build_warehouse(
        tmp_path / "ok.duckdb",
        t,
        assessment_rows(pd.DataFrame(t), {("ok__life_expectancy__2020", "jiangyin"): 81.0}),
    )
    run_target_validation(db, "ok-run", None)
    paths = build_failure_report(db, "ok-run", tmp_path / "out")
    assert paths.rows == 0
    assert "本次运行没有未达标的目标。" in paths.html.read_text(encoding="utf-8")


def test_revalidating_the_same_run_reports_the_latest_validation_once(tmp_path: Path) -> None:
    import pandas as pd
    from gx_factory import assessment_rows, build_warehouse, target

    from expectations.runner import run_target_validation

    t = [target("x__life_expectancy__2020", "x", "life_expectancy", "ge", 80.0)]
    db = build_warehouse(
        tmp_path / "x.duckdb",
        t,
        assessment_rows(pd.DataFrame(t), {("x__life_expectancy__2020", "jiangyin"): 79.0}),
    )
    run_target_validation(db, "same-run", None)
    run_target_validation(db, "same-run", None)
    paths = build_failure_report(db, "same-run", tmp_path / "out")
    assert paths.rows == 1
    # Without a department bridge the plan's own lead is the department.
    row = json.loads(paths.json.read_text(encoding="utf-8"))["rows"][0]
    assert row["departments"] == ["市卫健委"]
    # An unknown run id falls back to the latest target validation.
    assert build_failure_report(db, "other-run", tmp_path / "out2").run_id == "same-run"
