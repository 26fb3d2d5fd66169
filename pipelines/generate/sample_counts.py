"""The sample's counts: births, deaths by age × sex × cause, population and health resources.

Per plan region and year the counts are calibrated (:mod:`pipelines.generate.mortality`) to the
region's series of the computed indicators — life expectancy, infant, under-5, neonatal and
maternal mortality, premature NCD mortality, resources per population — so the warehouse
recomputes from the counts what the series say.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.generate import mortality, series
from pipelines.generate.columns import COUNTS_HEADER, ILLUSTRATIVE_SOURCE, count_row
from pipelines.generate.reported import CHANGJIANG_2018_CRUDE, REPORTED_COUNTS
from pipelines.generate.sample_files import write_sample_csv
from pipelines.generate.steering import (
    COUNT_MEASURES_PER_POP,
    DEMOGRAPHY,
    FALLBACK,
    PLAN_REGIONS,
    full_path,
)

#: indicator code → year → value: the series a region shows for each indicator.
Paths = dict[str, dict[int, float]]


def _demography(region: str, year: int) -> tuple[int, int]:
    y0, pop0, births0, g_pop, g_births = DEMOGRAPHY[region]
    pop = round(pop0 * (1 + g_pop) ** (year - y0))
    births = round(births0 * (1 + g_births) ** (year - y0))
    return pop, births


def _path_value(paths: Paths, code: str, year: int, region: str) -> float:
    path = paths.get(code, {})
    if year in path:
        return path[year]
    if path:  # nearest year of the series
        return path[min(path, key=lambda y: abs(y - year))]
    base, step = FALLBACK[code]
    return base + step * (year - DEMOGRAPHY[region][0])


def _changjiang_births(pop: int) -> int:
    """Changjiang's 2018 births from the crude birth rate its plan prints."""
    return round(CHANGJIANG_2018_CRUDE["birth_rate_per_mille"] * pop / 1000)


def _tilt(region: str, paths: Paths) -> float:
    """Age tilt of mortality so Changjiang's 2018 crude death rate is the printed one (else 0)."""
    if region != "changjiang":
        return 0.0
    pop, _ = _demography(region, 2018)
    return mortality.tilt_for_crude_death_rate(
        population=pop,
        births=_changjiang_births(pop),
        e0=_path_value(paths, "life_expectancy", 2018, region),
        imr=_path_value(paths, "infant_mortality_rate", 2018, region),
        u5mr=_path_value(paths, "under5_mortality_rate", 2018, region),
        per_mille=CHANGJIANG_2018_CRUDE["death_rate_per_mille"],
    )


def _calibrated(region: str, year: int, paths: Paths, tilt: float) -> mortality.RegionYear:
    """Births, deaths and population of one region × year, calibrated to its series."""
    pop, births = _demography(region, year)
    if region == "changjiang" and year == 2018:
        births = _changjiang_births(pop)
    imr = _path_value(paths, "infant_mortality_rate", year, region)
    u5 = max(_path_value(paths, "under5_mortality_rate", year, region), imr)
    return mortality.calibrate_region_year(
        population=pop,
        births=births,
        e0=_path_value(paths, "life_expectancy", year, region),
        imr=imr,
        u5mr=u5,
        premature_ncd_pct=_path_value(paths, "premature_ncd_mortality", year, region),
        mmr=_path_value(paths, "maternal_mortality_ratio", year, region),
        nmr_share=min(1.0, _path_value(paths, "neonatal_mortality_rate", year, region) / imr),
        tilt=tilt,
    )


def count_rows(region: str, groups: list[series.Group]) -> list[list[object]]:
    """Count-level rows for one region and every year, calibrated to its series."""
    paths = {g.indicator.code: full_path(g) for g in groups if g.region_id == region}
    official = {(r, y, m) for _, r, y, m, _, _ in REPORTED_COUNTS if m != "population"}
    tilt = _tilt(region, paths)
    rows: list[list[object]] = []

    def add(year: int, measure: str, value: float, **labels: str) -> None:
        row = count_row(region, year, measure, int(value), source=ILLUSTRATIVE_SOURCE, **labels)
        rows.append(row)

    for year in series.YEARS:
        ry = _calibrated(region, year, paths, tilt)
        add(year, "live_births", ry.births)
        add(year, "infant_deaths", ry.infant_deaths)
        add(year, "under5_deaths", ry.under5_deaths)
        add(year, "neonatal_deaths", ry.neonatal_deaths)
        add(year, "maternal_deaths", ry.maternal_deaths)
        for i, age in enumerate(mortality.AGE_LABELS):
            for s, sex in enumerate(("male", "female")):
                add(year, "population", ry.population[i, s], age=age, sex=sex)
                for c, cause in enumerate(mortality.CAUSES):
                    if ry.deaths[i, s, c]:
                        add(year, "deaths", ry.deaths[i, s, c], age=age, sex=sex, cause=cause)
        pop, _ = _demography(region, year)
        for measure, (code, per) in COUNT_MEASURES_PER_POP.items():
            if (region, year, measure) not in official:
                add(year, measure, round(_path_value(paths, code, year, region) * pop / per))
    return rows


def write_counts(out: Path, groups: list[series.Group]) -> list[Path]:
    """One counts CSV per plan region (illustrative)."""
    paths = (
        write_sample_csv(
            out / "illustrative" / "counts" / f"{region}_counts.csv",
            COUNTS_HEADER,
            count_rows(region, groups),
        )
        for region in PLAN_REGIONS
    )
    return [p for p in paths if p is not None]
