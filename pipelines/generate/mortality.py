"""Mortality schedules calibrated to a target life expectancy, and the counts that follow.

The sample data must let the warehouse *compute* the plans' reported figures back from counts.
So for a region-year with a target e0, IMR, U5MR and share of premature NCD deaths we build:

* a mid-year population by age group and sex (a fixed Chinese-style age profile, see
  :data:`AGE_PROFILE`, scaled to the total and with age 0 set to the year's births);
* all-cause deaths by age group: ages 0 and 1-4 straight from IMR and U5MR (China's definition:
  deaths ÷ live births), ages 5+ from a Gompertz–Makeham hazard ``A + B·exp(c·x)`` whose level
  ``B`` is solved (Brent) so that the abridged life table gives exactly the target e0;
* a split of deaths by sex (male hazard 1.35× female) and by cause group, with the four-NCD
  share at ages 30-69 solved so that SDG 3.4.1 (40q30) equals its target.

:func:`abridged_e0` is only the calibration objective; the warehouse's own life table (dbt) is the
authority, and ``tests/generate`` checks that dbt reproduces the targets from these counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

#: Age groups of the ``age_groups`` seed: (label, lower bound, width; None = open interval).
AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 1),
    ("1-4", 1, 4),
    *((f"{a}-{a + 4}", a, 5) for a in range(5, 85, 5)),
    ("85+", 85, None),
)
AGE_LABELS = tuple(g[0] for g in AGE_GROUPS)

#: Share of the population by age group (China-like, 2020 census shape; renormalised on use).
AGE_PROFILE = np.array(
    [0.9, 4.2, 5.6, 5.5, 4.9, 5.1, 6.6, 8.4, 7.0, 6.8, 8.1, 8.3, 7.0, 5.4, 5.2, 3.6, 2.3, 1.5, 1.0]
)
#: Share of males by age group (slightly male at birth, female at old ages).
MALE_SHARE = np.array(
    [0.53, 0.53, 0.53, 0.53, 0.53, 0.52, 0.51, 0.51, 0.51, 0.51, 0.50]
    + [0.50, 0.50, 0.49, 0.49, 0.48, 0.46, 0.43, 0.38]
)
#: Relative hazard by sex (male vs female), applied within each age group.
SEX_HAZARD = {"male": 1.35, "female": 1.0}
CAUSES = ("cvd", "cancer", "diabetes", "crd", "other")
#: Split of four-NCD deaths among the four causes, young-old (30-59) and old (60+).
NCD_SPLIT_MID = np.array([0.38, 0.48, 0.05, 0.09])
NCD_SPLIT_OLD = np.array([0.50, 0.30, 0.05, 0.15])
#: Four-NCD share of deaths outside 30-69 (fixed; only 30-69 enters SDG 3.4.1).
NCD_SHARE_YOUNG = 0.15
NCD_SHARE_OLD = 0.80

GOMPERTZ_C = 0.095
MAKEHAM_A = 0.0002


def _midpoints() -> np.ndarray:
    return np.array([lo + (w / 2 if w else 5.0) for _, lo, w in AGE_GROUPS])


def abridged_e0(deaths: np.ndarray, population: np.ndarray) -> float:
    """Life expectancy at birth from an abridged life table (Chiang II, 0,1-4,5-9,…,85+).

    a = 0.1 for age 0 and 0.5 otherwise; q = n·M / (1 + n·M·(1-a)); the open interval lives
    l/M person-years. Mirrors the method in /work/shared/notes/assessment-methods.md A3.
    """
    m = deaths / population
    l_x, total = 100_000.0, 0.0
    for i, (_, _, width) in enumerate(AGE_GROUPS):
        if width is None:
            return (total + l_x / m[i]) / 100_000.0
        a = 0.1 if i == 0 else 0.5
        q = min(1.0, width * m[i] / (1 + width * m[i] * (1 - a)))
        d = l_x * q
        total += width * (l_x - d + a * d)
        l_x -= d
    raise AssertionError("unreachable: the last age group is open")


def forty_q_thirty(ncd_rates: np.ndarray) -> float:
    """SDG 3.4.1: probability of dying 30→70 from the four NCDs, from rates of groups 30-34…65-69."""
    q = 5 * ncd_rates / (1 + 2.5 * ncd_rates)
    return float(1 - np.prod(1 - q))


def population_by_age(total: int, births: int, tilt: float = 0.0) -> np.ndarray:
    """Mid-year population by age group: the age profile scaled to ``total``, age 0 ≈ births.

    ``tilt`` > 0 makes the population younger (shares × exp(−tilt·(age − 40)/40)).
    """
    shares = AGE_PROFILE * np.exp(-tilt * (_midpoints() - 40) / 40)
    shares = shares / shares.sum()
    pop = shares * total
    pop[0] = births * 0.995
    # the 1-4 group follows the births too (a low-fertility city is not in equilibrium)
    pop[1] = min(shares[1] * total, births * 4.1)
    pop[2:] = shares[2:] / shares[2:].sum() * (total - pop[0] - pop[1])
    return apportion(total, pop).astype(float)


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total into integers proportional to ``weights`` (largest remainder)."""
    weights = np.asarray(weights, dtype=float)
    if total == 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = weights / weights.sum() * total
    base = np.floor(exact).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base


