"""Real public series: verbatim China extracts, attribution and honest sidecars."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.config import SEEDS_DIR
from pipelines.generate.realdata import REALDATA_DIR, SOURCES, copy_real_data

FILES = [(s, f) for s in SOURCES for f in s.files]


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real")
    copy_real_data(out)
    return out


@pytest.mark.parametrize(("source", "f"), FILES, ids=lambda x: getattr(x, "name", ""))
def test_extract_is_verbatim_and_complete(copied: Path, source, f) -> None:
    original = (REALDATA_DIR / source.folder / f.name).read_bytes().splitlines(keepends=True)
    extract = (copied / source.folder / f.name).read_bytes().splitlines(keepends=True)
    assert extract[0] == original[0]  # header byte for byte
    if f.china_prefix is None:
        assert extract == original
        return
    china = [ln for ln in original[1:] if ln.startswith(f.china_prefix.encode())]
    assert extract[1:] == china and china, "every China line, in source order, nothing else"


@pytest.mark.parametrize(("source", "f"), FILES, ids=lambda x: getattr(x, "name", ""))
def test_sidecar_carries_provenance_and_nature(copied: Path, source, f) -> None:
    doc = yaml.safe_load((copied / source.folder / (f.name + ".source.yml")).read_text("utf-8"))
    assert doc["data_nature"] == "international_estimate"
    assert doc["licence"] == "CC BY 4.0"
    assert source.url in doc["source"] and doc["definition"]
    assert (copied / source.folder / "SOURCE.md").read_bytes() == (
        REALDATA_DIR / source.folder / "SOURCE.md"
    ).read_bytes()


#: The rule of docs/realdata-mapping.md, decided per file: same definition (numerator,
#: denominator, population, unit) -> the national code; different definition -> its own code.
SAME_DEFINITION = {
    "ddf--datapoints--infant_mortality_rate_per_1000_births--by--geo--time.csv": (
        "infant_mortality_rate"
    ),
    "ddf--datapoints--maternal_mortality_ratio_who--by--geo--time.csv": "maternal_mortality_ratio",
    "ddf--datapoints--newborn_mortality_rate_per_1000--by--geo--time.csv": (
        "neonatal_mortality_rate"
    ),
    "life_expectancy_china.csv": "life_expectancy",
}
DIFFERENT_DEFINITION = {
    "ddf--datapoints--out_of_pocket_share_of_total_health_spending_percent--by--geo--time.csv": (
        "oop_share_of_health_expenditure"
    ),
    "ddf--datapoints--medical_doctors_per_1000_people--by--geo--time.csv": "physicians_per_1000",
    "API_SH.MED.BEDS.ZS_china_rows.csv": "beds_per_1000",
    "ddf--datapoints--smoking_adults_percent_of_population_over_age_15--by--geo--time.csv": (
        "smoking_rate_15plus"
    ),
    # the second MMR series: the WHO one feeds the national code, so this one must not
    "ddf--datapoints--maternal_mortality_ratio_per_100000_live_births--by--geo--time.csv": (
        "maternal_mortality_ratio"
    ),
}


def _catalogue() -> dict[str, dict[str, str]]:
    indicators = pl.read_csv(SEEDS_DIR / "indicators.csv", infer_schema=False)
    return {r["indicator_code"]: r for r in indicators.to_dicts()}


def test_every_file_is_decided() -> None:
    assert {f.name for _s, f in FILES} == set(SAME_DEFINITION) | set(DIFFERENT_DEFINITION)
    assert not set(SAME_DEFINITION) & set(DIFFERENT_DEFINITION)


@pytest.mark.parametrize("name", sorted(SAME_DEFINITION))
def test_same_definition_feeds_the_national_code(name: str) -> None:
    """A different estimate of the same quantity is assessed under the national code; its
    nature (international_estimate, asserted per sidecar above) flags it."""
    rows = _catalogue()
    (f,) = [f for _s, f in FILES if f.name == name]
    national = SAME_DEFINITION[name]
    assert f.indicator == national
    assert not rows[national]["definition_family"] and not rows[national]["comparable_to"]
    assert f.unit == rows[national]["canonical_unit"]


@pytest.mark.parametrize("name", sorted(DIFFERENT_DEFINITION))
def test_different_definition_keeps_its_own_code(name: str) -> None:
    rows = _catalogue()
    (f,) = [f for _s, f in FILES if f.name == name]
    national = DIFFERENT_DEFINITION[name]
    assert f.indicator != national and f.indicator in rows, f.indicator
    assert rows[f.indicator]["definition_family"], f.indicator
    assert rows[f.indicator]["comparable_to"] == national
    assert rows[national]["canonical_unit"] == rows[f.indicator]["canonical_unit"] == f.unit


def test_no_code_is_fed_by_two_series() -> None:
    """One key per region x indicator x year: two series under one code would splice or let
    one silently supersede the other (the two MMR series disagree: 1990 97 vs 120)."""
    codes = [f.indicator for _s, f in FILES]
    assert len(codes) == len(set(codes)), codes


def test_separate_codes_are_not_aliased_to_national_ones() -> None:
    """A series' own name resolves to the code its sidecar names, never to the other side."""
    aliases = pl.read_csv(SEEDS_DIR / "indicator_aliases.csv", infer_schema=False)
    by_alias = dict(zip(aliases["alias"], aliases["indicator_code"], strict=True))
    for _s, f in FILES:
        concept = f.columns.get("value")
        if concept and concept in by_alias:
            assert by_alias[concept] == f.indicator, (concept, by_alias[concept])


def test_national_code_series_stay_inside_the_plausible_range(copied: Path) -> None:
    """The years a sidecar reads under a national code pass that code's plausibility check
    (nothing lands in quarantine as 'implausible' merely for being historical)."""
    rows = _catalogue()
    for source, f in FILES:
        if f.indicator not in SAME_DEFINITION.values():
            continue
        doc = yaml.safe_load((copied / source.folder / (f.name + ".source.yml")).read_text())
        cols = doc["columns"]
        data = pl.read_csv(copied / source.folder / f.name, infer_schema=False)
        for column, allowed in doc.get("filter", {}).items():
            data = data.filter(pl.col(column).is_in(allowed))
        values = data[cols["value"]].cast(pl.Float64)
        assert data.height > 0, f.name
        lo, hi = (
            float(rows[f.indicator]["plausible_min"]),
            float(rows[f.indicator]["plausible_max"]),
        )
        assert values.min() >= lo and values.max() <= hi, f.name


def test_smoking_projections_are_filtered_out(copied: Path) -> None:
    """The filter reads every observed year of the China extract and only those."""
    ((source, smoking),) = [(s, f) for s, f in FILES if f.indicator == "smoking_rate_15plus_who"]
    data = pl.read_csv(copied / source.folder / smoking.name, infer_schema=False)
    projections = {"2025", "2030"}
    assert projections <= set(data["time"])
    assert set(smoking.filter["time"]) == set(data["time"]) - projections
