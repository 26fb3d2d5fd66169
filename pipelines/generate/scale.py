"""Synthetic national-scale landing-zone data, streamed in chunks with bounded memory.

Layout written under ``out`` — a landing zone (everything illustrative, deterministic from
``seed``)::

    out/registers/deaths/deaths_<year>.<parquet|csv>   region, death_date, age, sex, icd10, maternal
    out/registers/births/births_<year>.<parquet|csv>   region, birth_date
    out/counts/population_<year>.csv                   mid-year population by age group × sex
    out/counts/resources_<year>.csv                    physicians, nurses, beds, gps
    out/observations/observations_<year>.csv           long: every non-computed indicator
    out/observations/observations_wide_<year>.xlsx     wide yearbook table (with ``xlsx``)
    out/.generate-manifest.json                        parameters and rows per file
    <reference_out>/regions.csv, region_aliases.csv    seed rows for the synthetic regions (opt.)

Registers are Parquet when ``parquet`` is among the formats (the default), else CSV; a register
with zero rows asked for is not written. Reference files go outside the landing zone so that
ingestion never mistakes them for data.

Synthetic regions follow one convention: ``region_id = syn_<NNNN>`` (1-based, zero-padded to 4),
``name_zh = 合成县<NNNN>``, level ``county``, parent ``china``. Registers name the region by id
(UTF-8) or by its Chinese name (GB18030) so the encoding path is really exercised; both spellings
are in ``region_aliases.csv``. Peak memory is bounded by ``chunk_rows``, not by the totals.

The parts: ``scale_spec`` (what is asked, what was written), ``scale_registers`` (deaths and
births), ``scale_tables`` (counts, observations, reference rows).
"""

from __future__ import annotations

import json
import resource
import time

import numpy as np

from pipelines.generate.scale_registers import age_at_death_distribution, write_births, write_deaths
from pipelines.generate.scale_spec import (
    ScaleResult,
    ScaleSpec,
    parse_years,
    region_ids,
    region_names,
)
from pipelines.generate.scale_tables import (
    write_observations,
    write_population,
    write_reference,
    write_resources,
)

__all__ = [
    "ScaleResult",
    "ScaleSpec",
    "generate_scale",
    "parse_years",
    "peak_rss_bytes",
    "region_ids",
    "region_names",
]


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _regions_frame(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Relative population size and mortality level of each synthetic region."""
    size = rng.lognormal(mean=0.0, sigma=0.6, size=n)
    hazard = rng.lognormal(mean=0.0, sigma=0.08, size=n)
    return size / size.sum(), hazard


def generate_scale(spec: ScaleSpec) -> ScaleResult:
    """Write the whole synthetic landing zone described by ``spec``; returns what was written."""
    start = time.perf_counter()
    result = ScaleResult()
    rng = np.random.default_rng(spec.seed)
    ids = region_ids(spec.regions)
    names = region_names(spec.regions)
    labels = np.array(names if spec.encoding == "gb18030" else ids, dtype=object)
    region_p, hazard = _regions_frame(spec.regions, rng)
    death_p = region_p * hazard
    death_p /= death_p.sum()
    age_p, _ = age_at_death_distribution()
    if spec.reference_out is not None:
        write_reference(spec.reference_out, ids, names, result)
    for year in spec.years:
        year_rng = np.random.default_rng([spec.seed, year])
        if spec.deaths_per_year:
            write_deaths(spec, year, year_rng, death_p, labels, age_p, result)
        if spec.births_per_year:
            write_births(spec, year, year_rng, region_p, labels, result)
        write_population(spec, year, labels, region_p, result)
        write_resources(spec, year, labels, region_p, year_rng, result)
        if spec.indicators:
            write_observations(spec, year, labels, year_rng, result)
    result.seconds = time.perf_counter() - start
    result.peak_rss_bytes = peak_rss_bytes()
    _write_manifest(spec, result)
    return result


def _write_manifest(spec: ScaleSpec, result: ScaleResult) -> None:
    manifest = {
        "regions": spec.regions,
        "years": list(spec.years),
        "deaths_per_year": spec.deaths_per_year,
        "births_per_year": spec.births_per_year,
        "seed": spec.seed,
        "formats": list(spec.formats),
        "encoding": spec.encoding,
        "data_nature": "illustrative",
        "files": result.files,
        "rows": result.rows,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (spec.out / ".generate-manifest.json").write_text(text, encoding="utf-8")
