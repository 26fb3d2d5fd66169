"""Wide observation tables (one column per year): CSV yearbooks with titles and merged headers,
and workbooks (a table per sheet, formatted cells); real files ingested into a real DuckDB."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from pipelines.ingest import ingest_file

from .conftest import query, write

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
