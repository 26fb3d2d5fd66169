"""Synthetic counts and observation tables, one file per year (CSV, and a wide XLSX on request).

``counts/population_<year>.csv`` (mid-year population by age group × sex), ``counts/resources_
<year>.csv`` (physicians, nurses, beds, GPs), ``observations/observations_<year>.csv`` (every
non-computed indicator, long) and ``observations/observations_wide_<year>.xlsx``; plus the seed
rows of the synthetic regions. Rows are streamed, so memory does not grow with the regions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pipelines.generate.columns import COUNTS_HEADER, LONG_HEADER, count_row, write_csv
from pipelines.generate.mortality import AGE_LABELS, apportion, population_by_age
from pipelines.generate.scale_spec import ScaleResult, ScaleSpec, record

#: The ``source`` of every synthetic count row.
COUNTS_SOURCE = "healthplan generate"
#: The ``source`` of every synthetic observation row.
OBSERVATIONS_SOURCE = "healthplan generate (synthetic)"


def population_total(spec: ScaleSpec) -> int:
    """The national population that goes with the births asked for."""
    # crude birth rate ≈ 7.1 ‰ (China 2020s): population follows the births asked for
    return int(spec.births_per_year / 0.0071)


def write_population(
    spec: ScaleSpec, year: int, labels: np.ndarray, region_p: np.ndarray, result: ScaleResult
) -> None:
    """Mid-year population of every region by age group × sex."""
    pops = apportion(population_total(spec), region_p)
    births = apportion(spec.births_per_year, region_p)
    path = spec.out / "counts" / f"population_{year}.csv"

    def rows() -> Iterator[list[object]]:
        for r, label in enumerate(labels):
            by_age = population_by_age(int(pops[r]), int(births[r]))
            for i, age in enumerate(AGE_LABELS):
                male = apportion(int(by_age[i]), np.array([0.51, 0.49]))
                for sex, value in (("male", male[0]), ("female", male[1])):
                    yield count_row(
                        label,
                        year,
                        "population",
                        int(value),
                        source=COUNTS_SOURCE,
                        age=age,
                        sex=sex,
                    )

    record(result, spec, path, write_csv(path, COUNTS_HEADER, rows(), spec.encoding))


def write_resources(
    spec: ScaleSpec,
    year: int,
    labels: np.ndarray,
    region_p: np.ndarray,
    rng: np.random.Generator,
    result: ScaleResult,
) -> None:
    """Physicians, nurses, beds and GPs of every region, growing 4 % a year from 2015."""
    pops = apportion(population_total(spec), region_p)
    growth = 1 + 0.04 * (year - 2015)
    rates = {"physicians": 2.2e-3, "nurses": 2.4e-3, "beds": 5.1e-3, "gps": 1.5e-4}
    noise = {m: rng.lognormal(0, 0.15, len(labels)) for m in rates}
    path = spec.out / "counts" / f"resources_{year}.csv"

    def rows() -> Iterator[list[object]]:
        for r, label in enumerate(labels):
            for measure, rate in rates.items():
                value = round(pops[r] * rate * growth * noise[measure][r])
                yield count_row(label, year, measure, value, source=COUNTS_SOURCE)

    record(result, spec, path, write_csv(path, COUNTS_HEADER, rows(), spec.encoding))


def _indicator_values(
    spec: ScaleSpec, year: int, n: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """A plausible value per region for every observation indicator (illustrative)."""
    region_rng = np.random.default_rng([spec.seed, 7])  # region effects fixed across years
    out = {}
    for code, _unit, lo, hi, direction, typical in spec.indicators:
        sign = {"lower_is_better": -1, "target_range": 0}.get(direction, 1)
        scale = max(abs(typical), 1e-6)
        effect = region_rng.normal(0, 0.06 * scale, n)
        step = 0.01 * scale * (year - 2015) * sign
        values = typical + effect + step + rng.normal(0, 0.01 * scale, n)
        out[code] = np.round(np.clip(values, lo, hi), 2)
    return out


def write_observations(
    spec: ScaleSpec, year: int, labels: np.ndarray, rng: np.random.Generator, result: ScaleResult
) -> None:
    """Every indicator of ``spec.indicators`` for every region, long (and wide with ``xlsx``)."""
    values = _indicator_values(spec, year, len(labels), rng)
    units = {code: unit for code, unit, *_ in spec.indicators}
    path = spec.out / "observations" / f"observations_{year}.csv"

    def rows() -> Iterator[list[object]]:
        for r, label in enumerate(labels):
            for code, vals in values.items():
                yield [
                    label,
                    code,
                    year,
                    f"{vals[r]:g}",
                    units[code],
                    OBSERVATIONS_SOURCE,
                    "illustrative",
                ]

    record(result, spec, path, write_csv(path, LONG_HEADER, rows(), spec.encoding))
    if "xlsx" in spec.formats:
        _write_wide_xlsx(spec, year, labels, values, units, result)


def _write_wide_xlsx(
    spec: ScaleSpec,
    year: int,
    labels: np.ndarray,
    values: dict[str, np.ndarray],
    units: dict[str, str],
    result: ScaleResult,
) -> None:
    """A yearbook-style wide workbook: one sheet per indicator, regions down, the year across."""
    import xlsxwriter

    path = spec.out / "observations" / f"observations_wide_{year}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    # a fixed creation time keeps the workbook byte-identical for the same seed
    wb.set_properties({"created": dt.datetime(year, 12, 31), "title": "illustrative"})
    rows = 0
    for code, vals in values.items():
        ws = wb.add_worksheet(code[:31])
        for c, head in enumerate(["region", "indicator", "unit", "data_nature", str(year)]):
            ws.write_string(0, c, head)
        for r, label in enumerate(labels, start=1):
            ws.write_string(r, 0, str(label))
            ws.write_string(r, 1, code)
            ws.write_string(r, 2, units[code])
            ws.write_string(r, 3, "illustrative")
            ws.write_number(r, 4, float(vals[r - 1]))
            rows += 1
    wb.close()
    record(result, spec, path, rows)


def write_reference(ref_dir: Path, ids: list[str], names: list[str], result: ScaleResult) -> None:
    """Seed rows (regions, region_aliases) for the synthetic regions, to append to the seeds."""
    regions = ref_dir / "regions.csv"
    header = [
        "region_id",
        "name_zh",
        "name_en",
        "admin_code",
        "level",
        "parent_region_id",
        "is_redacted",
    ]
    result.files[str(regions)] = write_csv(
        regions,
        header,
        (
            [rid, name, f"Synthetic county {rid[4:]}", "", "county", "china", "false"]
            for rid, name in zip(ids, names, strict=True)
        ),
    )
    aliases = ref_dir / "region_aliases.csv"
    result.files[str(aliases)] = write_csv(
        aliases,
        ["alias", "region_id"],
        (row for rid, name in zip(ids, names, strict=True) for row in ([rid, rid], [name, rid])),
    )
