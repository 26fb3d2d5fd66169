"""One precision per unit, Beijing time, run names, and the trend chart's parts."""

from __future__ import annotations

import csv
import re
from datetime import datetime

from pipelines.config import SEEDS_DIR
from pipelines.report.charts import Series, nice_ticks, trend_chart
from pipelines.report.fmt import gap_text, number, unit_decimals, with_unit
from pipelines.report.timefmt import beijing, run_name, trigger_from_tags


def test_every_unit_has_a_display_precision() -> None:
    with (SEEDS_DIR / "units.csv").open(encoding="utf-8", newline="") as fh:
        units = {r["unit"] for r in csv.DictReader(fh)}
    missing = units - set(unit_decimals())
    assert not missing, f"units without a row in unit_display.csv: {sorted(missing)}"


def test_one_precision_per_unit() -> None:
    assert with_unit(93.1079, "percent", "%") == "93.1%"
    assert with_unit(282.352, "persons", "人") == "282 人"
    assert with_unit(5.6, "per_mille", "‰") == "5.60‰"
    assert number(-1.25, "per_mille") == "−1.25" and number(12345.6, "yuan") == "12,346"
    assert gap_text(-0.6, -12.0, 5.6, 5.0, "per_mille", "‰") == ("超出要求 0.60‰", "占目标值 12.0%")
    assert gap_text(-1.6, -6.4, 23.4, None, "percent", "%") == ("低于要求 1.6%", "占目标值 6.4%")


def test_beijing_time_and_run_names() -> None:
    utc = datetime(2026, 12, 4, 22, 0, 5)  # stored naive = UTC
    assert beijing(utc) == "2026-12-05 06:00"
    assert run_name(utc, "schedule") == "2026-12-05 06:00 定时运行"
    assert run_name(utc, "sensor", "en") == "2026-12-05 06:00 New-data run"
    assert trigger_from_tags({"dagster/schedule_name": "daily"}) == "schedule"
    assert trigger_from_tags({"dagster/sensor_name": "landing"}) == "sensor"
    assert trigger_from_tags({}) == "manual"


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(4.9, 5.6) == [4.8, 5.0, 5.2, 5.4, 5.6]
    ticks = nice_ticks(0.0, 0.0)
    assert len(ticks) >= 2 and ticks[0] <= 0.0 <= ticks[-1]


def test_trend_chart_has_years_target_projection_and_bands() -> None:
    svg = trend_chart(
        Series(
            years=[2018, 2019, 2020, 2021],
            values=[20.0, 21.0, 21.5, 22.0],
            unit="percent",
            unit_label="%",
            required=[25.0],
            target_year=2025,
            projected_value=23.5,
            projected_lower=22.0,
            projected_upper=25.0,
            ci_lower=21.0,
            ci_upper=23.0,
            latest_year=2021,
        ),
        title="健康素养水平 · 江阴市",
    )
    years = re.findall(r'class="axis-year"[^>]*>(\d{4})<', svg)
    assert years[0] == "2018" and years[-1] == "2025"  # the axis runs to the target year
    for part in ("target-line", "projection", "projection-band", "interval"):
        assert f'class="{part}"' in svg
    assert trend_chart(Series([], [], "percent", "%")) == ""
