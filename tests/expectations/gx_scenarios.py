"""Scenarios and session fixtures shared by the expectation tests (imported by conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from gx_factory import assessment_rows, build_warehouse, target

from expectations.runner import ValidationRun, run_quality_validation, run_target_validation

RA, RB = "ra", "rb"
EDGE_TARGETS = [
    # Each target is assessed in two regions: RA misses by the smallest step, RB sits on the edge.
    target("edge__health_literacy_rate__2020", "edge", "health_literacy_rate", "ge", 95.0),
    target("edge__life_expectancy__2020", "edge", "life_expectancy", "gt", 80.0, nature="expected"),
    target("edge__infant_mortality_rate__2020", "edge", "infant_mortality_rate", "le", 5.0),
    target("edge__smoking_rate__2020", "edge", "smoking_rate", "lt", 20.0, nature="unstated"),
    target(
        "edge__sex_ratio_at_birth__2020", "edge", "sex_ratio_at_birth", "range", 103.0, upper=107.0
    ),
    target(
        "edge__life_expectancy__2025", "edge", "life_expectancy", "about", 80.0, year=2025, tol=5.0
    ),
    target(
        "edge__infant_mortality_rate__2025",
        "edge",
        "infant_mortality_rate",
        "reduce_by_pct",
        10.0,
        year=2025,
        relative_to_year=2015,
    ),
    target(
        "edge__under5_mortality_rate__2025",
        "edge",
        "under5_mortality_rate",
        "improve",
        None,
        year=2025,
    ),
    target(
        "edge__health_literacy_rate__2025", "edge", "health_literacy_rate", "eq", 100.0, year=2025
    ),
    target(
        "other__smoking_rate__2030",
        "other",
        "smoking_rate",
        "reduce_by_pct",
        20.0,
        year=2030,
        relative_to_year=2015,
    ),
    target(
        "other__life_expectancy__2030",
        "other",
        "life_expectancy",
        "ge",
        79.0,
        year=2030,
        nature="expected",
    ),
    target(
        "other__sex_ratio_at_birth__2030", "other", "sex_ratio_at_birth", "none", None, year=2030
    ),
]
# (target, RA value, RB value); RA misses by the smallest step the unit allows (0.01).
EDGE_VALUES = {
    "edge__health_literacy_rate__2020": (94.99, 95.0),
    "edge__life_expectancy__2020": (80.0, 80.01),
    "edge__infant_mortality_rate__2020": (5.01, 5.0),
    "edge__smoking_rate__2020": (20.0, 19.99),
    "edge__sex_ratio_at_birth__2020": (107.01, 107.0),
    "edge__life_expectancy__2025": (75.99, 76.0),
    "edge__infant_mortality_rate__2025": (4.51, 4.5),
    "edge__under5_mortality_rate__2025": (6.0, 5.99),
    "edge__health_literacy_rate__2025": (99.99, 100.0),
    "other__smoking_rate__2030": (16.01, 16.01),  # RA has no reference; RB misses ≤ 16
    "other__life_expectancy__2030": (None, 79.0),  # RA: no data
    "other__sex_ratio_at_birth__2030": (105.0, 105.0),
}
EDGE_REFERENCE = {
    "edge__infant_mortality_rate__2025": (5.0, 5.0),
    "edge__under5_mortality_rate__2025": (6.0, 6.0),
    "other__smoking_rate__2030": (None, 20.0),  # RA: reference missing → not judged
}


def edge_assessment() -> pd.DataFrame:
    """Latest assessment rows for EDGE_TARGETS in RA and RB."""
    latest, reference = {}, {}
    for tid, (a, b) in EDGE_VALUES.items():
        latest[(tid, RA)], latest[(tid, RB)] = a, b
    for tid, (a, b) in EDGE_REFERENCE.items():
        reference[(tid, RA)], reference[(tid, RB)] = a, b
    regions = {t["target_id"]: [RA, RB] for t in EDGE_TARGETS}
    return assessment_rows(pd.DataFrame(EDGE_TARGETS), latest, reference, regions)


def observations(rows: list[tuple]) -> pd.DataFrame:
    """stg_observations-shaped rows from (region, indicator, year, value, unit)."""
    frame = pd.DataFrame(rows, columns=["region_id", "indicator_code", "year", "value", "unit"])
    frame["period"] = frame["year"].astype(str)
    frame["data_nature"] = "illustrative"
    frame["file_path"] = "sample/obs.csv"
    frame["ingested_at"] = pd.Timestamp("2026-01-01")
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


def clean_observations() -> pd.DataFrame:
    """Every (region, indicator, year) the edge targets need, all plausible and consistent."""
    rows = []
    units = {
        "health_literacy_rate": ("percent", 30.0),
        "life_expectancy": ("years", 80.0),
        "infant_mortality_rate": ("per_mille", 4.0),
        "under5_mortality_rate": ("per_mille", 5.0),
        "smoking_rate": ("percent", 20.0),
        "sex_ratio_at_birth": ("sex_ratio", 105.0),
    }
    for region in (RA, RB):
        for code, (unit, value) in units.items():
            for year in range(2015, 2022):
                rows.append((region, code, year, value, unit))
    return observations(rows)


@pytest.fixture(scope="session")
def edge_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("edge") / "edge.duckdb"
    return build_warehouse(path, EDGE_TARGETS, edge_assessment(), clean_observations())


@pytest.fixture(scope="session")
def edge_run(edge_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ValidationRun:
    docs = tmp_path_factory.mktemp("docs")
    return run_target_validation(edge_db, "run-edge-1", docs)


@pytest.fixture(scope="session")
def dirty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    obs = clean_observations()
    obs = obs[
        ~((obs.region_id == RA) & (obs.indicator_code == "smoking_rate") & (obs.year == 2019))
    ]
    bad = observations(
        [
            (RB, "health_literacy_rate", 2021, 101.0, "percent"),  # duplicate key + > 100 %
            (RA, "life_expectancy", 2022, 120.0, "years"),  # outside the human range
        ]
    )
    obs = pd.concat([obs, bad], ignore_index=True)
    # Under-5 mortality below infant mortality in RA 2018 (inconsistent definitions).
    obs.loc[
        (obs.region_id == RA)
        & (obs.indicator_code == "under5_mortality_rate")
        & (obs.year == 2018),
        "value",
    ] = 3.0
    path = tmp_path_factory.mktemp("dirty") / "dirty.duckdb"
    return build_warehouse(path, EDGE_TARGETS, edge_assessment(), obs)


@pytest.fixture(scope="session")
def dirty_quality(dirty_db: Path) -> ValidationRun:
    return run_quality_validation(dirty_db, "run-dirty", None)


@pytest.fixture(scope="session")
def clean_quality(edge_db: Path) -> Iterator[ValidationRun]:
    yield run_quality_validation(edge_db, "run-clean", None, persist=False)
