"""Fixtures for the failure-report tests: a validated warehouse and a headless chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The warehouse builders live with the expectation tests (no package: import by path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "expectations"))

from gx_factory import assessment_rows, build_warehouse, target  # noqa: E402
from report_fixtures import ensure_chromium  # noqa: E402

TARGETS = [
    target(
        "jy__health_literacy_rate__2020",
        "jy",
        "health_literacy_rate",
        "ge",
        25.0,
        lead="市卫健委",
        quote="居民健康素养水平达到25%以上",
    ),
    target(
        "jy__smoking_rate__2020",
        "jy",
        "smoking_rate",
        "lt",
        20.0,
        nature="expected",
        lead="市爱卫办",
        quote="15岁以上人群吸烟率低于20%",
    ),
    target(
        "jy__infant_mortality_rate__2020",
        "jy",
        "infant_mortality_rate",
        "le",
        5.0,
        lead="市卫健委",
        quote="婴儿死亡率控制在5‰以下",
    ),
    target(
        "jy__life_expectancy__2020",
        "jy",
        "life_expectancy",
        "ge",
        80.0,
        lead="市卫健委",
        quote="人均预期寿命达到80岁",
    ),
    target(
        "nt__under5_mortality_rate__2020",
        "nt",
        "under5_mortality_rate",
        "le",
        6.0,
        region="nantong",
        lead="市卫生健康委",
        quote="5岁以下儿童死亡率<6‰",
    ),
]
LATEST = {
    ("jy__health_literacy_rate__2020", "jiangyin"): 23.4,  # missed, binding
    ("jy__smoking_rate__2020", "jiangyin"): 21.5,  # missed, expected
    ("jy__infant_mortality_rate__2020", "jiangyin"): 5.6,  # missed, binding
    ("jy__life_expectancy__2020", "jiangyin"): 81.2,  # met: must not appear
    ("nt__under5_mortality_rate__2020", "nantong"): 7.25,  # missed, other plan
}


def observations():
    import pandas as pd

    rows = []
    series = {
        ("jiangyin", "health_literacy_rate", "percent"): [18.0, 20.5, 22.1, 23.4],
        ("jiangyin", "smoking_rate", "percent"): [24.0, 23.1, 22.0, 21.5],
        ("jiangyin", "infant_mortality_rate", "per_mille"): [4.9, 5.2, 5.4, 5.6],
        ("jiangyin", "life_expectancy", "years"): [80.1, 80.5, 80.9, 81.2],
        ("nantong", "under5_mortality_rate", "per_mille"): [7.9, 7.6, 7.4, 7.25],
    }
    for (region, code, unit), values in series.items():
        for year, value in zip(range(2017, 2021), values, strict=True):
            rows.append(
                {
                    "region_id": region,
                    "indicator_code": code,
                    "period": str(year),
                    "year": year,
                    "value": value,
                    "unit": unit,
                    "data_nature": "illustrative",
                    "file_path": "sample/obs.csv",
                    "ingested_at": pd.Timestamp("2026-01-01"),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pandas as pd

    from expectations.runner import run_target_validation

    frame = pd.DataFrame(TARGETS)
    assessment = assessment_rows(frame, LATEST)
    # Only the smoking figure is official; the others stay illustrative.
    official = assessment["target_id"] == "jy__smoking_rate__2020"
    assessment.loc[official, "latest_is_illustrative"] = False
    assessment.loc[official, "latest_data_nature"] = "official"
    db = tmp_path_factory.mktemp("report") / "report.duckdb"
    build_warehouse(db, TARGETS, assessment, observations())
    run_target_validation(db, "report-run-1", None)
    return db


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium, installed by apt-get when missing (tests run as root)."""
    return ensure_chromium()
