"""The input files of the golden corpus (``golden_corpus``) and its seed snapshots.

Fixed files reuse the fixtures of this test package and the shipped examples; the seeded-random
messy files come from :mod:`.golden_messy`. ``python -m ingest.golden_corpus inputs`` rewrites
them all (see ``golden_corpus``'s docstring for when).
"""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import xlsxwriter

from pipelines.config import PROJECT_ROOT, SEEDS_DIR

from .golden_corpus import INPUTS, INPUTS_ALT, SEED_FILES, SEEDS, SEEDS_ALT
from .golden_files import write_text
from .golden_messy import edge_registers, messy_counts, messy_deaths, messy_long, pick
from .test_bad_input import BAD_ROWS
from .test_formats_long import LONG_ZH
from .test_formats_registers import DEATH_COLUMNS, DEATHS
from .test_formats_wide import WIDE
from .test_sources import GAPMINDER, GAPMINDER_SIDECAR, WDI, WDI_SIDECAR


def write_inputs(folder: Path = INPUTS) -> None:
    """(Re)write the corpus of input files and the seed snapshot."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _snapshot_seeds()
    shutil.copytree(PROJECT_ROOT / "raw" / "examples", folder / "examples")
    _write_long_tables(folder)
    _write_count_tables(folder)
    _write_sources_and_rejected(folder)
    _workbooks(folder)
    _write_typed_and_registers(folder)
    _write_messy(folder, random.Random(20261126))
    write_alt_inputs()


def _snapshot_seeds() -> None:
    """Copy today's seeds to ``SEEDS``, so the golden rows do not move as the catalogue grows."""
    SEEDS.mkdir(parents=True, exist_ok=True)
    for name in SEED_FILES:
        shutil.copy(SEEDS_DIR / f"{name}.csv", SEEDS / f"{name}.csv")


def _write_long_tables(folder: Path) -> None:
    """Long and wide observation tables: encodings, English headers, separators, line ends."""
    write_text(folder / "bad_rows.csv", BAD_ROWS)
    for enc in ("utf-8", "utf-8-sig", "gb18030"):
        write_text(folder / f"long_zh_{enc}.csv", LONG_ZH, enc)
    write_text(
        folder / "en.csv",
        "Region,Indicator_Code,Period,Value,Data_Nature,CI_Lower,CI_Upper,Source_Quote\n"
        "jiangyin,health_literacy_rate,2021,35.2%,illustrative,33,37.5,原文\n"
        'Nantong,regular_exercise_population,2021,"12,345万人",示例,,,\n'
        "jiangyin,health_literacy_rate,2022,35.2,bogus,x,37.5,\n",
    )
    write_text(folder / "yearbook.csv", WIDE)
    write_text(folder / "yearbook_gbk.csv", WIDE.replace("江阴市", "南通市"), "gb18030")
    write_text(
        folder / "semi.csv",
        "地区;指标;年份;数值\n江阴;人均预期寿命;2020;82,1\n江阴;人均预期寿命;2021;82.3\n",
    )
    write_text(
        folder / "crlf.csv",
        "地 区,指标名称,指标代码,年份,数值,,\r\n江阴市,人均预期寿命,,2020,82.1岁,,\r\n"
        "江阴市,,infant_mortality_rate,2020,2.1,,\r\n江阴市,,,2021,2.1,,\r\n",
    )


def _write_count_tables(folder: Path) -> None:
    """Count tables: long with codes and units in the value, measures only, a yearbook."""
    write_text(
        folder / "counts_zh.csv",
        "地区,年份,指标,年龄组,性别,死因,数值\n"
        "江阴,2020,常住人口,合计,合计,,165.5万\n"
        "江阴,2020,死亡数,85岁以上,男,心脑血管疾病,120\n"
        '江阴,2020,死亡数,30-34,女,cancer,"1,001"\n'
        '江阴,2020,活产数,,,,"9,876"\n'
        "江阴,2020,死亡数,30-34,女,cancer,1001\n",
        "gb18030",
    )
    write_text(
        folder / "measures.csv",
        "地区,指标,年份,数值\n南通,活产数,2021,50000\n南通,常住人口,2021,7726000\n",
    )
    write_text(
        folder / "resources.csv",
        "南通市卫生资源（示例）,,\n指标,2019,2020\n常住人口（万人）,731.8,772.6\n"
        '医疗卫生机构床位数,"45,210","46,005"\n注：年末数,,\n',
    )


