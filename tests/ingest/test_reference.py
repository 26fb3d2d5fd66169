"""Reference lookups from the seeds: normalisation, unit table integrity, ambiguity guard."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from pipelines.config import SEEDS_DIR
from pipelines.ingest.parsing import parse_number, period_series
from pipelines.reference import ReferenceDataError, load_reference, normalise_label, normalise_unit


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("每千常住人口执业（助理）医师数", "每千常住人口执业(助理) 医师数"),
        ("Life Expectancy", "life_expectancy"),
        ("ＩＭＲ", "imr"),
        (
            "城乡居民达到《国民体质测定标准》合格以上的人数比例",
            "城乡居民达到国民体质测定标准合格以上的人数比例",
        ),
    ],
)
def test_normalise_label_equates_spellings(a, b):
    assert normalise_label(a) == normalise_label(b)


def test_normalise_label_keeps_distinct_labels_distinct():
    assert normalise_label("5岁以下儿童死亡率") != normalise_label("婴儿死亡率")
    assert normalise_label(None) == ""


def test_normalise_unit_keeps_symbols():
    assert normalise_unit("％") == "%"
    assert normalise_unit(" 1 / 10万 ") == "1/10万"
    assert normalise_unit("‰") != normalise_unit("%")


def test_project_seeds_load_and_every_canonical_unit_is_a_unit():
    ref = load_reference(SEEDS_DIR)
    units = set(ref.units["unit"].to_list())
    canonical = pl.read_csv(SEEDS_DIR / "indicators.csv", infer_schema=False)["canonical_unit"]
    missing = sorted(set(canonical.drop_nulls().to_list()) - units)
    assert missing == [], f"canonical units not in units.csv: {missing}"
    # the Chinese spellings the issue names all resolve
    keys = dict(ref.unit_lookup.iter_rows())
    spellings = ["%", "‰", "/10万", "1/10万", "人", "张", "岁", "万人", "亿人", "万亿元"]
    assert {s: keys.get(normalise_unit(s)) for s in spellings} == {
        "%": "percent",
        "‰": "per_mille",
        "/10万": "per_100k",
        "1/10万": "per_100k",
        "人": "persons",
        "张": "count",
        "岁": "years",
        "万人": "persons_10k",
        "亿人": "persons_100m",
        "万亿元": "yuan_trillion",
    }


def test_units_convert_only_within_a_kind():
    ref = load_reference(SEEDS_DIR)
    kind = dict(ref.units.select("unit", "kind").iter_rows())
    fac = dict(ref.units.select("unit", "factor_to_base").iter_rows())
    assert fac["per_mille"] / fac["per_100k"] == pytest.approx(100)
    assert fac["persons_10k"] / fac["persons_100m"] == pytest.approx(1e-4)
    # a percentage is a proportion; 1/10万 a rate per population: two meanings, no conversion
    assert kind["percent"] == "proportion" != kind["per_100k"] == "rate_per_population"
    assert kind["per_100k"] != kind["per_1000_pop"] != kind["persons"]


def test_ambiguous_alias_is_refused(tmp_path, seeds_dir):
    for f in seeds_dir.iterdir():
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "indicator_aliases.csv").open("a", encoding="utf-8") as fh:
        fh.write("婴儿 死亡率,life_expectancy\n")  # normalises onto 婴儿死亡率
    with pytest.raises(ReferenceDataError, match="婴儿死亡率"):
        load_reference(tmp_path)


def test_period_parsing():
    texts = [
        "2020",
        "2020年",
        "2020Q3",
        "2020年第3季度",
        "2020-06",
        "2020年6月",
        "2020.0",
        "2020-13",
        "1800",
        "20xx",
        "",
        "２０２１年",
    ]
    got = period_series(texts).rows()
    assert got == [
        ("2020", "year", 2020),
        ("2020", "year", 2020),
        ("2020Q3", "quarter", 2020),
        ("2020Q3", "quarter", 2020),
        ("2020-06", "month", 2020),
        ("2020-06", "month", 2020),
        ("2020", "year", 2020),
        (None, None, None),
        (None, None, None),
        (None, None, None),
        (None, None, None),
        ("2021", "year", 2021),
    ]


def test_value_parsing():
    texts = [
        "1,234.5",
        "12万人",
        "35.2%",
        "约3.5",
        "—",
        "12,34",
        "１２，３４５",
        " 7 ",
        "-2",
        "3.5左右",
    ]
    frame = pl.DataFrame({"t": texts}).select(parse_number(pl.col("t")).alias("p")).unnest("p")
    assert frame.rows() == [
        (1234.5, None),
        (12.0, "万人"),
        (35.2, "%"),
        (None, None),
        (None, None),
        (12.0, ",34"),
        (12345.0, None),
        (7.0, None),
        (-2.0, None),
        (3.5, "左右"),
    ]
