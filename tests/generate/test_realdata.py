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


def test_codes_are_separate_from_the_national_indicators() -> None:
    """Every real series has its own code that names the national one it must not mix with."""
    indicators = pl.read_csv(SEEDS_DIR / "indicators.csv", infer_schema=False)
    rows = {r["indicator_code"]: r for r in indicators.to_dicts()}
    for _source, f in FILES:
        assert f.indicator in rows, f"{f.indicator} is not in the seeds"
        row = rows[f.indicator]
        assert row["definition_family"], f.indicator
        assert row["comparable_to"] in rows and row["comparable_to"] != f.indicator


def test_smoking_projections_are_filtered_out() -> None:
    (smoking,) = [f for _s, f in FILES if f.indicator == "smoking_rate_15plus_who"]
    years = set(smoking.filter["time"])
    assert "2025" not in years and "2030" not in years and "2022" in years
