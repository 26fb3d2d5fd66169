"""A fixed corpus of messy landing-zone files and what ingestion wrote for them (golden rows).

The corpus (``golden/inputs``) reuses the fixtures of this test package (bad rows, Chinese and
English long tables in three encodings, yearbooks, workbooks, count tables, death and birth
registers as CSV and Parquet, described sources, rejected files), the shipped examples, and a few
larger seeded-random files with every kind of mess in many spellings (full-width digits, stray
spaces, units in the value, duplicates, unknown labels, bad register records, NaN/infinite
ages, boolean flags). ``golden/seeds`` is a snapshot of the seeds, so the golden rows do not move
when the catalogue grows; ``golden/inputs_alt`` holds registers ingested against
``golden/seeds_alt``, whose age bands overlap and leave a gap and whose cause groups overlap.

``golden/expected/*.parquet`` holds every column of ``raw.observations``,
``raw.count_observations``, ``raw.quarantine`` and ``raw.ingested_files`` except the ones that
differ by run (ingested_at, run_id, file_mtime), as written by the ingestion code *before* the
speed-up of issue 10 (commit 998c4f7, run with its ``pipelines`` package first on PYTHONPATH).
``test_golden.py`` re-ingests the corpus and compares.

Regenerate (only when a behaviour change is intended, and say so in the commit)::

    cd tests && ../.venv/bin/python -m ingest.golden_corpus inputs    # rewrite the input files
    cd tests && ../.venv/bin/python -m ingest.golden_corpus expected  # rewrite the golden rows
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from pipelines.config import PROJECT_ROOT, SEEDS_DIR
from pipelines.ingest import ensure_raw_schema, ingest_file
from pipelines.reference import load_reference

from .test_bad_input import BAD_ROWS
from .test_formats import DEATH_COLUMNS, DEATHS, LONG_ZH, WIDE
from .test_sources import GAPMINDER, GAPMINDER_SIDECAR, WDI, WDI_SIDECAR

GOLDEN = Path(__file__).parent / "golden"
INPUTS = GOLDEN / "inputs"
SEEDS = GOLDEN / "seeds"
#: registers ingested against seeds whose age bands overlap and leave a gap and whose cause
#: groups overlap (the per-record aggregation path: a record in two bands counts in both)
INPUTS_ALT = GOLDEN / "inputs_alt"
SEEDS_ALT = GOLDEN / "seeds_alt"
EXPECTED = GOLDEN / "expected"
SEED_FILES = (
    "indicators",
    "indicator_aliases",
    "regions",
    "region_aliases",
    "units",
    "unit_aliases",
    "age_groups",
    "icd10_cause_groups",
)
#: table -> columns that differ between runs and are not compared.
VOLATILE = {
    "observations": ("ingested_at", "run_id"),
    "count_observations": ("ingested_at", "run_id"),
    "quarantine": ("ingested_at", "run_id"),
    "ingested_files": ("ingested_at", "run_id", "file_mtime"),
}


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def _csv(rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in ',"\n') else v

    return "".join(",".join(cell(v) for v in row) + "\n" for row in rows)


def _pick(rng: random.Random, good: list, bad: list, p_bad: float = 0.06):
    """Mostly a good spelling, sometimes a bad one: most records load, every check fires."""
    return rng.choice(bad) if rng.random() < p_bad else rng.choice(good)


def _messy_long(rng: random.Random, n: int) -> str:
    regions = ["jiangyin", " 江阴 ", "江阴市", "ＪＩＡＮＧＹＩＮ", "320281", "nantong", "南通",
               "Nantong ", "china", "全国", "wuxi", "无锡市"]  # fmt: skip
    indicators = ["life_expectancy", "人均预期寿命", " 人均期望寿命", "IMR", "婴儿死亡率",
                  "孕产妇死亡率(1/10万)", "居民健康素养水平（%）", "health_literacy_rate",
                  "每千常住人口执业（助理）医师数", "physicians_per_1000", "人均预期寿命（岁）"]  # fmt: skip
    years = [str(y) for y in range(1950, 2026)]
    periods = years + ["2020年", "２０２０", "2020Q3", "2020年第3季度", "2021q1", "2020-06",
                       "2020年6月", "2020/7", "2020.0", " 2019 "]  # fmt: skip
    bad_periods = ["2020-13", "20XX", "", "1899"]
    values = ["81.2", "1,234.5", "８１．２", "35.2%", "82岁", "约3.5", "—", "", "12,345万人",
              "1e2", " 81.0 ", "-5", "3", "2.5‰", "0.21%", "9.8/10万", "82 左右", ".5",
              "100000", "1,000,000.25", "4.2人"]  # fmt: skip
    units = ["", "", "", "", "", "", "岁", "%", "‰", "/10万", "张", "furlongs", "万人", "人",
             "years", "per_mille", " % "]  # fmt: skip
    natures = ["", "", "official", "示例", "illustrative", "官方", "国际估计"]
    sources = ["", "统计公报", " src ", "年鉴（2020）"]
    cis = ["", "", "", "", "", "", "1.5", "abc", "2,000", "３"]
    rows = [["region", "indicator", "period", "value", "unit", "source", "data_nature",
             "ci_lower", "ci_upper", "source_quote"]]  # fmt: skip
    for i in range(n):
        value = rng.choice(values) if rng.random() < 0.2 else f"{rng.uniform(0, 90):.{i % 4}f}"
        rows.append(
            [
                _pick(rng, regions, ["atlantis", "", "无名县"]),
                _pick(rng, indicators, ["no_such_thing", "", "人均寿命（年）"]),
                _pick(rng, periods, bad_periods),
                value,
                rng.choice(units),
                rng.choice(sources),
                _pick(rng, natures, ["bogus"]),
                rng.choice(cis),
                rng.choice(cis),
                rng.choice(["", "原文“达到80岁”", "quote, with comma"]),
            ]
        )
    rows.insert(n // 2, ["", "", "", "", "", "", "", "", "", ""])  # a blank line is not a record
    return _csv(rows)


def _messy_counts(rng: random.Random, n: int) -> str:
    regions = ["jiangyin", "江阴", "nantong", " 南通 ", "china"]
    measures = ["deaths", "死亡数", "活产数", "live_births", "常住人口（万人）", "population",
                "beds", "医疗卫生机构床位数", "infant_deaths"]  # fmt: skip
    ages = ["0", "1-4", "85岁以上", "85+", "30~34", "30-34岁", "all", "合计", "", "５－９"]
    sexes = ["男", "女", "male", "female", "1", "2", "", "合计", "M", "F"]
    causes = ["cvd", "心脑血管疾病", "cancer", "", "other", "maternal", "恶性肿瘤"]
    values = ["120", "1,001", "165.5万", "-3", "abc", "", "0", "12.5", "７"]
    units = ["", "", "", "", "", "万人", "人", "kg", "张"]
    rows = [["地区", "年份", "指标", "年龄组", "性别", "死因", "数值", "单位", "数据性质"]]
    for _ in range(n):
        value = rng.choice(values) if rng.random() < 0.15 else str(rng.randint(0, 99999))
        rows.append(
            [
                _pick(rng, regions, ["atlantis", ""]),
                _pick(rng, ["2019", "2020年", "2021", "2020Q1", "２０１８"], ["20XX", ""]),
                _pick(rng, measures, ["bogus", ""]),
                _pick(rng, ages, ["200-300", "老年"]),
                _pick(rng, sexes, ["x", "unknown"]),
                _pick(rng, causes, ["bogus"]),
                value,
                rng.choice(units),
                _pick(rng, ["", "示例", "official"], ["nope"]),
            ]
        )
    return _csv(rows)


def _messy_deaths(rng: random.Random, n: int) -> list[list[str | None]]:
    out = []
    for _ in range(n):
        d = date(2019, 1, 1) + timedelta(days=rng.randint(0, 800))
        age = _pick(rng, [0, 0.2, 0.9, 3, 4.5, 17, 31, 55, 67, 85, 99, 130], [131, -1])
        out.append(
            [
                _pick(rng, ["jiangyin", "江阴", "320281", "nantong", " 南通 "], ["atlantis", ""]),
                _pick(
                    rng,
                    [
                        d.isoformat(),
                        d.strftime("%Y/%m/%d"),
                        d.strftime("%Y%m%d"),
                        d.strftime("%Y.%m.%d"),
                    ],
                    ["2020-02-30", "", "yesterday", "1850-01-01"],
                ),  # fmt: skip
                _pick(rng, [str(age), " 40 "], ["abc", ""]),
                _pick(rng, ["男", "女", "male", "female", "1", "2"], ["x", ""]),
                _pick(
                    rng,
                    [
                        "I21.9",
                        "C34.1",
                        "E11",
                        "J44",
                        "O72.1",
                        "P07.3",
                        "A09",
                        " i10 ",
                        "c50.9",
                        "Z99",
                        "V01",
                    ],
                    ["99", ""],
                ),  # fmt: skip
                _pick(rng, ["0", "0", "0", "1", "是", "否", "true", "F"], ["maybe", ""]),
                rng.choice(
                    [None, None, (d - timedelta(days=rng.randint(0, 400))).isoformat(), "bad"]
                ),  # fmt: skip
            ]
        )
    return out


def _workbooks(folder: Path) -> None:
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


def write_inputs(folder: Path = INPUTS) -> None:
    """(Re)write the corpus of input files and the seed snapshot."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    SEEDS.mkdir(parents=True, exist_ok=True)
    for name in SEED_FILES:
        shutil.copy(SEEDS_DIR / f"{name}.csv", SEEDS / f"{name}.csv")
    shutil.copytree(PROJECT_ROOT / "raw" / "examples", folder / "examples")
    _write(folder / "bad_rows.csv", BAD_ROWS)
    for enc in ("utf-8", "utf-8-sig", "gb18030"):
        _write(folder / f"long_zh_{enc}.csv", LONG_ZH, enc)
    _write(
        folder / "en.csv",
        "Region,Indicator_Code,Period,Value,Data_Nature,CI_Lower,CI_Upper,Source_Quote\n"
        "jiangyin,health_literacy_rate,2021,35.2%,illustrative,33,37.5,原文\n"
        'Nantong,regular_exercise_population,2021,"12,345万人",示例,,,\n'
        "jiangyin,health_literacy_rate,2022,35.2,bogus,x,37.5,\n",
    )
    _write(folder / "yearbook.csv", WIDE)
    _write(folder / "yearbook_gbk.csv", WIDE.replace("江阴市", "南通市"), "gb18030")
    _write(
        folder / "counts_zh.csv",
        "地区,年份,指标,年龄组,性别,死因,数值\n"
        "江阴,2020,常住人口,合计,合计,,165.5万\n"
        "江阴,2020,死亡数,85岁以上,男,心脑血管疾病,120\n"
        '江阴,2020,死亡数,30-34,女,cancer,"1,001"\n'
        '江阴,2020,活产数,,,,"9,876"\n'
        "江阴,2020,死亡数,30-34,女,cancer,1001\n",
        "gb18030",
    )
    _write(
        folder / "measures.csv",
        "地区,指标,年份,数值\n南通,活产数,2021,50000\n南通,常住人口,2021,7726000\n",
    )
    _write(
        folder / "resources.csv",
        "南通市卫生资源（示例）,,\n指标,2019,2020\n常住人口（万人）,731.8,772.6\n"
        '医疗卫生机构床位数,"45,210","46,005"\n注：年末数,,\n',
    )
    _write(
        folder / "semi.csv",
        "地区;指标;年份;数值\n江阴;人均预期寿命;2020;82,1\n江阴;人均预期寿命;2021;82.3\n",
    )
    _write(
        folder / "crlf.csv",
        "地 区,指标名称,指标代码,年份,数值,,\r\n江阴市,人均预期寿命,,2020,82.1岁,,\r\n"
        "江阴市,,infant_mortality_rate,2020,2.1,,\r\n江阴市,,,2021,2.1,,\r\n",
    )
    _write(folder / "gapminder/oop.csv", GAPMINDER)
    _write(folder / "gapminder/oop.csv.source.yml", GAPMINDER_SIDECAR)
    _write(folder / "wdi.csv", WDI)
    _write(folder / "wdi.csv.source.yml", WDI_SIDECAR)
    _write(folder / "copy_of_bad_rows.csv", BAD_ROWS)  # same bytes, new name: a new arrival
    _write(folder / "zz_rejected/empty.csv", "")
    _write(folder / "zz_rejected/novalue.csv", "region,indicator,period,unit\njiangyin,x,2020,%\n")
    _write(folder / "zz_rejected/no_deaths.csv", "region,death_date,age,sex,icd10,maternal\n")
    _workbooks(folder)
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
    _write(
        folder / "births_gbk.csv",
        "地区,出生日期,性别\n江阴,2020-01-01,男\n江阴,2020-02-01,女\n江阴,2020-03-01,男\n"
        "南通,2021-01-01,女\n南通,2021-13-01,女\n,2021-01-01,女\n南通,2021-01-02,?\n",
        "gbk",
    )
    _write(
        folder / "reg_titled.csv",
        "江阴市死亡登记（导出）\n\n地区,死亡日期,年龄,性别,根本死因,孕产妇死亡\n"
        "江阴,2020-01-01,70,男,I21,0\n江阴,2020-01-02,abc,男,I21,0\n",
    )
    rng = random.Random(20261126)
    _write(folder / "messy/long_a.csv", _messy_long(rng, 3000))
    _write(folder / "messy/long_b_gb18030.csv", _messy_long(rng, 1500), "gb18030")
    _write(folder / "messy/counts.csv", _messy_counts(rng, 2500))
    messy = pl.DataFrame(_messy_deaths(rng, 3000), schema=DEATH_COLUMNS, orient="row")
    messy.write_csv(folder / "messy/deaths.csv")
    typed = messy.with_columns(
        pl.col("death_date").str.to_date(strict=False),
        pl.col("birth_date").str.to_date(strict=False),
        pl.col("age").str.strip_chars().cast(pl.Float64, strict=False),
        pl.col("maternal").replace_strict({"0": 0, "1": 1}, default=None, return_dtype=pl.Int8),
    )
    typed.write_parquet(folder / "messy/deaths_typed.parquet")
    births = pl.DataFrame(
        {
            "region": [_pick(rng, ["jiangyin", "nantong"], ["atlantis", ""]) for _ in range(1000)],
            "birth_date": [
                date(2020, 1, 1) + timedelta(days=rng.randint(0, 700))
                if rng.random() < 0.95
                else None  # fmt: skip
                for _ in range(1000)
            ],
        }
    )
    births.write_parquet(folder / "messy/births.parquet")
    _edge_registers(folder, rng)
    write_alt_inputs()


