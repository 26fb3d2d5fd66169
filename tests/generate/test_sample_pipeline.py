"""The shipped sample through the real pipeline: ingestion, dbt's computed indicators, statuses.

Integration: one ingestion + one ``dbt build`` per session (see conftest.sample_pipeline).
"""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import polars as pl
import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.generate import official
from pipelines.generate.realdata import SOURCES
from pipelines.generate.sample import OWNED_FOLDERS, build_sample, scenario_table

pytestmark = pytest.mark.integration

STATUSES = (
    "met",
    "not_met",
    "met_early",
    "on_track",
    "off_track",
    "insufficient_data",
    "baseline_only",
    "no_data",
)


def test_sample_is_deterministic(tmp_path: Path, sample_dir: Path) -> None:
    again = tmp_path / "raw"
    build_sample(again)
    files = sorted(p.relative_to(sample_dir) for p in sample_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(
        sample_dir, again, [str(f) for f in files], shallow=False
    )
    assert not mismatch and not errors


def test_shipped_sample_is_current(sample_dir: Path) -> None:
    """raw/ holds exactly what ``healthplan generate --sample --out raw`` writes today."""
    shipped_files = {
        p.relative_to(PROJECT_ROOT / "raw")
        for folder in OWNED_FOLDERS
        for p in (PROJECT_ROOT / "raw" / folder).rglob("*")
        if p.is_file()
    }
    built = {p.relative_to(sample_dir) for p in sample_dir.rglob("*") if p.is_file()}
    assert shipped_files == built, "raw/ is stale: run healthplan generate --sample --out raw"
    for path in sample_dir.rglob("*"):
        if path.is_file():
            shipped = PROJECT_ROOT / "raw" / path.relative_to(sample_dir)
            assert shipped.exists() and shipped.read_bytes() == path.read_bytes(), (
                f"{shipped} is stale: run healthplan generate --sample --out raw"
            )


def test_sample_stays_small(sample_dir: Path) -> None:
    total = sum(p.stat().st_size for p in sample_dir.rglob("*") if p.is_file())
    assert total < 4 * 2**20


def test_generated_files_load_without_quarantine(sample_pipeline) -> None:
    by_path = {r.file_path: r for r in sample_pipeline.results}
    ours = [p for p in by_path if not p.startswith("real/")]
    assert ours, "no sample file was ingested"
    for path in ours:
        r = by_path[path]
        assert r.status == "loaded", f"{path}: {r.status} {r.message}"
        assert r.rows_quarantined == 0, f"{path}: {r.message}"
    quarantined = sample_pipeline.query(
        "select file_path, reason_code, count(*) from raw.quarantine "
        "where file_path not like 'real/%' group by all"
    )
    assert quarantined == []


def _described_real_values(raw: Path) -> dict[str, int]:
    """Non-empty values per real file inside its sidecar's filter (long: one per row; wide:
    one per year cell), counted straight from the extract."""
    counts: dict[str, int] = {}
    for source in SOURCES:
        for f in source.files:
            path = raw / "real" / source.folder / f.name
            if f.layout == "wide":
                lines = path.read_text("utf-8").splitlines()[(f.header_row or 1) - 1 :]
                header, row = next(csv.reader([lines[0]])), next(csv.reader([lines[1]]))
                n = sum(1 for h, v in zip(header, row, strict=False) if h.isdigit() and v)
            else:
                data = pl.read_csv(path, infer_schema=False)
                for column, allowed in f.filter.items():
                    data = data.filter(pl.col(column).is_in(allowed))
                n = data.filter(pl.col(f.columns["value"]).is_not_null()).height
            counts[f"real/{source.folder}/{f.name}"] = n
    return counts


def test_real_series_load_as_international_estimates(sample_pipeline) -> None:
    international = f"file_path like 'real/%' and file_path not like 'real/{official.FOLDER}/%'"
    rows = sample_pipeline.query(
        f"select data_nature, count(*) from raw.observations where {international} group by all"
    )
    assert set(dict(rows)) == {"international_estimate"}
    # every value the sidecars describe is loaded, per file (nothing else, nothing lost)
    loaded = dict(
        sample_pipeline.query(
            f"select file_path, count(*) from raw.observations where {international} group by all"
        )
    )
    assert loaded == _described_real_values(sample_pipeline.raw)
    # the WHO projections of smoking for 2025 and 2030 are not observations
    projected = sample_pipeline.query(
        "select count(*) from raw.observations where indicator_code = 'smoking_rate_15plus_who' "
        "and year >= 2025"
    )
    assert projected == [(0,)]


def test_official_national_series_loads_whole_and_official(sample_pipeline) -> None:
    """Every row of raw/real/nhc_statistical_bulletins loads as official, none quarantined, and
    each names its publication; a row with a quote was checked (quote_verified)."""
    path = sample_pipeline.raw / "real" / official.FOLDER / "national_series.csv"
    shipped = pl.read_csv(path, infer_schema=False)
    rows = sample_pipeline.query(
        "select data_nature, count(*), count(source), count(source_quote) from raw.observations "
        f"where file_path like 'real/{official.FOLDER}/%' group by all"
    )
    verified = shipped.filter(pl.col("quote_verified") == "true").height
    assert rows == [("official", shipped.height, shipped.height, verified)]
    assert shipped.filter(
        (pl.col("quote_verified") == "false") & pl.col("原文").is_not_null()
    ).is_empty()


def test_illustrative_is_never_official(sample_pipeline) -> None:
    rows = sample_pipeline.query(
        "select data_nature, count(*) from raw.observations "
        "where file_path like 'illustrative/%' group by all"
    )
    assert set(dict(rows)) == {"illustrative"}
    rows = sample_pipeline.query(
        "select data_nature, count(*) from raw.count_observations "
        "where file_path like 'illustrative/%' group by all"
    )
    assert set(dict(rows)) == {"illustrative"}
    mixed = sample_pipeline.query(
        "select count(*) from marts.fct_indicator_observation "
        "where data_nature = 'illustrative' and not is_illustrative"
    )
    assert mixed == [(0,)]


@pytest.mark.parametrize(
    ("region", "code", "year", "reported"),
    [
        ("jiangyin", "life_expectancy", 2020, 82.40),
        ("jiangyin", "infant_mortality_rate", 2020, 2.57),
        ("jiangyin", "under5_mortality_rate", 2020, 3.52),
        ("jiangyin", "premature_ncd_mortality", 2020, 9.03),
        ("jiangyin", "physicians_per_1000", 2020, 2.94),
        ("jiangyin", "nurses_per_1000", 2020, 3.01),
        ("jiangyin", "beds_per_1000", 2020, 5.5),
        ("nantong", "life_expectancy", 2017, 81.86),
        ("nantong", "infant_mortality_rate", 2017, 2.91),
        ("nantong", "under5_mortality_rate", 2017, 4.17),
        ("nantong", "maternal_mortality_ratio", 2017, 7.32),
        ("nantong", "premature_ncd_mortality", 2017, 10.4),
        ("changjiang", "infant_mortality_rate", 2018, 4.24),
        ("changjiang", "maternal_mortality_ratio", 2018, 61.0),
    ],
)
def test_dbt_recomputes_the_plans_figures_from_the_counts(
    sample_pipeline, region, code, year, reported
) -> None:
    rows = sample_pipeline.query(
        "select value, ci_lower, ci_upper from marts.fct_indicator_observation "
        "where region_id = ? and indicator_code = ? and year = ? and value_source = 'computed'",
        [region, code, year],
    )
    assert len(rows) == 1, f"no computed {code} for {region} {year}"
    value, low, high = rows[0]
    if low is not None:  # rates with a Poisson / life-table interval
        assert low <= reported <= high, f"{code} {region} {year}: {reported} not in [{low}, {high}]"
    else:  # staff and beds per population: exact up to rounding of the counts
        assert value == pytest.approx(reported, rel=0.01)
    if code in ("life_expectancy", "premature_ncd_mortality"):  # calibrated, not just in the CI
        assert value == pytest.approx(reported, abs=0.1)


def test_computed_indicators_agree_with_the_illustrative_series(sample_pipeline) -> None:
    """Every year: the value dbt computes from the counts is within its CI of the series."""
    rows = sample_pipeline.query(
        """
        select c.region_id, c.indicator_code, c.year, c.value, c.ci_lower, c.ci_upper, r.value
        from marts.fct_indicator_observation as c
        join marts.fct_indicator_observation as r
          on c.region_id = r.region_id and c.indicator_code = r.indicator_code
         and c.year = r.year
        where c.value_source = 'computed' and r.value_source = 'reported'
          and c.ci_lower is not null
        """
    )
    assert len(rows) >= 50
    outside = [r for r in rows if not (r[4] - 0.01 <= r[6] <= r[5] + 0.01)]
    assert outside == []


def test_every_status_occurs(sample_pipeline) -> None:
    rows = sample_pipeline.query(
        "select status, count(*) from marts.fct_target_assessment where is_latest group by all"
    )
    seen = dict(rows)
    missing = [s for s in STATUSES if not seen.get(s)]
    assert not missing, f"statuses never produced: {missing} (seen {seen})"


def test_steered_groups_get_their_status(sample_pipeline) -> None:
    """A few documented steering choices land on the status they were steered to."""
    expected = {
        ("jiangyin", "smoking_rate_15plus", 2025): "not_met",
        ("jiangyin", "life_expectancy", 2025): "met",
        ("jiangyin", "crd_mortality_70_under", 2025): "not_met",
        ("jiangyin", "geriatric_hospitals", 2025): "no_data",
        ("nantong", "life_expectancy", 2030): "on_track",
        ("nantong", "health_literacy_rate", 2030): "met_early",
        ("nantong", "premature_ncd_mortality", 2030): "off_track",
        ("nantong", "rural_sanitary_toilet_coverage", 2030): "insufficient_data",
    }
    table = {(r, c): s for r, c, s, _ in scenario_table()}
    assert table[("jiangyin", "crd_mortality_70_under")] == "baseline"
    for (region, code, year), status in expected.items():
        rows = sample_pipeline.query(
            # the plan's first target on the indicator and year (a `__2` beside it, e.g. an
            # improve stated next to the number, is steered by the same series, not pinned here)
            "select status from marts.fct_target_assessment where is_latest and region_id = ? "
            "and indicator_code = ? and target_year = ? "
            "and target_id = plan_id || '__' || indicator_code || '__' || target_year",
            [region, code, year],
        )
        assert rows and {r[0] for r in rows} == {status}, (region, code, year, rows)
