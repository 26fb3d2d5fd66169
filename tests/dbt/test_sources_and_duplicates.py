"""Official statistics as they really arrive (issue 14), through the real ingestion and dbt.

A messy landing zone: a county bulletin table that prints figures twice (bulletin and news
reprint, at two precisions), a preliminary (预计) and a final figure, Chinese units as printed
(‰, 1/10万, /10万, 岁, 人/千人口, 张/千人口, 人/万人口, %), an exact repeat; a later 解读 that
contradicts one figure; counts for one region-year; and China's official national series shipped
in ``raw/real/nhc_statistical_bulletins``. Real ``pipelines.ingest`` into a real DuckDB file, then
a real ``dbt build`` with the project's own seeds (models, seeds, unit tests, data tests).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dbt_harness import run_dbt

from pipelines.config import DBT_PROJECT_DIR, PROJECT_ROOT
from pipelines.generate.official import FOLDER
from pipelines.ingest import ingest_all

pytestmark = pytest.mark.integration

ASSESSMENT_YEAR = 2026

BULLETIN = """地区,指标,年份,数值,单位,来源,数据状态
江阴市,婴儿死亡率,2022年,2.50,‰,江阴市2022年卫生健康统计公报,
江阴市,婴儿死亡率,2022年,2.5,‰,江阴日报转载,
江阴市,婴儿死亡率,2022年,2.50,‰,江阴市2022年卫生健康统计公报,
江阴市,孕产妇死亡率,2021年,12.35,1/10万,江阴市2021年卫生健康统计公报,
江阴市,孕产妇死亡率,2021年,12.4,/10万,新闻发布会,
江阴市,人均预期寿命,2023年,82.1,岁,政府工作报告,预计
江阴市,人均预期寿命,2023年,82.35,岁,江阴市2023年卫生健康统计公报,最终
江阴市,每千常住人口执业（助理）医师数,2023年,3.9,人/千人口,江阴市2023年卫生健康统计公报,
江阴市,每千常住人口医疗卫生机构床位数,2023年,6.8,张/千人口,江阴市2023年卫生健康统计公报,
江阴市,每万常住人口全科医生数,2023年,4.1,人/万人口,江阴市2023年卫生健康统计公报,
江阴市,居民健康素养水平,2023年,35.6%,,江阴市2023年卫生健康统计公报,
江阴市,婴儿死亡率,2021年,6.0,‰,江阴市2021年卫生健康统计公报,
"""
#: a 解读 published (and ingested) later, contradicting the bulletin's physicians figure
JIEDU = """地区,指标,年份,数值,单位,来源
江阴市,每千常住人口执业（助理）医师数,2023年,4.3,人/千人口,《2023年卫生健康统计公报》解读
"""
COUNTS = """region,period,measure,value,source
jiangyin,2022,live_births,10000,江阴市妇幼卫生年报
jiangyin,2022,infant_deaths,25,江阴市妇幼卫生年报
jiangyin,2021,live_births,10000,江阴市妇幼卫生年报
jiangyin,2021,infant_deaths,25,江阴市妇幼卫生年报
"""


@dataclass(frozen=True)
class Built:
    raw: Path
    warehouse: Path
    results: list

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            cur = con.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("official")
    raw = root / "raw"
    shutil.copytree(PROJECT_ROOT / "raw" / "real" / FOLDER, raw / "real" / FOLDER)
    (raw / "county").mkdir(parents=True)
    (raw / "county" / "bulletin.csv").write_text(BULLETIN, encoding="utf-8")
    (raw / "county" / "counts.csv").write_text(COUNTS, encoding="utf-8")
    warehouse = root / "warehouse.duckdb"
    results = ingest_all(warehouse, raw, "first")
    # the 解读 arrives later: a second ingestion run, so it is the latest ingested publication
    (raw / "county" / "jiedu.csv").write_text(JIEDU, encoding="utf-8")
    results += ingest_all(warehouse, raw, "second")
    project = root / "dbt_project"
    shutil.copytree(
        DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", ".user.yml")
    )
    env = dict(os.environ)
    env["HEALTHPLAN_WAREHOUSE"] = str(warehouse)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    # seeds and models (the seeds' and other models' own tests belong to their owners), then
    # the unit and data tests of the precedence/duplicate models on this warehouse
    proc = run_dbt(
        project,
        env,
        "build",
        "--vars",
        json.dumps({"assessment_year": ASSESSMENT_YEAR}),
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    assert proc.returncode == 0, proc.stdout[-6000:]
    proc = run_dbt(
        project,
        env,
        "test",
        "--vars",
        json.dumps({"assessment_year": ASSESSMENT_YEAR}),
        "--select",
        "int_observation_duplicates int_preferred_observations source_precedence",
    )
    assert proc.returncode == 0, proc.stdout[-6000:]
    yield Built(raw, warehouse, [r for r in results if r.status != "skipped"])


def test_nothing_is_lost_every_raw_row_is_traceable(built: Built) -> None:
    """Per file rows_read = rows_loaded + rows_quarantined; the bulletin's exact repeat (row 4,
    same source, same value) is the only quarantined row; every loaded raw row reaches
    fct_indicator_observation by file and row."""
    by_file = {r.file_path: r for r in built.results}
    for r in by_file.values():
        assert r.status == "loaded", (r.file_path, r.message)
        assert r.rows_read == r.rows_loaded + r.rows_quarantined
    assert by_file["county/bulletin.csv"].rows_read == 12
    assert by_file["county/bulletin.csv"].rows_quarantined == 1
    assert by_file[f"real/{FOLDER}/national_series.csv"].rows_quarantined == 0
    quarantined = built.rows("select file_path, source_row, reason_code from raw.quarantine")
    assert quarantined == [
        {
            "file_path": "county/bulletin.csv",
            "source_row": 4,
            "reason_code": "conflicting_duplicate",
        }
    ]
    lost = built.rows(
        "select r.file_path, r.source_row from raw.observations as r "
        "anti join marts.fct_indicator_observation as f "
        "on r.file_path = f.file_path and r.source_row = f.source_row"
    )
    assert lost == []


def test_units_as_printed_map_to_the_canonical_unit(built: Built) -> None:
    """人/千人口 → per_1000_pop, 张/千人口 → per_1000_pop, 人/万人口 → per_10000_pop,
    /10万 and 1/10万 → per_100k, ‰ → per_mille, 岁 → years, 35.6% → percent (value 35.6)."""
    units = {
        (r["indicator_code"], r["original_unit"]): (r["unit"], r["value"])
        for r in built.rows(
            "select indicator_code, original_unit, unit, value from raw.observations "
            "where file_path = 'county/bulletin.csv'"
        )
    }
    assert units[("physicians_per_1000", "人/千人口")] == ("per_1000_pop", 3.9)
    assert units[("beds_per_1000", "张/千人口")] == ("per_1000_pop", 6.8)
    assert units[("gps_per_10000", "人/万人口")] == ("per_10000_pop", 4.1)
    assert units[("maternal_mortality_ratio", "/10万")] == ("per_100k", 12.4)
    assert units[("maternal_mortality_ratio", "1/10万")] == ("per_100k", 12.35)
    assert units[("life_expectancy", "岁")] == ("years", 82.35)
    assert units[("health_literacy_rate", "%")] == ("percent", 35.6)


def _preferred(built: Built, indicator: str, year: int, region: str = "jiangyin") -> dict:
    rows = built.rows(
        "select * from intermediate.int_preferred_observations "
        "where region_id = ? and indicator_code = ? and year = ?",
        [region, indicator, year],
    )
    assert len(rows) == 1
    return rows[0]


def test_same_figure_at_two_precisions_resolves_to_the_more_precise(built: Built) -> None:
    """MMR 2021: bulletin 12.35/10万 (half unit 0.005) and press 12.4/10万 (half unit 0.05);
    |12.35 − 12.4| = 0.05 ≤ 0.05 → one figure, the bulletin's 12.35 is kept, with a note."""
    row = _preferred(built, "maternal_mortality_ratio", 2021)
    assert row["value"] == 12.35
    assert row["source"] == "江阴市2021年卫生健康统计公报"
    assert row["is_conflict"] is False and row["n_publications"] == 2
    assert row["resolution_note"] == (
        "same figure at different precision: kept 12.35 (江阴市2021年卫生健康统计公报) of "
        "12.35 (江阴市2021年卫生健康统计公报); 12.4 (新闻发布会)"
    )


