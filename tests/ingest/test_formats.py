"""Each documented landing-zone format, written as a real file and ingested into a real DuckDB."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from pipelines.ingest import ingest_file

from .conftest import query, write

OBS = (
    "select source_row, region_id, indicator_code, period, period_type, year, value, unit, "
    "original_value, original_unit from raw.observations order by file_path, sheet, source_row, "
    "period"
)

LONG_ZH = """\
地区,指标,年份,数值,单位,来源
江阴市,人均预期寿命,2020年,82.1,岁,统计公报
江阴,婴儿死亡率,2020,2.1,‰,
320281,IMR,2020Q3,0.21,%,
江阴,孕产妇死亡率,2020-06,9.8 ,/10万,
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_long_chinese_headers_in_every_encoding(con, raw_dir, reference, encoding):
    path = write(raw_dir / "long.csv", LONG_ZH, encoding)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.status, result.layout, result.encoding) == ("loaded", "long", encoding)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 4, 0)
    assert query(con, OBS) == [
        (2, "jiangyin", "life_expectancy", "2020", "year", 2020, 82.1, "years", "82.1", "岁"),
        (
            3,
            "jiangyin",
            "infant_mortality_rate",
            "2020",
            "year",
            2020,
            2.1,
            "per_mille",
            "2.1",
            "‰",
        ),
        # 0.21 % = 2.1 ‰: converted through units.csv factors
        (
            4,
            "jiangyin",
            "infant_mortality_rate",
            "2020Q3",
            "quarter",
            2020,
            2.1,
            "per_mille",
            "0.21",
            "%",
        ),
        (
            5,
            "jiangyin",
            "maternal_mortality_ratio",
            "2020-06",
            "month",
            2020,
            9.8,
            "per_100k",
            "9.8",
            "/10万",
        ),
    ]
    sources = query(con, "select source from raw.observations order by source_row")
    assert sources == [("统计公报",), (None,), (None,), (None,)]


def test_long_english_headers_trailing_units_ci_and_nature(con, raw_dir, reference):
    text = (
        "Region,Indicator_Code,Period,Value,Data_Nature,CI_Lower,CI_Upper,Source_Quote\n"
        "jiangyin,health_literacy_rate,2021,35.2%,illustrative,33,37.5,原文\n"
        'Nantong,regular_exercise_population,2021,"12,345万人",示例,,,\n'
    )
    path = write(raw_dir / "en.csv", text)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.rows_loaded == 2, result.message
    rows = query(
        con,
        "select region_id, indicator_code, value, unit, original_unit, data_nature, ci_lower, "
        "ci_upper, source_quote from raw.observations order by source_row",
    )
    assert rows == [
        (
            "jiangyin",
            "health_literacy_rate",
            35.2,
            "percent",
            "%",
            "illustrative",
            33.0,
            37.5,
            "原文",
        ),
        # 12,345 万人 = 1.2345 亿人 (persons_10k -> persons_100m)
        (
            "nantong",
            "regular_exercise_population",
            1.2345,
            "persons_100m",
            "万人",
            "illustrative",
            None,
            None,
            None,
        ),
    ]


WIDE = """\
江阴市主要健康指标（2018-2020）,,,,
,,年份,,
指标,单位,2018,2019,2020
人均预期寿命（岁）,,81.2,81.5,82
每千常住人口执业（助理）医师数,人,2.9,3.1,3.3
居民健康素养水平（%）,,20,,25.5
注：2020年为初步数,,,,
"""


