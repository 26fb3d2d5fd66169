"""Seeded-random messy inputs of the golden corpus (``golden_corpus``): every kind of mess in
many spellings — full-width digits, stray spaces, units in the value, duplicates, unknown labels,
bad register records, NaN/infinite ages, boolean flags.

The generators draw from the caller's :class:`random.Random` in a fixed order: the committed
inputs are reproduced byte for byte only while that order stays as it is.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from .golden_files import csv_text


def pick(rng: random.Random, good: list, bad: list, p_bad: float = 0.06):
    """Mostly a good spelling, sometimes a bad one: most records load, every check fires."""
    return rng.choice(bad) if rng.random() < p_bad else rng.choice(good)


def messy_long(rng: random.Random, n: int) -> str:
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
                pick(rng, regions, ["atlantis", "", "无名县"]),
                pick(rng, indicators, ["no_such_thing", "", "人均寿命（年）"]),
                pick(rng, periods, bad_periods),
                value,
                rng.choice(units),
                rng.choice(sources),
                pick(rng, natures, ["bogus"]),
                rng.choice(cis),
                rng.choice(cis),
                rng.choice(["", "原文“达到80岁”", "quote, with comma"]),
            ]
        )
    rows.insert(n // 2, ["", "", "", "", "", "", "", "", "", ""])  # a blank line is not a record
    return csv_text(rows)


def messy_counts(rng: random.Random, n: int) -> str:
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
                pick(rng, regions, ["atlantis", ""]),
                pick(rng, ["2019", "2020年", "2021", "2020Q1", "２０１８"], ["20XX", ""]),
                pick(rng, measures, ["bogus", ""]),
                pick(rng, ages, ["200-300", "老年"]),
                pick(rng, sexes, ["x", "unknown"]),
                pick(rng, causes, ["bogus"]),
                value,
                rng.choice(units),
                pick(rng, ["", "示例", "official"], ["nope"]),
            ]
        )
    return csv_text(rows)


def messy_deaths(rng: random.Random, n: int) -> list[list[str | None]]:
    out = []
    for _ in range(n):
        d = date(2019, 1, 1) + timedelta(days=rng.randint(0, 800))
        age = pick(rng, [0, 0.2, 0.9, 3, 4.5, 17, 31, 55, 67, 85, 99, 130], [131, -1])
        out.append(
            [
                pick(rng, ["jiangyin", "江阴", "320281", "nantong", " 南通 "], ["atlantis", ""]),
                pick(
                    rng,
                    [
                        d.isoformat(),
                        d.strftime("%Y/%m/%d"),
                        d.strftime("%Y%m%d"),
                        d.strftime("%Y.%m.%d"),
                    ],
                    ["2020-02-30", "", "yesterday", "1850-01-01"],
                ),  # fmt: skip
                pick(rng, [str(age), " 40 "], ["abc", ""]),
                pick(rng, ["男", "女", "male", "female", "1", "2"], ["x", ""]),
                pick(
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
                pick(rng, ["0", "0", "0", "1", "是", "否", "true", "F"], ["maybe", ""]),
                rng.choice(
                    [None, None, (d - timedelta(days=rng.randint(0, 400))).isoformat(), "bad"]
                ),  # fmt: skip
            ]
        )
    return out


def edge_registers(folder: Path, rng: random.Random) -> None:
    """Typed Parquet registers with edge values: NaN/inf ages, boolean flags, age in days."""
    n = 400
    ages = [0.0, 0.5, 0.999, 1.0, 4.99, 5.0, 29.5, 130.0, 130.5, -0.0, -0.5]
    ages += [float("nan"), float("inf"), float("-inf"), None]
    frame = pl.DataFrame(
        {
            "region": [pick(rng, ["jiangyin", "nantong"], ["atlantis", None]) for _ in range(n)],
            "death_date": [
                date(2020, 1, 1) + timedelta(days=rng.randint(0, 500))
                if rng.random() < 0.97
                else rng.choice([None, date(1899, 12, 31), date(2101, 1, 1)])  # fmt: skip
                for _ in range(n)
            ],
            "age": [rng.choice(ages) for _ in range(n)],
            "sex": [pick(rng, ["male", "female", "男"], ["?", None]) for _ in range(n)],
            "icd10": [
                pick(rng, ["I21", "C50.1", "E11", "J45", "A01", "O72"], ["", None, "I2"])
                for _ in range(n)
            ],  # fmt: skip
            "maternal": [pick(rng, [False, False, True], [None]) for _ in range(n)],
            "age_days": [
                pick(rng, [None, 3, 27, 28, 400, 40000], [-1, 50000, float("nan")])
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