def test_identical_figures_collapse_and_carry_the_interval_from_counts(built: Built) -> None:
    """IMR 2022: bulletin 2.50‰ and a reprint 2.5‰ are one value (collapsed, the bulletin's more
    precise printing kept). Counts for 2022: 25 infant deaths / 10000 live births = 2.5‰.
    Byar 95 % limits of 25 events (z = 1.959964): 25·(1 − 1/225 − z/15)³ = 16.1743 and
    26·(1 − 1/234 + z/(3·√26))³ = 36.9064, i.e. 1.6174‰ – 3.6906‰; the reported value lies
    inside and carries them (ci_source = counts)."""
    row = _preferred(built, "infant_mortality_rate", 2022)
    assert row["value"] == 2.5 and row["value_source"] == "reported"
    assert row["source"] == "江阴市2022年卫生健康统计公报"
    assert row["resolution_note"] == (
        "2 identical publications collapsed: 2.5 (江阴市2022年卫生健康统计公报); 2.5 (江阴日报转载)"
    )
    assert row["ci_source"] == "counts"
    assert row["ci_lower"] == pytest.approx(1.61743, abs=1e-4)
    assert row["ci_upper"] == pytest.approx(3.69064, abs=1e-4)


def test_a_reported_value_outside_its_counts_interval_gets_a_note_not_the_interval(
    built: Built,
) -> None:
    """IMR 2021: reported 6.0‰, counts 25 / 10000 = 2.5‰ with 95 % limits 1.6174‰ – 3.6906‰
    (as for 2022). 6.0 lies outside them, so the counts' interval does not describe the reported
    figure: no interval is attached and the note names the interval."""
    row = _preferred(built, "infant_mortality_rate", 2021)
    assert (row["value"], row["ci_lower"], row["ci_upper"], row["ci_source"]) == (
        6.0,
        None,
        None,
        None,
    )
    assert row["resolution_note"] == (
        "reported value lies outside the 95 % interval computed from the counts "
        "(1.6174 to 3.6906); no interval attached"
    )