def test_wide_yearbook_table_with_title_and_merged_header(con, raw_dir, reference):
    path = write(raw_dir / "yearbook.csv", WIDE)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.status, result.layout) == ("loaded", "wide"), result.message
    # 3 indicator rows x 3 years = 9 cells; the 2019 literacy cell is empty -> quarantined
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (9, 8, 1)
    assert "1 row(s) with no value" in result.message  # the footnote is reported, not lost
    rows = query(
        con,
        "select source_row, region_id, indicator_code, period, value, unit, original_unit from raw.observations order by source_row, period",
    )
    assert rows == [
        (4, "jiangyin", "life_expectancy", "2018", 81.2, "years", "岁"),
        (4, "jiangyin", "life_expectancy", "2019", 81.5, "years", "岁"),
        (4, "jiangyin", "life_expectancy", "2020", 82.0, "years", "岁"),
        # 人 on a per-1000-population indicator: the counted unit of a density (stays 2.9)
        (5, "jiangyin", "physicians_per_1000", "2018", 2.9, "per_1000_pop", "人"),
        (5, "jiangyin", "physicians_per_1000", "2019", 3.1, "per_1000_pop", "人"),
        (5, "jiangyin", "physicians_per_1000", "2020", 3.3, "per_1000_pop", "人"),
        (6, "jiangyin", "health_literacy_rate", "2018", 20.0, "percent", "%"),
        (6, "jiangyin", "health_literacy_rate", "2020", 25.5, "percent", "%"),
    ]
    assert query(con, "select source_row, column_name, reason_code from raw.quarantine") == [
        (6, "2019", "missing_value")
    ]


def _workbook(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    long = wb.add_worksheet("long")
    long.write_row(0, 0, ["地区", "指标", "年份", "数值"])
    long.write_row(1, 0, ["江阴", "人均预期寿命", 2019, 81.5])
    long.write_row(2, 0, ["江阴", "人均预期寿命", 2020, 82])
    wide = wb.add_worksheet("年鉴")
    wide.merge_range(0, 0, 0, 3, "南通市卫生统计")  # merged title cell
    wide.merge_range(2, 0, 3, 0, "指标")  # header merged over two rows
    wide.merge_range(2, 1, 2, 3, "年份")
    wide.write_row(3, 1, [2019, 2020, 2021])
    wide.write_row(4, 0, ["婴儿死亡率（‰）", 3.1, 2.9, 2.7])
    wb.add_worksheet("空白")
    counts = wb.add_worksheet("counts")
    counts.write_row(0, 0, ["region", "period", "measure", "value"])
    counts.write_row(1, 0, ["nantong", "2020", "live_births", 52000])
    wb.close()
    return path


def test_xlsx_each_sheet_is_its_own_table(con, raw_dir, reference):
    path = _workbook(raw_dir / "book.xlsx")
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.status == "loaded", result.message
    assert result.sheets == ["long", "年鉴", "counts"]
    assert "sheet '空白' is empty" in result.message
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 6, 0)
    rows = query(
        con,
        "select sheet, source_row, region_id, indicator_code, period, value from raw.observations order by sheet, source_row, period",
    )
    assert rows == [
        ("long", 2, "jiangyin", "life_expectancy", "2019", 81.5),
        ("long", 3, "jiangyin", "life_expectancy", "2020", 82.0),
        ("年鉴", 5, "nantong", "infant_mortality_rate", "2019", 3.1),
        ("年鉴", 5, "nantong", "infant_mortality_rate", "2020", 2.9),
        ("年鉴", 5, "nantong", "infant_mortality_rate", "2021", 2.7),
    ]
    assert query(
        con, "select sheet, source_row, region_id, measure, value from raw.count_observations"
    ) == [("counts", 2, "nantong", "live_births", 52000.0)]


def test_count_file_chinese_headers_and_codes(con, raw_dir, reference):
    text = (
        "地区,年份,指标,年龄组,性别,死因,数值\n"
        "江阴,2020,常住人口,合计,合计,,165.5万\n"
        "江阴,2020,死亡数,85岁以上,男,心脑血管疾病,120\n"
        '江阴,2020,死亡数,30-34,女,cancer,"1,001"\n'
        '江阴,2020,活产数,,,,"9,876"\n'
    )
    path = write(raw_dir / "counts.csv", text, "gb18030")
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.layout, result.rows_loaded, result.rows_quarantined) == ("counts", 4, 0), (
        result.message
    )
    rows = query(
        con,
        "select source_row, region_id, period, measure, age_group, sex, cause_group, value from raw.count_observations order by source_row",
    )
    assert rows == [
        (2, "jiangyin", "2020", "population", "all", "all", "all", 1655000.0),
        (3, "jiangyin", "2020", "deaths", "85+", "male", "cvd", 120.0),
        (4, "jiangyin", "2020", "deaths", "30-34", "female", "cancer", 1001.0),
        (5, "jiangyin", "2020", "live_births", "all", "all", "all", 9876.0),
    ]


