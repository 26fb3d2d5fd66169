"""Crafted raw rows (CONTRACTS §2) for the dbt tests, with the expected answers derived from
them independently of the SQL (see the tests)."""

from __future__ import annotations

from datetime import datetime

import duckdb
from raw_arrivals import record_loaded_arrival

from pipelines.ingest.schema import ARRIVAL_KEY, FILE_LINEAGE, STORED_BY_ARRIVAL

ASSESSMENT_YEAR = 2023

#: (region, indicator, year, value) reported as official, ingested 2024-06-01.
OBSERVATIONS: list[tuple[str, str, int, float]] = [
    ("testville", "health_literacy_rate", 2020, 25.0),
    ("testville", "health_literacy_rate", 2021, 28.0),  # revises 27.0 (see REVISED)
    ("testville", "health_literacy_rate", 2022, 31.0),
    ("testville", "immunization_coverage", 2022, 98.5),
    ("town_a", "immunization_coverage", 2023, 99.5),
    ("testville", "sex_ratio_at_birth", 2020, 111.0),
    ("testville", "sex_ratio_at_birth", 2021, 110.0),
    ("testville", "sex_ratio_at_birth", 2022, 109.0),
    ("testville", "sex_ratio_at_birth", 2023, 108.0),
    ("testville", "premature_ncd_mortality", 2015, 20.0),
    ("testville", "premature_ncd_mortality", 2023, 17.5),
    # national: 2013 and 2016-17 but no 2015 -> the 2030 target's reference is missing
    ("china", "premature_ncd_mortality", 2013, 19.1),
    ("china", "premature_ncd_mortality", 2016, 18.0),
    ("china", "premature_ncd_mortality", 2017, 17.6),
    ("china", "oop_share_of_health_expenditure", 2015, 30.0),
    ("china", "oop_share_of_health_expenditure", 2016, 29.8),
    ("china", "oop_share_of_health_expenditure", 2017, 29.7),
    ("china", "oop_share_of_health_expenditure", 2018, 29.6),
    ("china", "oop_share_of_health_expenditure", 2019, 29.5),
    ("china", "oop_share_of_health_expenditure", 2020, 29.3),
    ("china", "air_quality_good_days_ratio", 2020, 87.0),
    ("china", "air_quality_good_days_ratio", 2022, 86.5),
    ("china", "air_quality_good_days_ratio", 2023, 85.0),
    ("testville", "smoking_rate_15plus", 2022, 25.0),
    ("testville", "smoking_rate_15plus", 2023, 24.5),
    ("testville", "life_expectancy", 2022, 85.0),
    ("testville", "physicians_per_1000", 2020, 2.5),
    ("testville", "physicians_per_1000", 2023, 3.1),
    ("testville", "child_health_management_rate", 2022, 100.0),
    # a year after the assessment year: must be invisible to the assessment
    ("testville", "smoking_rate_15plus", 2024, 15.0),
]

#: International estimates whose definitions differ from the national indicators (catalogue
#: rows with comparable_to): shown beside the targets, never assessed.
ESTIMATES: list[tuple[str, str, int, float]] = [
    ("china", "life_expectancy_un_wpp", 2021, 78.2),
    ("china", "oop_share_who_ghed", 2022, 33.587),
    # with 2015, the worked vector of assessment-methods.md (one target assesses it directly)
    ("china", "oop_share_who_ghed", 2015, 35.089),
]

#: An earlier file with a value the later file revises (same key).
REVISED = ("testville", "health_literacy_rate", 2021, 27.0)
REVISED_AT = datetime(2024, 1, 1, 8, 0, 0)
LOADED_AT = datetime(2024, 6, 1, 8, 0, 0)

UNITS = {
    "health_literacy_rate": "percent",
    "immunization_coverage": "percent",
    "sex_ratio_at_birth": "sex_ratio",
    "premature_ncd_mortality": "percent",
    "oop_share_of_health_expenditure": "percent",
    "air_quality_good_days_ratio": "percent",
    "smoking_rate_15plus": "percent",
    "life_expectancy": "years",
    "physicians_per_1000": "per_1000_pop",
    "child_health_management_rate": "percent",
    "life_expectancy_un_wpp": "years",
    "oop_share_who_ghed": "percent",
}

AGE_BANDS = [
    "0", "1-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
    "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+",
]  # fmt: skip

#: SDG 3.4.1 check vector: M for 30-34 … 65-69 (assessment-methods §A3) -> 40q30 = 0.2443.
NCD_RATES = [0.001, 0.0015, 0.0025, 0.004, 0.006, 0.009, 0.013, 0.019]
NCD_BAND_POPULATION = 100_000.0

#: Testville 2022 by age band: (population, all-cause deaths). NCD bands: population 100 000,
#: deaths = 1.5 × the NCD deaths (so all-cause > NCD).
LIFE_TABLE_INPUT: dict[str, tuple[float, float]] = {
    "0": (13_000.0, 5.0),
    "1-4": (52_000.0, 3.0),
    "5-9": (70_000.0, 2.0),
    "10-14": (68_000.0, 2.0),
    "15-19": (66_000.0, 4.0),
    "20-24": (80_000.0, 6.0),
    "25-29": (90_000.0, 8.0),
    **{
        band: (NCD_BAND_POPULATION, 1.5 * m * NCD_BAND_POPULATION)
        for band, m in zip(AGE_BANDS[7:15], NCD_RATES, strict=True)
    },
    "70-74": (60_000.0, 1_500.0),
    "75-79": (45_000.0, 2_000.0),
    "80-84": (30_000.0, 2_400.0),
    "85+": (20_000.0, 3_200.0),
}

