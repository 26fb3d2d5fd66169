"""The report tests' warehouse content: targets, latest values, observations, reference names.

A module of its own (not ``conftest``) so that tests import it by a name no other test folder
uses: ``from conftest import …`` resolves to whichever folder's conftest pytest loaded last.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

# The warehouse builders live with the expectation tests (no package: import by path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "expectations"))

from gx_factory import target  # noqa: E402

TARGETS = [
    target(
        "jy__health_literacy_rate__2020",
        "jy",
        "health_literacy_rate",
        "ge",
        25.0,
        lead="市卫健委;市教育局",
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


RUN_ID = "3f9a1c2e-7b4d-4e8a-9c1f-5d6e7a8b9c0d"
EARLIER_RUN_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
REGIONS = {"jiangyin": "江阴市", "nantong": "南通市"}
UNITS = {"percent": "%", "per_mille": "‰", "years": "岁"}


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
                    "source": "示例：江阴市卫生健康统计年鉴（虚构数值）",
                    "file_path": "sample/obs.csv",
                    "ingested_at": pd.Timestamp("2026-01-01"),
                }
            )
    return pd.DataFrame(rows)


def add_report_references(db: Path, targets: list[dict]) -> None:
    """Region and unit names and the department bridge, as dbt builds them."""
    with duckdb.connect(str(db)) as con:
        con.execute(
            "create or replace table reference.regions as select * from (values "
            + ", ".join(f"('{k}', '{v}')" for k, v in REGIONS.items())
            + ") as t(region_id, name_zh)"
        )
        con.execute(
            "create or replace table reference.units as select * from (values "
            + ", ".join(f"('{k}', '{v}')" for k, v in UNITS.items())
            + ") as t(unit, label_zh)"
        )
        bridge = [
            (t["target_id"], t["plan_id"], dept.strip(), "lead", True)
            for t in targets
            for dept in (t["lead_department"] or "").split(";")
        ]
        con.execute(
            "create or replace table marts.dim_target_department (target_id varchar, "
            "plan_id varchar, department varchar, role varchar, is_stated boolean)"
        )
        con.executemany("insert into marts.dim_target_department values (?, ?, ?, ?, ?)", bridge)