def test_count_file_detected_from_measure_values_alone(con, raw_dir, reference):
    """地区,指标,年份,数值 with 活产数/常住人口 in 指标 is a count table, not observations."""
    text = "地区,指标,年份,数值\n南通,活产数,2021,50000\n南通,常住人口,2021,7726000\n"
    result = ingest_file(con, write(raw_dir / "c.csv", text), raw_dir, "r1", reference=reference)
    assert result.layout == "counts"
    assert query(con, "select measure, value from raw.count_observations order by value") == [
        ("live_births", 50000.0),
        ("population", 7726000.0),
    ]


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


def test_xlsx_percent_formatted_and_date_cells_load_as_displayed(con, raw_dir, reference):
    """A cell showing 35.6% stores 0.356; a period cell showing 2020-06 stores a date."""
    import datetime as dt

    path = raw_dir / "formatted.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("s")
    pct = wb.add_format({"num_format": "0.0%"})
    month = wb.add_format({"num_format": "yyyy-mm"})
    ws.write_row(1, 2, ["地区", "指标", "年份", "数值"])  # table starts at C2
    ws.write_row(2, 2, ["江阴", "居民健康素养水平"])
    ws.write_datetime(2, 4, dt.datetime(2020, 6, 1), month)
    ws.write_number(2, 5, 0.356, pct)
    ws.write_row(3, 2, ["江阴", "人均预期寿命", 2020, 82.5])
    wb.close()
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.rows_loaded == 2, result.message
    assert query(
        con, "select source_row, period, value, original_value from raw.observations order by 1"
    ) == [
        (3, "2020-06", 35.6, "35.6%"),
        (4, "2020", 82.5, "82.5"),
    ]


def test_semicolon_separated_csv(con, raw_dir, reference):
    text = "地区;指标;年份;数值\n江阴;人均预期寿命;2020;82,1\n江阴;人均预期寿命;2021;82.3\n"
    result = ingest_file(con, write(raw_dir / "semi.csv", text), raw_dir, "r1", reference=reference)
    # a decimal comma is not a thousands separator: quarantined, never read as 821
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1), result.message
    assert query(con, "select source_row, value from raw.observations") == [(3, 82.3)]
    assert query(con, "select source_row, reason_code from raw.quarantine") == [
        (2, "unparsable_value")
    ]


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


def test_name_and_code_columns_fill_each_other_crlf_and_trailing_units(con, raw_dir, reference):
    text = (
        "地 区,指标名称,指标代码,年份,数值,,\r\n"
        "江阴市,人均预期寿命,,2020,82.1岁,,\r\n"
        "江阴市,,infant_mortality_rate,2020,2.1,,\r\n"
    )
    result = ingest_file(con, write(raw_dir / "crlf.csv", text), raw_dir, "r1", reference=reference)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0), result.message
    assert query(
        con, "select indicator_code, value, original_unit from raw.observations order by 1"
    ) == [
        ("infant_mortality_rate", 2.1, None),
        ("life_expectancy", 82.1, "岁"),
    ]


def test_yearbook_of_counts_goes_to_count_observations(con, raw_dir, reference):
    text = (
        "南通市卫生资源（示例）,,\n"
        "指标,2019,2020\n"
        "常住人口（万人）,731.8,772.6\n"
        '医疗卫生机构床位数,"45,210","46,005"\n'
        "注：年末数,,\n"
    )
    result = ingest_file(con, write(raw_dir / "res.csv", text), raw_dir, "r1", reference=reference)
    assert (result.layout, result.rows_loaded, result.rows_quarantined) == ("counts", 4, 0), (
        result.message
    )
    assert query(
        con,
        "select source_row, region_id, period, measure, value from raw.count_observations order by 1, 3",
    ) == [
        (3, "nantong", "2019", "population", 7318000.0),
        (3, "nantong", "2020", "population", 7726000.0),
        (4, "nantong", "2019", "beds", 45210.0),
        (4, "nantong", "2020", "beds", 46005.0),
    ]
    assert query(con, "select count(*) from raw.observations") == [(0,)]
