"""Death and birth registers (one record per event), aggregated in DuckDB into counts: CSV,
Parquet, GBK, titled exports; real files ingested into a real DuckDB."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.ingest import ingest_file

from .conftest import query, write

DEATHS = [
    # region, death_date, age, sex, icd10, maternal, birth_date
    ("jiangyin", "2020-01-05", "0", "男", "P07.3", "0", "2019-12-20"),  # neonatal, infant
    ("jiangyin", "2020-02-01", "0.5", "女", "J18", "0", "2019-08-01"),  # infant, not neonatal
    ("jiangyin", "2020-03-01", "3", "1", "A09", "0", None),  # under-5
    ("jiangyin", "2020-04-01", "55", "女", "C34.1", "0", None),  # cancer 55-59
    ("jiangyin", "2020-04-02", "57", "2", "C50", "0", None),  # cancer 55-59
    ("jiangyin", "2020/05/01", "67", "男", "I21.9", "0", None),  # cvd 65-69
    ("320281", "2020-06-01", "31", "女", "O72.1", "1", None),  # maternal
    ("江阴", "2021-01-01", "88", "男", "E11", "0", None),  # 2021, diabetes 85+
    ("atlantis", "2020-01-01", "50", "男", "I10", "0", None),  # unknown region
    ("jiangyin", "2020-02-30", "50", "男", "I10", "0", None),  # invalid date
    ("jiangyin", "2020-02-01", "-3", "男", "I10", "0", None),  # invalid age
    ("jiangyin", "2020-02-01", "40", "x", "I10", "0", None),  # invalid sex
    ("jiangyin", "2020-02-01", "40", "男", "99", "0", None),  # invalid ICD-10
    ("jiangyin", "2020-02-01", "40", "男", "I10", "maybe", None),  # invalid maternal flag
]
DEATH_COLUMNS = ["region", "death_date", "age", "sex", "icd10", "maternal", "birth_date"]

EXPECTED_DEATH_COUNTS = [
    ("deaths", "2020", "0", "female", "other", 1.0),
    ("deaths", "2020", "0", "male", "other", 1.0),
    ("deaths", "2020", "1-4", "male", "other", 1.0),
    ("deaths", "2020", "30-34", "female", "maternal", 1.0),
    ("deaths", "2020", "55-59", "female", "cancer", 2.0),
    ("deaths", "2020", "65-69", "male", "cvd", 1.0),
    ("deaths", "2021", "85+", "male", "diabetes", 1.0),
    ("infant_deaths", "2020", "all", "all", "all", 2.0),
    ("infant_deaths", "2021", "all", "all", "all", 0.0),
    ("maternal_deaths", "2020", "all", "all", "all", 1.0),
    ("maternal_deaths", "2021", "all", "all", "all", 0.0),
    ("neonatal_deaths", "2020", "all", "all", "all", 1.0),
    ("neonatal_deaths", "2021", "all", "all", "all", 0.0),
    ("under5_deaths", "2020", "all", "all", "all", 3.0),
    ("under5_deaths", "2021", "all", "all", "all", 0.0),
]
COUNTS = (
    "select measure, period, age_group, sex, cause_group, value from raw.count_observations "
    "where region_id = 'jiangyin' order by measure, period, age_group, sex, cause_group"
)


def _expected_quarantine(first_row: int) -> list[tuple]:
    return [
        (first_row + 8, "region", "unknown_region"),
        (first_row + 9, "death_date", "invalid_record"),
        (first_row + 10, "age", "invalid_record"),
        (first_row + 11, "sex", "invalid_record"),
        (first_row + 12, "icd10", "invalid_record"),
        (first_row + 13, "maternal", "invalid_record"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_death_register_aggregated_in_duckdb(con, raw_dir, reference, fmt):
    frame = pl.DataFrame(DEATHS, schema=DEATH_COLUMNS, orient="row")
    path = raw_dir / f"deaths.{fmt}"
    frame.write_csv(path) if fmt == "csv" else frame.write_parquet(path)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.status, result.layout) == ("loaded", "death_register"), result.message
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (14, 8, 6)
    assert query(con, COUNTS) == EXPECTED_DEATH_COUNTS
    first = 2 if fmt == "csv" else 1  # CSV line 1 is the header; Parquet rows count from 1
    quarantined = query(
        con, "select source_row, column_name, reason_code from raw.quarantine order by source_row"
    )
    assert quarantined == _expected_quarantine(first)
    msg = query(con, "select message, original_row from raw.quarantine where column_name = 'age'")[
        0
    ]
    assert msg[0] == f"deaths.{fmt}: row {first + 10}, column 'age': invalid age '-3'"
    assert '"age":"-3"' in msg[1].replace(" ", "")
    # register aggregates carry file lineage but no source row
    assert query(
        con, "select distinct file_path, sheet, source_row from raw.count_observations"
    ) == [(f"deaths.{fmt}", None, None)]


def test_birth_register_by_sex_from_gbk_csv(con, raw_dir, reference):
    text = "地区,出生日期,性别\n江阴,2020-01-01,男\n江阴,2020-02-01,女\n江阴,2020-03-01,男\n南通,2021-01-01,女\n南通,2021-13-01,女\n"
    path = write(raw_dir / "births.csv", text, "gbk")
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.layout, result.encoding) == ("birth_register", "gb18030")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 4, 1)
    rows = query(
        con,
        "select region_id, period, measure, sex, value from raw.count_observations order by 1, 2, 4",
    )
    assert rows == [
        ("jiangyin", "2020", "live_births", "female", 1.0),
        ("jiangyin", "2020", "live_births", "male", 2.0),
        ("nantong", "2021", "live_births", "female", 1.0),
    ]
    assert query(con, "select source_row, column_name from raw.quarantine") == [(6, "出生日期")]


def test_register_csv_with_title_lines_keeps_line_numbers(con, raw_dir, reference):
    text = (
        "江阴市死亡登记（导出）\n\n"
        "地区,死亡日期,年龄,性别,根本死因,孕产妇死亡\n"
        "江阴,2020-01-01,70,男,I21,0\n"
        "江阴,2020-01-02,abc,男,I21,0\n"
    )
    result = ingest_file(con, write(raw_dir / "reg.csv", text), raw_dir, "r1", reference=reference)
    assert (result.layout, result.rows_loaded, result.rows_quarantined) == ("death_register", 1, 1)
    assert query(con, "select source_row, column_name, reason_code from raw.quarantine") == [
        (5, "年龄", "invalid_record")
    ]