def _write_sources_and_rejected(folder: Path) -> None:
    """Described sources (with sidecars), a renamed copy, and files that must be rejected."""
    write_text(folder / "gapminder/oop.csv", GAPMINDER)
    write_text(folder / "gapminder/oop.csv.source.yml", GAPMINDER_SIDECAR)
    write_text(folder / "wdi.csv", WDI)
    write_text(folder / "wdi.csv.source.yml", WDI_SIDECAR)
    write_text(folder / "copy_of_bad_rows.csv", BAD_ROWS)  # same bytes, new name: a new arrival
    write_text(folder / "zz_rejected/empty.csv", "")
    write_text(
        folder / "zz_rejected/novalue.csv", "region,indicator,period,unit\njiangyin,x,2020,%\n"
    )
    write_text(folder / "zz_rejected/no_deaths.csv", "region,death_date,age,sex,icd10,maternal\n")


def _write_typed_and_registers(folder: Path) -> None:
    """A typed Parquet observation table and death/birth registers (CSV, Parquet, titled)."""
    pl.DataFrame(  # a typed Parquet table of observations (not a register)
        {
            "地区": ["江阴", "nantong", "atlantis", None, "江阴"],
            "indicator": ["人均预期寿命", "IMR", "IMR", "IMR", "人均预期寿命"],
            "year": [2020, 2021, 2020, 2020, 2020],
            "value": [81.5, None, 3.0, 2.0, 81.75],
        }
    ).write_parquet(folder / "long_typed.parquet")
    deaths = pl.DataFrame(DEATHS, schema=DEATH_COLUMNS, orient="row")
    deaths.write_csv(folder / "deaths.csv")
    deaths.write_parquet(folder / "deaths.parquet")
    write_text(
        folder / "births_gbk.csv",
        "地区,出生日期,性别\n江阴,2020-01-01,男\n江阴,2020-02-01,女\n江阴,2020-03-01,男\n"
        "南通,2021-01-01,女\n南通,2021-13-01,女\n,2021-01-01,女\n南通,2021-01-02,?\n",
        "gbk",
    )
    write_text(
        folder / "reg_titled.csv",
        "江阴市死亡登记（导出）\n\n地区,死亡日期,年龄,性别,根本死因,孕产妇死亡\n"
        "江阴,2020-01-01,70,男,I21,0\n江阴,2020-01-02,abc,男,I21,0\n",
    )


def _write_messy(folder: Path, rng: random.Random) -> None:
    """The seeded-random files, drawn from ``rng`` in a fixed order (see :mod:`.golden_messy`)."""
    write_text(folder / "messy/long_a.csv", messy_long(rng, 3000))
    write_text(folder / "messy/long_b_gb18030.csv", messy_long(rng, 1500), "gb18030")
    write_text(folder / "messy/counts.csv", messy_counts(rng, 2500))
    messy = pl.DataFrame(messy_deaths(rng, 3000), schema=DEATH_COLUMNS, orient="row")
    messy.write_csv(folder / "messy/deaths.csv")
    typed_deaths(messy).write_parquet(folder / "messy/deaths_typed.parquet")
    births = pl.DataFrame(
        {
            "region": [pick(rng, ["jiangyin", "nantong"], ["atlantis", ""]) for _ in range(1000)],
            "birth_date": [
                date(2020, 1, 1) + timedelta(days=rng.randint(0, 700))
                if rng.random() < 0.95
                else None  # fmt: skip
                for _ in range(1000)
            ],
        }
    )
    births.write_parquet(folder / "messy/births.parquet")
    edge_registers(folder, rng)


def typed_deaths(frame: pl.DataFrame) -> pl.DataFrame:
    """A text death register as a typed Parquet register would hold it (dates, float age, 0/1)."""
    return frame.with_columns(
        pl.col("death_date").str.to_date(strict=False),
        pl.col("birth_date").str.to_date(strict=False),
        pl.col("age").str.strip_chars().cast(pl.Float64, strict=False),
        pl.col("maternal").replace_strict({"0": 0, "1": 1}, default=None, return_dtype=pl.Int8),
    )


