"""Bad input: every quarantine reason and every class of rejected file, with exact outcomes."""

from __future__ import annotations

import xlsxwriter

from pipelines.ingest import ingest_file

from .conftest import query, write

BAD_ROWS = """\
region,indicator,period,value,unit
jiangyin,life_expectancy,2019,81.0,
jiangyin,no_such_indicator,2020,1,
atlantis,life_expectancy,2020,80,
jiangyin,life_expectancy,2021,约3.5,
jiangyin,life_expectancy,2022,—,
jiangyin,life_expectancy,2023,,
jiangyin,life_expectancy,20XX,80,
jiangyin,life_expectancy,2020-13,80,
jiangyin,health_literacy_rate,2020,30,张
jiangyin,health_literacy_rate,2021,30,furlongs
jiangyin,life_expectancy,2024,180,
nantong,life_expectancy,2020,80,
nantong,life_expectancy,2020,81,
nantong,infant_mortality_rate,2020,3,
nantong,infant_mortality_rate,2020,3,
jiangyin,life_expectancy,2025,82 左右,
,life_expectancy,2026,82,
"""

EXPECTED = [
    (3, "indicator", "unknown_indicator"),
    (4, "region", "unknown_region"),
    (5, "value", "unparsable_value"),
    (6, "value", "unparsable_value"),
    (7, "value", "missing_value"),
    (8, "period", "invalid_period"),
    (9, "period", "invalid_period"),
    (10, "unit", "unconvertible_unit"),
    (11, "unit", "unconvertible_unit"),
    (12, "value", "implausible_value"),
    (13, "value", "conflicting_duplicate"),
    (14, "value", "conflicting_duplicate"),
    (16, "value", "conflicting_duplicate"),  # exact repeat of row 15: row 15 loads, 16 does not
    (17, "value", "unparsable_value"),
    (18, "region", "missing_value"),
]


def test_every_quarantine_reason_with_row_column_and_original_text(con, raw_dir, reference):
    path = write(raw_dir / "bad_rows.csv", BAD_ROWS)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.status == "loaded"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (17, 2, 15)
    rows = query(
        con,
        "select source_row, column_name, reason_code from raw.quarantine order by source_row",
    )
    assert rows == EXPECTED
    loaded = query(
        con, "select source_row, indicator_code, period, value from raw.observations order by 1"
    )
    assert loaded == [
        (2, "life_expectancy", "2019", 81.0),
        (15, "infant_mortality_rate", "2020", 3.0),
    ]
    messages = dict(query(con, "select source_row, message from raw.quarantine"))
    assert messages[5] == "bad_rows.csv: row 5, column 'value': value '约3.5' is not a number"
    assert messages[4] == "bad_rows.csv: row 4, column 'region': unknown region 'atlantis'"
    assert "cannot be converted to percent" in messages[10]
    assert "outside the plausible range [40.0, 95.0]" in messages[12]
    assert "rows 13, 14" in messages[13]
    originals = dict(query(con, "select source_row, original_row from raw.quarantine"))
    assert '"value":"约3.5"' in originals[5]
    assert '"value":"—"' in originals[6]


def test_unknown_alias_in_a_sheet_names_the_sheet(con, raw_dir, reference):
    path = raw_dir / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("2020年")
    ws.write_row(0, 0, ["地区", "指标", "年份", "数值"])
    ws.write_row(1, 0, ["江阴", "不存在的指标", 2020, 1])
    wb.close()
    ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert query(con, "select sheet, source_row, message from raw.quarantine") == [
        (
            "2020年",
            2,
            "book.xlsx [sheet '2020年']: row 2, column '指标': unknown indicator '不存在的指标'",
        )
    ]


def _rejected(con, raw_dir, reference, name: str, data: bytes) -> str:
    path = raw_dir / name
    path.write_bytes(data)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.status == "rejected", result
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (0, 0, 0)
    recorded = query(
        con, "select status, message from raw.ingested_files where file_path = ?", [name]
    )
    assert recorded == [("rejected", result.message)]
    assert result.message.startswith(name + ": ")
    return result.message