LIVE_BIRTHS_2022 = 13_000.0
INFANT_DEATHS_2022 = 5.0
MATERNAL_DEATHS_2022 = 0.0
GPS_2023 = 400.0  # illustrative
POPULATION_2023 = 1_000_000.0


def _lineage(file_path: str, ingested_at: datetime, row: int) -> dict[str, object]:
    return {
        "file_hash": f"hash-{file_path}",
        "file_path": file_path,
        "sheet": None,
        "source_row": row,
        "ingested_at": ingested_at,
        "run_id": "test-run",
    }


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, object]]) -> None:
    """Insert dict rows into raw.<table> (for a table stored by arrival, its stored rows, each
    keyed by the arrival of its lineage in raw.ingested_files, recorded if missing)."""
    if table in STORED_BY_ARRIVAL:
        rows = [_keyed_by_arrival(con, row) for row in rows]
        table = STORED_BY_ARRIVAL[table]
    columns = list(rows[0])
    placeholders = ", ".join("?" for _ in columns)
    con.executemany(
        f"insert into raw.{table} ({', '.join(columns)}) values ({placeholders})",
        [[row[c] for c in columns] for row in rows],
    )


def _keyed_by_arrival(con: duckdb.DuckDBPyConnection, row: dict[str, object]) -> dict[str, object]:
    """``row`` without its file lineage, with the key of the arrival that has that lineage (a
    ``loaded`` arrival is recorded for a lineage that has none, as ingestion would have)."""
    lineage = [row[c] for c in FILE_LINEAGE]
    match = " and ".join(f"{c} = ?" for c in FILE_LINEAGE)
    found = con.execute(
        f"select {ARRIVAL_KEY} from raw.ingested_files where {match}", lineage
    ).fetchone()
    arrival = found[0] if found else record_loaded_arrival(con, lineage)
    return {ARRIVAL_KEY: arrival, **{k: v for k, v in row.items() if k not in FILE_LINEAGE}}


def _observation(
    region: str, indicator: str, year: int, value: float, file_path: str, at: datetime, row: int
) -> dict[str, object]:
    return {
        **_lineage(file_path, at, row),
        "region_id": region,
        "indicator_code": indicator,
        "period": str(year),
        "period_type": "year",
        "year": year,
        "value": value,
        "unit": UNITS[indicator],
        "original_value": str(value),
        "original_unit": UNITS[indicator],
        "source": "test statistics bulletin",
        "source_quote": None,
        "data_nature": "official",
        "ci_lower": None,
        "ci_upper": None,
    }


def _count(
    measure: str,
    value: float,
    year: int = 2022,
    age_group: str = "all",
    cause_group: str = "all",
    data_nature: str = "official",
    row: int = 1,
) -> dict[str, object]:
    return {
        **_lineage("counts/testville.csv", LOADED_AT, row),
        "region_id": "testville",
        "period": str(year),
        "year": year,
        "measure": measure,
        "age_group": age_group,
        "sex": "all",
        "cause_group": cause_group,
        "value": value,
        "source": "test register",
        "data_nature": data_nature,
    }


def count_rows() -> list[dict[str, object]]:
    """Testville counts: births and child/maternal deaths 2022, deaths and population by age
    band 2022 (all causes, and cvd/cancer in the NCD bands), GPs 2023 (illustrative)."""
    rows = [
        _count("live_births", LIVE_BIRTHS_2022),
        _count("infant_deaths", INFANT_DEATHS_2022),
        _count("maternal_deaths", MATERNAL_DEATHS_2022),
        _count("gps", GPS_2023, year=2023, data_nature="illustrative"),
        _count("population", POPULATION_2023, year=2023),
    ]
    for band, (population, deaths) in LIFE_TABLE_INPUT.items():
        rows.append(_count("population", population, age_group=band))
        rows.append(_count("deaths", deaths, age_group=band))
    for band, m in zip(AGE_BANDS[7:15], NCD_RATES, strict=True):
        ncd_deaths = m * NCD_BAND_POPULATION
        rows.append(_count("deaths", ncd_deaths * 0.6, age_group=band, cause_group="cvd"))
        rows.append(_count("deaths", ncd_deaths * 0.4, age_group=band, cause_group="cancer"))
    for i, row in enumerate(rows, start=2):
        row["source_row"] = i
    return rows


def load_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Insert every crafted row (the raw schema must exist)."""
    observations = [
        _observation(*obs, file_path="obs/bulletin_2024.csv", at=LOADED_AT, row=i)
        for i, obs in enumerate(OBSERVATIONS, start=2)
    ]
    observations.append(_observation(*REVISED, "obs/bulletin_2023.csv", REVISED_AT, 2))
    for i, est in enumerate(ESTIMATES, start=2):
        row = _observation(*est, file_path="real/estimates.csv", at=LOADED_AT, row=i)
        row["data_nature"] = "international_estimate"
        observations.append(row)
    insert(con, "observations", observations)
    insert(con, "count_observations", count_rows())