def _workbooks(folder: Path) -> None:
    """Workbooks: a sheet per table kind (long, titled yearbook, blank, counts), and formatted
    cells (percent, month) that load as displayed."""
    created = {"created": datetime(2026, 1, 1)}
    wb = xlsxwriter.Workbook(str(folder / "book.xlsx"))
    wb.set_properties(created)
    long = wb.add_worksheet("long")
    long.write_row(0, 0, ["地区", "指标", "年份", "数值"])
    long.write_row(1, 0, ["江阴", "人均预期寿命", 2019, 81.5])
    long.write_row(2, 0, ["江阴", "人均预期寿命", 2020, 82])
    long.write_row(3, 0, ["江阴", "不存在的指标", 2020, 1])
    long.write_row(4, 0, ["江阴", "人均预期寿命", 2020, 83])
    wide = wb.add_worksheet("年鉴")
    wide.merge_range(0, 0, 0, 3, "南通市卫生统计")
    wide.merge_range(2, 0, 3, 0, "指标")
    wide.merge_range(2, 1, 2, 3, "年份")
    wide.write_row(3, 1, [2019, 2020, 2021])
    wide.write_row(4, 0, ["婴儿死亡率（‰）", 3.1, 2.9, 2.7])
    wide.write_row(5, 0, ["居民健康素养水平（%）", 20, "", "n/a"])
    wb.add_worksheet("空白")
    counts = wb.add_worksheet("counts")
    counts.write_row(0, 0, ["region", "period", "measure", "value"])
    counts.write_row(1, 0, ["nantong", "2020", "live_births", 52000])
    counts.write_row(2, 0, ["nantong", "2020", "live_births", 52001])
    wb.close()
    wb = xlsxwriter.Workbook(str(folder / "formatted.xlsx"))
    wb.set_properties(created)
    ws = wb.add_worksheet("s")
    pct = wb.add_format({"num_format": "0.0%"})
    month = wb.add_format({"num_format": "yyyy-mm"})
    ws.write_row(1, 2, ["地区", "指标", "年份", "数值"])
    ws.write_row(2, 2, ["江阴", "居民健康素养水平"])
    ws.write_datetime(2, 4, datetime(2020, 6, 1), month)
    ws.write_number(2, 5, 0.356, pct)
    ws.write_row(3, 2, ["江阴", "人均预期寿命", 2020, 82.5])
    ws.write_row(4, 2, ["无锡", "人均预期寿命", 2021, 182.5])
    wb.close()


def write_alt_inputs() -> None:
    """Registers for the overlapping/gappy seeds (``SEEDS_ALT``)."""
    shutil.rmtree(INPUTS_ALT, ignore_errors=True)
    shutil.rmtree(SEEDS_ALT, ignore_errors=True)
    shutil.copytree(SEEDS, SEEDS_ALT)
    bands = (SEEDS_ALT / "age_groups.csv").read_text(encoding="utf-8").splitlines()
    bands = [b.replace("1-4,1,4,", "1-4,1,5,") for b in bands if not b.startswith("10-14,")]
    (SEEDS_ALT / "age_groups.csv").write_text("\n".join(bands) + "\n", encoding="utf-8")
    with (SEEDS_ALT / "icd10_cause_groups.csv").open("a", encoding="utf-8") as fh:
        fh.write("cancer,D00,D48,Neoplasms in situ,原位肿瘤\ncrd,J40,J47,COPD and asthma,慢阻肺\n")
    INPUTS_ALT.mkdir(parents=True)
    rng = random.Random(7)
    messy = pl.DataFrame(messy_deaths(rng, 1500), schema=DEATH_COLUMNS, orient="row")
    messy.with_columns(pl.col("icd10").str.replace("I21.9", "J45")).write_csv(
        INPUTS_ALT / "alt_deaths.csv"
    )
    typed_deaths(messy).write_parquet(INPUTS_ALT / "alt_deaths.parquet")
    write_text(
        INPUTS_ALT / "alt_births.csv",
        "region,birth_date,sex\njiangyin,2020-01-01,男\nnantong,2020-13-01,女\nnantong,2020-02-02,女\n",
    )
