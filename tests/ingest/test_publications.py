"""Publications as they arrive (issue 14): data_status and several sources of one figure."""

from __future__ import annotations

from pipelines.ingest import ingest_file

from .conftest import query, write

BULLETIN = """地区,指标,年份,数值,单位,来源,数据状态
江阴,婴儿死亡率,2023,2.9,‰,统计公报,
江阴,婴儿死亡率,2023,2.90,‰,统计公报解读,
江阴,婴儿死亡率,2023,3.1,‰,政府工作报告,预计
江阴,孕产妇死亡率,2023,9.8,1/10万,统计公报,初步核算
江阴,人均预期寿命,2023,82.1,岁,统计公报,草稿
江阴,每千常住人口执业（助理）医师数,2023,3.9,人/千人口,统计公报,最终
江阴,每千常住人口执业（助理）医师数,2023,4.0,人/千人口,统计公报,最终
"""


def test_statuses_and_sources_load_as_publications(con, raw_dir, reference):
    """A bulletin, its 解读 and a 预计 figure of one key all load (they are three publications);
    初步核算 reads as preliminary, 最终 and blank as final (blank stays null = not stated); an
    unknown status is quarantined naming the column; one source printing two values for one
    key is still a conflicting duplicate (both rows)."""
    path = write(raw_dir / "county/bulletin.csv", BULLETIN)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 4, 3)
    rows = query(
        con,
        "select source_row, indicator_code, value, unit, source, data_status "
        "from raw.observations order by source_row",
    )
    assert rows == [
        (2, "infant_mortality_rate", 2.9, "per_mille", "统计公报", None),
        (3, "infant_mortality_rate", 2.9, "per_mille", "统计公报解读", None),
        (4, "infant_mortality_rate", 3.1, "per_mille", "政府工作报告", "preliminary"),
        (5, "maternal_mortality_ratio", 9.8, "per_100k", "统计公报", "preliminary"),
    ]
    bad = query(
        con, "select source_row, column_name, reason_code, message from raw.quarantine order by 1"
    )
    assert [b[:3] for b in bad] == [
        (6, "data_status", "unparsable_value"),
        (7, "数值", "conflicting_duplicate"),
        (8, "数值", "conflicting_duplicate"),
    ]
    assert "unknown data_status '草稿'" in bad[0][3]
    assert "same key (jiangyin, physicians_per_1000, 2023)" in bad[1][3]


def test_sidecar_sets_the_status_of_a_file_without_the_column(con, raw_dir, reference):
    path = write(
        raw_dir / "press/preliminary.csv", "地区,指标,年份,数值\n江阴,婴儿死亡率,2024,2.7\n"
    )
    write(raw_dir / "press/preliminary.csv.source.yml", "data_status: preliminary\n")
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.status == "loaded", result.message
    assert query(con, "select data_status from raw.observations") == [("preliminary",)]
    write(raw_dir / "press/bad.csv", "地区,指标,年份,数值\n江阴,婴儿死亡率,2024,2.8\n")
    write(raw_dir / "press/bad.csv.source.yml", "data_status: draft\n")
    result = ingest_file(con, raw_dir / "press/bad.csv", raw_dir, "r1", reference=reference)
    assert result.status == "rejected" and "data_status 'draft'" in result.message
