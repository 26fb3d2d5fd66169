"""The monitors' failure report: content, order, CSV/JSON parity, offline rendering in chromium."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
from report_fixtures import chromium_args

from pipelines.report import build_failure_report

MISSED = [
    "jy__health_literacy_rate__2020",
    "jy__infant_mortality_rate__2020",
    "jy__smoking_rate__2020",
    "nt__under5_mortality_rate__2020",
]


@pytest.fixture(scope="module")
def report(report_db: Path, tmp_path_factory: pytest.TempPathFactory):
    return build_failure_report(report_db, "report-run-1", tmp_path_factory.mktemp("out"))


def test_rows_are_exactly_the_missed_targets(report, report_db: Path) -> None:
    with duckdb.connect(str(report_db), read_only=True) as con:
        missed = {
            r[0]
            for r in con.execute(
                "select target_id from marts.fct_target_assessment "
                "where is_latest and threshold_met = false"
            ).fetchall()
        }
    rows = json.loads(report.json.read_text(encoding="utf-8"))["rows"]
    assert {r["target_id"] for r in rows} == missed == set(MISSED)
    assert report.rows == 4 and report.binding_rows == 3


def test_order_is_plan_then_department_then_binding_first_then_how_far_off(report) -> None:
    rows = json.loads(report.json.read_text(encoding="utf-8"))["rows"]
    order = [(r["plan_id"], r["lead_department"], r["severity"], r["target_id"]) for r in rows]
    # infant mortality 5.6 against ≤ 5 is 12 % off; health literacy 23.4 against ≥ 25 is 6.4 %.
    assert order == [
        ("jy", "市卫健委", "critical", "jy__infant_mortality_rate__2020"),
        ("jy", "市卫健委", "critical", "jy__health_literacy_rate__2020"),
        ("jy", "市爱卫办", "warning", "jy__smoking_rate__2020"),
        ("nt", "市卫生健康委", "critical", "nt__under5_mortality_rate__2020"),
    ]


def test_row_content_observed_required_gap_trend(report) -> None:
    rows = {r["target_id"]: r for r in json.loads(report.json.read_text(encoding="utf-8"))["rows"]}
    hl = rows["jy__health_literacy_rate__2020"]
    assert hl["verdict_value"] == 23.4 and hl["threshold"] == "≥ 25"
    assert hl["gap"] == pytest.approx(23.4 - 25.0)
    assert hl["source_quote"] == "居民健康素养水平达到25%以上"
    assert hl["trend_years"] == [2017, 2018, 2019, 2020]
    assert hl["trend_values"] == [18.0, 20.5, 22.1, 23.4]
    assert hl["illustrative"] is True and rows["jy__smoking_rate__2020"]["illustrative"] is False
    assert rows["jy__smoking_rate__2020"]["threshold"] == "< 20"


def test_csv_has_the_same_rows_as_json(report) -> None:
    with report.csv.open(encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    json_rows = json.loads(report.json.read_text(encoding="utf-8"))["rows"]
    assert [r["target_id"] for r in csv_rows] == [r["target_id"] for r in json_rows]
    assert [float(r["verdict_value"]) for r in csv_rows] == [r["verdict_value"] for r in json_rows]
    assert csv_rows[0]["trend"] == "2017:4.9;2018:5.2;2019:5.4;2020:5.6"
    assert (report.latest_dir / "failure_report.csv").read_bytes() == report.csv.read_bytes()


def test_html_is_self_contained(report) -> None:
    html = report.html.read_text(encoding="utf-8")
    # No external assets: no scripts, stylesheets, images or fonts fetched from anywhere.
    assert not re.search(r"<(script|link|img|iframe)\b", html, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"'](?!#)", html, re.I)
    assert "url(" not in html
    assert html.count("<svg") == 4  # one trend chart per row


def _dump_dom(chromium: str, page: Path, profile: Path) -> str:
    result = subprocess.run(
        [chromium, *chromium_args(profile), "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.browser
def test_chromium_renders_what_a_monitor_reads(chromium: str, report, tmp_path: Path) -> None:
    dom = _dump_dom(chromium, report.html, tmp_path / "profile")
    text = re.sub(r"<[^>]+>", " ", dom)
    text = re.sub(r"\s+", " ", text)
    # Every missed target with its quote, region, observed and required values.
    assert "居民健康素养水平达到25%以上" in text
    assert "婴儿死亡率控制在5‰以下" in text
    assert "15岁以上人群吸烟率低于20%" in text
    assert "5岁以下儿童死亡率<6‰".replace("<", "&lt;") in dom or "5岁以下儿童死亡率<6‰" in text
    assert "23.4" in text and "≥ 25" in text and "-1.6" in text
    assert "7.25" in text and "≤ 6" in text
    assert "人均预期寿命达到80岁" not in text  # met targets are not reported
    assert text.count("示例数据 illustrative data") == 3
    # Per plan and lead department, binding first.
    assert text.index("市卫健委") < text.index("市爱卫办") < text.index("市卫生健康委")
    assert len(re.findall(r"<polyline", dom)) == 4


@pytest.mark.browser
def test_chromium_screenshot_is_not_blank(chromium: str, report, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = subprocess.run(
        [
            chromium,
            *chromium_args(tmp_path / "profile"),
            f"--screenshot={shot}",
            "--window-size=1280,900",
            report.html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    assert shot.stat().st_size > 20_000  # a rendered page, not an empty canvas


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
    assert "No missed targets in this run" in paths.html.read_text(encoding="utf-8")


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
    # An unknown run id falls back to the latest target validation.
    assert build_failure_report(db, "other-run", tmp_path / "out2").run_id == "same-run"