def test_rejected_files_name_file_and_problem(con, raw_dir, reference):
    assert "empty" in _rejected(con, raw_dir, reference, "empty.csv", b"")
    assert "binary" in _rejected(
        con, raw_dir, reference, "binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00"
    )
    assert "no table header" in _rejected(
        con, raw_dir, reference, "prose.csv", "这是一段说明文字，不是表格。\n第二行。\n".encode()
    )
    missing = _rejected(
        con, raw_dir, reference, "novalue.csv", b"region,indicator,period,unit\njiangyin,x,2020,%\n"
    )
    assert "'value'" in missing and "missing" in missing
    assert "unsupported file type '.pdf'" in _rejected(
        con, raw_dir, reference, "report.pdf", b"%PDF-1.4"
    )
    assert "cannot read as an XLSX workbook" in _rejected(
        con, raw_dir, reference, "fake.xlsx", b"this is not a zip"
    )
    assert "cannot read as Parquet" in _rejected(
        con, raw_dir, reference, "fake.parquet", b"PAR1 nope"
    )
    assert "neither UTF-8 nor GB18030" in _rejected(
        con, raw_dir, reference, "garbled.csv", b"a,b\n\xff\xff,1\n"
    )
    assert "UTF-16" in _rejected(
        con, raw_dir, reference, "utf16.csv", "地区,指标\n".encode("utf-16")
    )
    assert "no table header" in _rejected(
        con, raw_dir, reference, "page.csv", b"<html><body><table></table></body></html>"
    )
    # nothing but the rejection rows was written
    assert query(con, "select count(*) from raw.observations") == [(0,)]
    assert query(con, "select count(*) from raw.quarantine") == [(0,)]


def test_register_missing_a_required_column_is_rejected(con, raw_dir, reference):
    text = "region,death_date,age,sex\njiangyin,2020-01-01,50,男\n"
    message = _rejected(con, raw_dir, reference, "deaths.csv", text.encode())
    assert "death_register" in message and "'icd10'" in message and "'maternal'" in message


def test_wide_table_without_region_anywhere_is_rejected(con, raw_dir, reference):
    text = "指标,2019,2020\n人均预期寿命,81,82\n"
    message = _rejected(con, raw_dir, reference, "noregion.csv", text.encode())
    assert "no region column" in message


def test_invalid_sidecar_rejects_the_file(con, raw_dir, reference):
    write(raw_dir / "x.csv.source.yml", "layout: long\nfavourite_colour: blue\n")
    message = _rejected(
        con, raw_dir, reference, "x.csv", b"region,indicator,period,value\njiangyin,x,2020,1\n"
    )
    assert "unknown key(s) ['favourite_colour']" in message


def test_header_without_rows_is_rejected_as_empty(con, raw_dir, reference):
    message = _rejected(
        con, raw_dir, reference, "header_only.csv", "地区,指标,年份,数值\n".encode("gb18030")
    )
    assert message == "header_only.csv: the table has a header but no data rows"
    message = _rejected(
        con, raw_dir, reference, "no_deaths.csv", b"region,death_date,age,sex,icd10,maternal\n"
    )
    assert message == "no_deaths.csv: the register has a header but no records"


def test_per_population_unit_on_a_percentage_is_a_clash_naming_both_units(con, raw_dir, reference):
    """Issue 20 §4: "31.2 /10万" for health literacy is not 0.0312 %: quarantined, both named."""
    path = write(
        raw_dir / "literacy.csv",
        "地区,指标,年份,数值,单位\n"
        "江阴市,居民健康素养水平,2021,31.2,/10万\n"
        "江阴市,居民健康素养水平,2022,33.5,%\n"
        "江阴市,婴儿死亡率,2022,0.25,%\n",  # a rate written as a percentage: 2.5 ‰
    )
    result = ingest_file(con, path, raw_dir, "r", reference=reference)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert query(con, "select indicator_code, value, unit from raw.observations order by 1") == [
        ("health_literacy_rate", 33.5, "percent"),
        ("infant_mortality_rate", 2.5, "per_mille"),
    ]
    ((reason, message),) = query(con, "select reason_code, message from raw.quarantine")
    assert reason == "unconvertible_unit"
    assert "unit '/10万' (rate_per_population) cannot be converted to percent (proportion)" in (
        message
    )