def _edge_registers(folder: Path, rng: random.Random) -> None:
    """Typed Parquet registers with edge values: NaN/inf ages, boolean flags, age in days."""
    n = 400
    ages = [0.0, 0.5, 0.999, 1.0, 4.99, 5.0, 29.5, 130.0, 130.5, -0.0, -0.5]
    ages += [float("nan"), float("inf"), float("-inf"), None]
    frame = pl.DataFrame(
        {
            "region": [_pick(rng, ["jiangyin", "nantong"], ["atlantis", None]) for _ in range(n)],
            "death_date": [
                date(2020, 1, 1) + timedelta(days=rng.randint(0, 500))
                if rng.random() < 0.97
                else rng.choice([None, date(1899, 12, 31), date(2101, 1, 1)])  # fmt: skip
                for _ in range(n)
            ],
            "age": [rng.choice(ages) for _ in range(n)],
            "sex": [_pick(rng, ["male", "female", "男"], ["?", None]) for _ in range(n)],
            "icd10": [
                _pick(rng, ["I21", "C50.1", "E11", "J45", "A01", "O72"], ["", None, "I2"])
                for _ in range(n)
            ],  # fmt: skip
            "maternal": [_pick(rng, [False, False, True], [None]) for _ in range(n)],
            "age_days": [
                _pick(rng, [None, 3, 27, 28, 400, 40000], [-1, 50000, float("nan")])
                for _ in range(n)
            ],
        },
        schema={
            "region": pl.String,
            "death_date": pl.Date,
            "age": pl.Float64,
            "sex": pl.String,
            "icd10": pl.String,
            "maternal": pl.Boolean,
            "age_days": pl.Float64,
        },
    )
    frame.write_parquet(folder / "messy/deaths_edge.parquet")
    ints = frame.drop("age_days").with_columns(
        pl.col("age").fill_nan(None).clip(-5, 200).cast(pl.Int32, strict=False),
        pl.col("maternal").cast(pl.Int16),
    )
    ints.write_parquet(folder / "messy/deaths_int.parquet")


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
    messy = pl.DataFrame(_messy_deaths(rng, 1500), schema=DEATH_COLUMNS, orient="row")
    messy.with_columns(pl.col("icd10").str.replace("I21.9", "J45")).write_csv(
        INPUTS_ALT / "alt_deaths.csv"
    )
    messy.with_columns(
        pl.col("death_date").str.to_date(strict=False),
        pl.col("birth_date").str.to_date(strict=False),
        pl.col("age").str.strip_chars().cast(pl.Float64, strict=False),
        pl.col("maternal").replace_strict({"0": 0, "1": 1}, default=None, return_dtype=pl.Int8),
    ).write_parquet(INPUTS_ALT / "alt_deaths.parquet")
    _write(
        INPUTS_ALT / "alt_births.csv",
        "region,birth_date,sex\njiangyin,2020-01-01,男\nnantong,2020-13-01,女\nnantong,2020-02-02,女\n",
    )


