"""Count tables (deaths, births, population by region, age, sex and cause): long, detected from
the measure alone, and as a wide yearbook; real files ingested into a real DuckDB."""

from __future__ import annotations

from pipelines.ingest import ingest_file

from .conftest import query, write


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