def test_preliminary_gives_way_to_final(built: Built) -> None:
    """Life expectancy 2023: 预计 82.1 (government work report) and the final 82.35 (bulletin):
    82.35 is kept, the preliminary figure is named in the note, no conflict."""
    row = _preferred(built, "life_expectancy", 2023)
    assert (row["value"], row["data_status"], row["is_conflict"]) == (82.35, "final", False)
    assert (
        row["resolution_note"] == "preliminary 82.1 (政府工作报告) superseded by the final figure"
    )


def test_a_genuine_conflict_stays_visible_and_keeps_its_year(built: Built) -> None:
    """Physicians per 1000, 2023: bulletin 3.9, later 解读 4.3 (both printed to 0.1: they differ by
    0.4 > 0.05) → a conflict. The year keeps a value (the latest ingested, 4.3) so 2023 stays the
    latest year; both rows of fct_indicator_observation carry is_conflict."""
    row = _preferred(built, "physicians_per_1000", 2023)
    assert row["is_conflict"] is True and row["value"] == 4.3
    assert row["resolution_note"] == (
        "conflicting figures: 3.9 (江阴市2023年卫生健康统计公报); "
        "4.3 (《2023年卫生健康统计公报》解读); kept the latest ingested"
    )
    flags = built.rows(
        "select value, is_conflict, is_preferred from marts.fct_indicator_observation "
        "where region_id = 'jiangyin' and indicator_code = 'physicians_per_1000' and year = 2023 "
        "order by value"
    )
    assert flags == [
        {"value": 3.9, "is_conflict": True, "is_preferred": False},
        {"value": 4.3, "is_conflict": True, "is_preferred": True},
    ]


