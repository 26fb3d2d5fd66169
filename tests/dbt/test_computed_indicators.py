"""Indicators computed from counts by the dbt models, against independent computations and
published check values."""

from __future__ import annotations

import dbt_fixture_data as fx
import pytest
from dbt_harness import DbtBuild
from formula_reference import chiang_life_table, sdg_341
from scipy.stats import chi2

from pipelines.rules import poisson

pytestmark = pytest.mark.integration


def _computed(build: DbtBuild, indicator: str, year: int = 2022) -> dict:
    rows = build.query_dicts(
        "select * from intermediate.int_computed_indicators "
        "where indicator_code = ? and region_id = 'testville' and year = ?",
        [indicator, year],
    )
    assert len(rows) == 1, rows
    return rows[0]


def test_sdg_341_check_value_through_the_pipeline(dbt_build: DbtBuild) -> None:
    # WHO's check vector (assessment-methods §A3) fed as deaths / population by band
    (q,) = dbt_build.query(
        "select q_40_30 from intermediate.int_ncd_premature_mortality "
        "where region_id = 'testville' and year = 2022"
    )[0]
    assert round(q, 4) == 0.2443
    assert q == pytest.approx(sdg_341(fx.NCD_RATES), rel=1e-12)
    # published in the indicator's canonical unit (percent) via the units seed
    row = _computed(dbt_build, "premature_ncd_mortality")
    assert row["unit"] == "percent"
    assert row["value"] == pytest.approx(100 * q, rel=1e-12)
    assert row["ci_lower"] < row["value"] < row["ci_upper"]


def test_life_expectancy_matches_an_independent_chiang_ii_table(dbt_build: DbtBuild) -> None:
    bands = fx.AGE_BANDS
    widths = [1, 4] + [5] * (len(bands) - 3) + [None]
    deaths = [fx.LIFE_TABLE_INPUT[b][1] for b in bands]
    population = [fx.LIFE_TABLE_INPUT[b][0] for b in bands]
    e0, se = chiang_life_table(widths, deaths, population)

    row = dbt_build.query_dicts(
        "select * from intermediate.int_life_expectancy where region_id = 'testville'"
    )[0]
    assert row["e0"] == pytest.approx(e0, rel=1e-10)
    assert row["se_e0"] == pytest.approx(se, rel=1e-9)
    assert row["ci_lower"] == pytest.approx(e0 - 1.959963984540054 * se, rel=1e-10)
    assert row["suppression_reason"] is None
    # a plausible table: 19 bands, l0 = 100000, monotone survivors, open band q = 1
    table = dbt_build.query_dicts(
        "select * from intermediate.int_life_table where region_id = 'testville' order by age_lower"
    )
    assert [r["age_group"] for r in table] == bands
    assert table[0]["l"] == 100_000
    assert all(a["l"] >= b["l"] for a, b in zip(table, table[1:], strict=False))
    assert table[-1]["q"] == 1.0


def test_zero_events_give_zero_with_an_exact_upper_limit(dbt_build: DbtBuild) -> None:
    row = _computed(dbt_build, "maternal_mortality_ratio")
    births = fx.LIVE_BIRTHS_2022
    assert row["value"] == 0.0
    assert row["ci_lower"] == 0.0
    # exact upper limit for O = 0: chi2(0.975; 2) / 2 = 3.689 (per 100 000 live births)
    assert row["ci_upper"] == pytest.approx(chi2.ppf(0.975, 2) / 2 / births * 1e5, rel=1e-9)
    assert row["ci_upper"] == pytest.approx(28.376, abs=1e-3)


def test_small_counts_use_exact_poisson_limits(dbt_build: DbtBuild) -> None:
    row = _computed(dbt_build, "infant_mortality_rate")
    o, births = fx.INFANT_DEATHS_2022, fx.LIVE_BIRTHS_2022
    assert row["value"] == pytest.approx(o / births * 1000)
    lower = chi2.ppf(0.025, 2 * o) / 2
    upper = chi2.ppf(0.975, 2 * (o + 1)) / 2
    assert (lower, upper) == pytest.approx((1.6235, 11.6683), abs=1e-4)  # published table, O = 5
    assert row["ci_lower"] == pytest.approx(lower / births * 1000, rel=1e-8)
    assert row["ci_upper"] == pytest.approx(upper / births * 1000, rel=1e-8)


def test_large_counts_use_byar(dbt_build: DbtBuild) -> None:
    # crude death rate: deaths of all bands (>= 10) over the population summed from the bands
    row = dbt_build.query_dicts(
        "select * from intermediate.int_computed_rates "
        "where indicator_code = 'crude_death_rate' and region_id = 'testville' and year = 2022"
    )[0]
    deaths = sum(d for _, d in fx.LIFE_TABLE_INPUT.values())
    population = sum(p for p, _ in fx.LIFE_TABLE_INPUT.values())
    assert row["numerator"] == pytest.approx(deaths)
    assert row["denominator"] == pytest.approx(population)
    lower, upper = poisson.byar_limits(deaths)
    assert row["ci_lower"] == pytest.approx(lower / population * 1000, rel=1e-10)
    assert row["ci_upper"] == pytest.approx(upper / population * 1000, rel=1e-10)


def test_missing_all_rows_are_rolled_up_from_bands(dbt_build: DbtBuild) -> None:
    rows = dbt_build.query(
        "select value, derivation from intermediate.int_counts_annual where region_id = "
        "'testville' and year = 2022 and measure = 'population' and age_group = 'all' "
        "and sex = 'all' and cause_group = 'all'"
    )
    assert rows == [(sum(p for p, _ in fx.LIFE_TABLE_INPUT.values()), "sum_of_age_groups")]


def test_illustrative_inputs_make_an_illustrative_value(dbt_build: DbtBuild) -> None:
    row = _computed(dbt_build, "gps_per_10000", year=2023)
    assert row["value"] == pytest.approx(fx.GPS_2023 / fx.POPULATION_2023 * 10_000)
    assert row["is_illustrative"] is True and row["data_nature"] == "illustrative"
    (flag,) = dbt_build.query(
        "select latest_is_illustrative from marts.fct_target_assessment "
        "where target_id = 'test_plan__gps_per_10000__2025' and is_latest"
    )[0]
    assert flag is True
