"""Long observation tables (one row per value) in each documented spelling: Chinese and English
headers, encodings, separators, line ends; written as real files, ingested into a real DuckDB."""

from __future__ import annotations

import pytest

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


def test_semicolon_separated_csv(con, raw_dir, reference):
    text = "地区;指标;年份;数值\n江阴;人均预期寿命;2020;82,1\n江阴;人均预期寿命;2021;82.3\n"
    result = ingest_file(con, write(raw_dir / "semi.csv", text), raw_dir, "r1", reference=reference)
    # a decimal comma is not a thousands separator: quarantined, never read as 821
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1), result.message
    assert query(con, "select source_row, value from raw.observations") == [(3, 82.3)]
    assert query(con, "select source_row, reason_code from raw.quarantine") == [
        (2, "unparsable_value")
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