@dataclass(frozen=True)
class RegionYear:
    """The calibrated counts of one region and year (arrays indexed like :data:`AGE_GROUPS`)."""

    births: int
    population: np.ndarray  # (ages, 2) int: male, female
    deaths: np.ndarray  # (ages, 2, causes) int
    infant_deaths: int
    under5_deaths: int
    neonatal_deaths: int
    maternal_deaths: int


def _all_cause_deaths(e0: float, imr: float, u5mr: float, births: int, pop: np.ndarray):
    d0 = imr / 1000 * births
    d14 = max(u5mr - imr, 0.0) / 1000 * births
    mids = _midpoints()

    def deaths_for(level: float) -> np.ndarray:
        d = pop * (MAKEHAM_A + level * np.exp(GOMPERTZ_C * mids))
        d[0], d[1] = d0, d14
        return d

    def gap(log_level: float) -> float:
        return abridged_e0(deaths_for(math.exp(log_level)), pop) - e0

    lo, hi = math.log(1e-9), math.log(1e-2)
    if gap(lo) < 0 or gap(hi) > 0:
        raise ValueError(f"life expectancy {e0} is out of reach with IMR {imr}, U5MR {u5mr}")
    return deaths_for(math.exp(brentq(gap, lo, hi, xtol=1e-12)))


def calibrate_region_year(
    *,
    population: int,
    births: int,
    e0: float,
    imr: float,
    u5mr: float,
    premature_ncd_pct: float,
    mmr: float,
    nmr_share: float = 0.6,
    tilt: float = 0.0,
) -> RegionYear:
    """Counts for one region-year that reproduce e0, IMR, U5MR, 40q30 and MMR when recomputed.

    Raises:
        ValueError: when the targets are mutually impossible (e.g. 40q30 above all-cause 40q30).
    """
    pop = population_by_age(population, births, tilt)
    deaths = _all_cause_deaths(e0, imr, u5mr, births, pop)
    rates = deaths / pop
    band = slice(AGE_LABELS.index("30-34"), AGE_LABELS.index("65-69") + 1)
    target = premature_ncd_pct / 100

    def ncd_gap(share: float) -> float:
        return forty_q_thirty(rates[band] * share) - target

    if ncd_gap(0.97) < 0:
        raise ValueError(
            f"40q30 {premature_ncd_pct}% exceeds what all-cause mortality allows at e0 {e0}"
        )
    ncd_share_mid = brentq(ncd_gap, 0.0, 0.97, xtol=1e-10)

    male_share = MALE_SHARE
    pop_int = np.zeros((len(AGE_GROUPS), 2), dtype=np.int64)
    death_int = np.zeros((len(AGE_GROUPS), 2, len(CAUSES)), dtype=np.int64)
    for i, (_, lower, _) in enumerate(AGE_GROUPS):
        p = apportion(round(pop[i]), np.array([male_share[i], 1 - male_share[i]]))
        pop_int[i] = p
        d_total = round(deaths[i])
        by_sex = apportion(d_total, p * np.array([SEX_HAZARD["male"], SEX_HAZARD["female"]]))
        if 30 <= lower < 70:
            share, split = ncd_share_mid, (NCD_SPLIT_MID if lower < 60 else NCD_SPLIT_OLD)
        elif lower >= 70:
            share, split = NCD_SHARE_OLD, NCD_SPLIT_OLD
        else:
            share, split = NCD_SHARE_YOUNG, NCD_SPLIT_MID
        weights = np.append(split * share, 1 - share)
        for s in range(2):
            death_int[i, s] = apportion(int(by_sex[s]), weights)
    infant = int(death_int[0].sum())
    under5 = infant + int(death_int[1].sum())
    return RegionYear(
        births=births,
        population=pop_int,
        deaths=death_int,
        infant_deaths=infant,
        under5_deaths=under5,
        neonatal_deaths=round(infant * nmr_share),
        maternal_deaths=round(mmr / 100_000 * births),
    )


def recompute(ry: RegionYear) -> dict[str, float]:
    """The indicators a warehouse would compute from these counts (for checks and tests)."""
    deaths = ry.deaths.sum(axis=(1, 2)).astype(float)
    pop = ry.population.sum(axis=1).astype(float)
    band = slice(AGE_LABELS.index("30-34"), AGE_LABELS.index("65-69") + 1)
    ncd = ry.deaths[band, :, :4].sum(axis=(1, 2)) / pop[band]
    return {
        "life_expectancy": abridged_e0(deaths, pop),
        "infant_mortality_rate": 1000 * ry.infant_deaths / ry.births,
        "under5_mortality_rate": 1000 * ry.under5_deaths / ry.births,
        "maternal_mortality_ratio": 100_000 * ry.maternal_deaths / ry.births,
        "premature_ncd_mortality": 100 * forty_q_thirty(ncd),
    }


def tilt_for_crude_death_rate(
    *, population: int, births: int, e0: float, imr: float, u5mr: float, per_mille: float
) -> float:
    """The age-profile tilt at which the calibrated schedule gives this crude death rate.

    Life expectancy depends on the age-specific rates only, so the age structure is free to
    match a reported crude death rate (Changjiang 2018: 4.53 ‰).
    """

    def gap(tilt: float) -> float:
        pop = population_by_age(population, births, tilt)
        deaths = _all_cause_deaths(e0, imr, u5mr, births, pop)
        return 1000 * deaths.sum() / population - per_mille

    return brentq(gap, -1.0, 3.0, xtol=1e-6)
