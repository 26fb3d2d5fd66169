"""Calibration of mortality schedules: the counts reproduce the rates they were built from."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.generate import mortality


def test_forty_q_thirty_matches_the_who_check_value() -> None:
    # assessment-methods.md A3: this schedule gives 0.2443
    rates = np.array([0.001, 0.0015, 0.0025, 0.004, 0.006, 0.009, 0.013, 0.019])
    assert mortality.forty_q_thirty(rates) == pytest.approx(0.2443, abs=5e-5)


def test_abridged_e0_of_a_flat_hazard() -> None:
    # constant hazard 0.01 at every age: e0 is close to 1/0.01 = 100 (open interval l/M)
    pop = np.full(len(mortality.AGE_GROUPS), 1000.0)
    e0 = mortality.abridged_e0(pop * 0.01, pop)
    assert 99.0 < e0 < 101.0


def test_apportion_keeps_the_total_and_the_proportions() -> None:
    parts = mortality.apportion(1001, np.array([1.0, 1.0, 2.0]))
    assert parts.sum() == 1001
    assert list(parts) == [250, 250, 501] or list(parts) == [251, 250, 500]
    assert mortality.apportion(0, np.array([1.0, 2.0])).sum() == 0


@pytest.mark.parametrize(
    ("population", "births", "e0", "imr", "u5mr", "ncd", "mmr"),
    [
        (1_779_500, 13_230, 82.40, 2.57, 3.52, 9.03, 0.0),  # Jiangyin 2020 (plan figures)
        (7_310_000, 52_000, 81.86, 2.91, 4.17, 10.4, 7.32),  # Nantong 2017 (plan figures)
        (164_700, 1_899, 76.5, 4.24, 5.7, 15.0, 61.0),  # Changjiang 2018 (IMR, MMR printed)
    ],
)
def test_calibrated_counts_reproduce_the_targets(population, births, e0, imr, u5mr, ncd, mmr):
    ry = mortality.calibrate_region_year(
        population=population,
        births=births,
        e0=e0,
        imr=imr,
        u5mr=u5mr,
        premature_ncd_pct=ncd,
        mmr=mmr,
    )
    got = mortality.recompute(ry)
    assert ry.population.sum() == population
    assert got["life_expectancy"] == pytest.approx(e0, abs=0.05)
    assert got["premature_ncd_mortality"] == pytest.approx(ncd, abs=0.05)
    # integer deaths: within one death of the rate
    assert abs(got["infant_mortality_rate"] - imr) <= 1000 / births
    assert abs(got["under5_mortality_rate"] - u5mr) <= 2000 / births
    assert abs(got["maternal_mortality_ratio"] - mmr) <= 100_000 / births


def test_tilt_matches_a_reported_crude_death_rate() -> None:
    kw = {"population": 164_700, "births": 1_899, "e0": 76.5, "imr": 4.24, "u5mr": 5.7}
    tilt = mortality.tilt_for_crude_death_rate(**kw, per_mille=4.53)
    ry = mortality.calibrate_region_year(**kw, premature_ncd_pct=15.0, mmr=61.0, tilt=tilt)
    assert 1000 * ry.deaths.sum() / ry.population.sum() == pytest.approx(4.53, abs=0.02)
    assert mortality.recompute(ry)["life_expectancy"] == pytest.approx(76.5, abs=0.05)


def test_impossible_targets_are_refused() -> None:
    with pytest.raises(ValueError, match="40q30"):
        mortality.calibrate_region_year(
            population=1_000_000,
            births=9_000,
            e0=85.0,
            imr=2.0,
            u5mr=3.0,
            premature_ncd_pct=40.0,
            mmr=5.0,
        )