def test_official_national_series_outranks_international_estimates(built: Built) -> None:
    """China IMR 2015–2024 is the NHC's official series (source_rank 1); no international
    estimate is loaded here, so nothing is spliced; every official row names its publication."""
    rows = built.rows(
        "select year, value, source_class, source, source_quote, is_spliced "
        "from intermediate.int_preferred_observations "
        "where region_id = 'china' and indicator_code = 'infant_mortality_rate' order by year"
    )
    assert [r["year"] for r in rows] == list(range(2015, 2025))
    assert [r["value"] for r in rows] == [8.1, 7.5, 6.8, 6.1, 5.6, 5.4, 5.0, 4.9, 4.5, 4.0]
    assert {r["source_class"] for r in rows} == {"official_reported"}
    assert all(r["source"] and r["source_quote"] for r in rows)
    assert not any(r["is_spliced"] for r in rows)


def test_real_bulletin_publications_of_the_out_of_pocket_share_resolve(built: Built) -> None:
    """China's out-of-pocket share as really published (raw/real/nhc_statistical_bulletins):
    2021: 27.7 % in the 2021 bulletin and again in the 2022 bulletin (both 初步推算) → one value;
    2022: the 2022 bulletin's preliminary 27.0 % and the national health accounts' final 26.89 %
    → 26.89 with the preliminary named; 2023: only the 2023 bulletin's 初步核算 27.3 % → used,
    data_status preliminary."""
    b21 = "国家卫生健康委员会《2021年我国卫生健康事业发展统计公报》"
    b22 = "国家卫生健康委员会《2022年我国卫生健康事业发展统计公报》"
    y2021 = _preferred(built, "oop_share_of_health_expenditure", 2021, "china")
    assert (y2021["value"], y2021["data_status"], y2021["is_conflict"]) == (
        27.7,
        "preliminary",
        False,
    )
    assert y2021["resolution_note"] == (
        f"2 identical publications collapsed: 27.7 ({b21}); 27.7 ({b22})"
    )
    y2022 = _preferred(built, "oop_share_of_health_expenditure", 2022, "china")
    assert (y2022["value"], y2022["data_status"]) == (26.89, "final")
    assert y2022["resolution_note"] == (f"preliminary 27.0 ({b22}) superseded by the final figure")
    y2023 = _preferred(built, "oop_share_of_health_expenditure", 2023, "china")
    assert (y2023["value"], y2023["data_status"], y2023["resolution_note"]) == (
        27.3,
        "preliminary",
        None,
    )


def test_national_framework_2020_verdicts_are_the_statisticians(built: Built) -> None:
    """《健康中国2030》 2020 targets on China's official 2020 figures (no interval: point values).

    - 人均预期寿命 ≥ 77.3 岁 by 2020: 2020 official 77.93 (2021 bulletin) ≥ 77.3 → met.
    - 婴儿死亡率 ≤ 7.5‰ by 2020: 2020 official 5.4‰ ≤ 7.5 → met.
    - 5岁以下儿童死亡率 ≤ 9.5‰ by 2020: 2020 official 7.5‰ ≤ 9.5 → met.
    - 孕产妇死亡率 ≤ 18/10万 by 2020: 2020 official 16.9 ≤ 18 → met.
    - 每千常住人口执业（助理）医师数 ≥ 2.5 by 2020: 2020 official 2.90 ≥ 2.5 → met.
    - 居民健康素养水平 ≥ 20 % by 2020: 2020 official 23.15 % ≥ 20 → met.
    Each verdict rests on the data year 2020 and an official value.
    """
    expected = {
        "life_expectancy": 77.93,
        "infant_mortality_rate": 5.4,
        "under5_mortality_rate": 7.5,
        "maternal_mortality_ratio": 16.9,
        "physicians_per_1000": 2.9,
        "health_literacy_rate": 23.15,
    }
    rows = built.rows(
        "select indicator_code, status, latest_year, latest_value, latest_data_nature "
        "from marts.fct_target_assessment where plan_id = 'china_2030' and target_year = 2020 "
        "and is_latest and list_contains(?, indicator_code)",
        [list(expected)],
    )
    got = {r["indicator_code"]: r for r in rows}
    assert set(got) == set(expected)
    for code, value in expected.items():
        r = got[code]
        assert (r["status"], r["latest_year"], r["latest_data_nature"]) == (
            "met",
            2020,
            "official",
        ), code
        assert r["latest_value"] == pytest.approx(value), code
