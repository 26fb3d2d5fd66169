"""Encodings decided per line (issue 20 §3): a stray GBK line is quarantined with its byte
position, the UTF-8 text around it is never re-decoded into mojibake, and a file that decodes as
nothing names the first bad byte's row and column."""

from __future__ import annotations

from pathlib import Path

from pipelines.ingest import ingest_file

from .conftest import query

HEADER = "地区,指标,年份,数值,单位,来源\n"
UTF8_ROWS = [
    "江阴市,人均预期寿命,2020,82.4,岁,统计公报\n",
    "江阴市,人均预期寿命,2021,82.6,岁,统计公报\n",
]
GBK_ROW = "江阴市,人均预期寿命,2022,82.9,岁,统计公报\n"


def _mixed(path: Path) -> Path:
    """UTF-8 file whose line 3 (of 4) was pasted from a GBK spreadsheet."""
    data = HEADER.encode() + UTF8_ROWS[0].encode() + GBK_ROW.encode("gbk") + UTF8_ROWS[1].encode()
    path.write_bytes(data)
    return path


def test_utf8_file_with_a_gbk_line_quarantines_that_line_only(con, raw_dir, reference):
    path = _mixed(raw_dir / "mixed.csv")
    result = ingest_file(con, path, raw_dir, "r", reference=reference)
    assert (result.status, result.encoding) == ("loaded", "utf-8")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    # the UTF-8 rows keep their Chinese text (no GB18030 re-decoding of the whole file)
    assert query(con, "select period, source from raw.observations order by period") == [
        ("2020", "统计公报"),
        ("2021", "统计公报"),
    ]
    ((row, reason, message, original),) = query(
        con, "select source_row, reason_code, message, original_row from raw.quarantine"
    )
    offset = len(HEADER.encode()) + len(UTF8_ROWS[0].encode())  # first byte of line 3
    assert (row, reason) == (3, "encoding_error")
    assert f"at byte {offset} (line 3, column 1)" in message
    assert message.startswith("mixed.csv: row 3: line 3 is encoded as GB18030/GBK")
    assert original == GBK_ROW.rstrip("\n")  # shown decoded as what it is, for a person


def test_gbk_file_with_a_utf8_line_quarantines_the_utf8_line(con, raw_dir, reference):
    path = raw_dir / "gbk.csv"
    path.write_bytes(
        HEADER.encode("gbk")
        + UTF8_ROWS[0].encode("gbk")
        + GBK_ROW.encode("gbk")
        + UTF8_ROWS[1].encode()  # the stray line
    )
    result = ingest_file(con, path, raw_dir, "r", reference=reference)
    assert (result.encoding, result.rows_loaded, result.rows_quarantined) == ("gb18030", 2, 1)
    assert query(con, "select distinct source from raw.observations") == [("统计公报",)]
    assert query(con, "select source_row, reason_code from raw.quarantine") == [
        (4, "encoding_error")
    ]


def test_file_that_decodes_as_nothing_names_row_and_column(con, raw_dir, reference):
    path = raw_dir / "latin.csv"
    head, cells = b"region,indicator,period,value\n", b"jiangyin,IMR,2020,2"
    path.write_bytes(head + cells + b"\xff\xfe5\n")
    result = ingest_file(con, path, raw_dir, "r", reference=reference)
    assert result.status == "rejected"
    assert "neither UTF-8 nor GB18030/GBK" in result.message
    at = f"at byte {len(head) + len(cells)} (row 2, column {len(cells) + 1})"
    assert f"first unreadable byte b'\\xff' {at}" in result.message