def corpus_files(folder: Path = INPUTS) -> list[Path]:
    """The corpus's data files in a fixed order (sidecars and notes are not data files)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(".source.yml") and p.suffix != ".md"
    )


def ingest_corpus(db: Path) -> dict[str, pl.DataFrame]:
    """Ingest the corpus into a fresh DuckDB file; return each raw table's comparable rows."""
    con = duckdb.connect(str(db))
    try:
        ensure_raw_schema(con)
        for folder, seeds in ((INPUTS, SEEDS), (INPUTS_ALT, SEEDS_ALT)):
            reference = load_reference(seeds)
            for path in corpus_files(folder):
                result = ingest_file(con, path, folder, "golden", reference=reference)
                if result.status == "failed":
                    raise AssertionError(result.message)
        return {table: _rows(con, table) for table in VOLATILE}
    finally:
        con.close()


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    frame = con.execute(f"select * exclude ({', '.join(VOLATILE[table])}) from raw.{table}").pl()
    return frame.sort(frame.columns, nulls_last=True)


def write_expected(db: Path) -> None:
    """Write the golden rows of the current code."""
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for table, frame in ingest_corpus(db).items():
        frame.write_parquet(EXPECTED / f"{table}.parquet")
        print(table, frame.height)


if __name__ == "__main__":
    import tempfile

    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "inputs":
        write_inputs()
    elif what == "expected":
        with tempfile.TemporaryDirectory() as tmp:
            write_expected(Path(tmp) / "golden.duckdb")
    else:
        sys.exit("usage: python -m ingest.golden_corpus inputs|expected")
