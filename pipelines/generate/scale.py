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
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.generate.columns import COUNTS_HEADER
from pipelines.generate.mortality import (
    AGE_GROUPS,
    AGE_LABELS,
    GOMPERTZ_C,
    MAKEHAM_A,
    NCD_SHARE_OLD,
    NCD_SHARE_YOUNG,
    apportion,
    population_by_age,
)

#: ICD-10 codes drawn for each cause group (a mix of 3-character and 4-character forms).
ICD_CODES: dict[str, tuple[str, ...]] = {
    "cvd": ("I10", "I11.9", "I20", "I21.9", "I25.1", "I48", "I50.0", "I61.9", "I63.9", "I64"),
    "cancer": ("C15.9", "C16.9", "C18", "C22.0", "C25", "C34.1", "C50.9", "C53", "C61", "C91"),
    "diabetes": ("E10", "E11.9", "E14"),
    "crd": ("J41", "J43.9", "J44.9", "J45", "J47", "J84.1"),
    "other": ("A09", "A15.0", "A41.9", "B20", "J18.9", "K74.6", "N18.5", "V89.2", "W19", "X70"),
    "infant": ("P07.3", "P21.9", "P36.9", "Q24.9", "Q89.9", "A41.9"),
    "maternal": ("O00.9", "O14.1", "O15.0", "O72.1", "O85", "O88.2", "O99.4"),
}
#: Maternal deaths per 100 000 live births in the synthetic registers.
SYNTHETIC_MMR = 16.0
#: Mean e0-like level of the national age-at-death distribution (Gompertz level parameter).
GOMPERTZ_LEVEL = 2.6e-5


@dataclass(frozen=True)
class ScaleSpec:
    """What to generate (validated by :func:`parse_years` and the CLI)."""

    regions: int
    years: tuple[int, ...]
    deaths_per_year: int
    births_per_year: int
    out: Path
    seed: int = 42
    formats: tuple[str, ...] = ("csv", "parquet")
    encoding: str = "utf-8"
    chunk_rows: int = 1_000_000
    reference_out: Path | None = None
    indicators: tuple[tuple[str, str, float, float, str, float], ...] = ()


@dataclass
class ScaleResult:
    """Rows written per file, wall seconds and peak resident memory (bytes)."""

    files: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_bytes: int = 0

    @property
    def rows(self) -> int:
        return sum(self.files.values())


def parse_years(text: str) -> tuple[int, ...]:
    """``"2015-2024"`` → (2015, …, 2024); ``"2020"`` → (2020,); ``"2015,2018"`` → both."""
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = (int(p) for p in part.split("-", 1))
            if hi < lo:
                raise ValueError(f"year range {part!r} runs backwards")
            years.extend(range(lo, hi + 1))
        elif part:
            years.append(int(part))
    if not years:
        raise ValueError(f"no years in {text!r}")
    return tuple(sorted(set(years)))


def region_ids(n: int) -> list[str]:
    """Synthetic region ids by the documented convention (``syn_0001`` …)."""
    width = max(4, len(str(n)))
    return [f"syn_{i:0{width}d}" for i in range(1, n + 1)]


def region_names(n: int) -> list[str]:
    """Chinese names of the synthetic regions (``合成县0001`` …)."""
    return [f"合成县{rid[4:]}" for rid in region_ids(n)]


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _Sink:
    """Append chunks to one CSV (utf-8 or gb18030) or Parquet file (one row group per chunk)."""

    def __init__(self, path: Path, fmt: str, encoding: str, schema: pa.Schema):
        self.path, self.fmt, self.encoding, self.schema = path, fmt, encoding, schema
        path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._fh = None
        if fmt == "parquet":
            self._writer = pq.ParquetWriter(path, schema, compression="zstd")
        else:
            self._fh = path.open("wb")

    def write(self, frame: pl.DataFrame) -> None:
        if self._writer is not None:
            self._writer.write_table(frame.to_arrow().cast(self.schema))
        else:
            text = frame.write_csv(include_header=self.rows == 0)
            assert self._fh is not None  # opened with the CSV writer in __init__
            self._fh.write(text.encode(self.encoding))
        self.rows += frame.height

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._fh is not None:
            self._fh.close()


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        step = min(size, total)
        yield step
        total -= step


def _age_at_death_distribution() -> tuple[np.ndarray, np.ndarray]:
    """Probability of each age group among deaths (national-like), and of each single age."""
    pop = population_by_age(1_400_000_000, 10_000_000)
    mids = np.array([lo + (w / 2 if w else 5.0) for _, lo, w in AGE_GROUPS])
    deaths = pop * (MAKEHAM_A + GOMPERTZ_LEVEL * np.exp(GOMPERTZ_C * mids))
    deaths[0] = 0.0055 * 10_000_000  # infant deaths ≈ IMR 5.5‰
    deaths[1] = 0.0017 * 10_000_000
    return deaths / deaths.sum(), pop


def _regions_frame(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Relative population size and mortality level of each synthetic region."""
    size = rng.lognormal(mean=0.0, sigma=0.6, size=n)
    hazard = rng.lognormal(mean=0.0, sigma=0.08, size=n)
    return size / size.sum(), hazard


def _cause_probs(lower: np.ndarray) -> np.ndarray:
    """(rows, 5) probabilities of cvd, cancer, diabetes, crd, other given the age group."""
    ncd = np.where(lower >= 70, NCD_SHARE_OLD, np.where(lower >= 30, 0.62, NCD_SHARE_YOUNG))
    split = np.where((lower >= 60)[:, None], [0.50, 0.30, 0.05, 0.15], [0.38, 0.48, 0.05, 0.09])
    return np.column_stack([split * ncd[:, None], 1 - ncd])


def _draw_codes(rng: np.random.Generator, group: str, n: int) -> np.ndarray:
    codes = np.array(ICD_CODES[group], dtype=object)
    return codes[rng.integers(0, len(codes), n)]


def _dates(rng: np.random.Generator, year: int, n: int) -> pl.Series:
    days = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
    epoch = (dt.date(year, 1, 1) - dt.date(1970, 1, 1)).days
    return pl.Series(rng.integers(0, days, n) + epoch, dtype=pl.Int32).cast(pl.Date)


DEATH_SCHEMA = pa.schema(
    [
        ("region", pa.string()),
        ("death_date", pa.date32()),
        ("age", pa.int16()),
        ("sex", pa.string()),
        ("icd10", pa.string()),
        ("maternal", pa.int8()),
    ]
)
BIRTH_SCHEMA = pa.schema([("region", pa.string()), ("birth_date", pa.date32())])


def _death_chunk(
    rng: np.random.Generator,
    year: int,
    n: int,
    region_p: np.ndarray,
    labels: np.ndarray,
    age_p: np.ndarray,
    maternal_p: float,
) -> pl.DataFrame:
    region_idx = rng.choice(len(region_p), size=n, p=region_p)
    group = rng.choice(len(AGE_GROUPS), size=n, p=age_p)
    lower = np.array([g[1] for g in AGE_GROUPS])[group]
    width = np.array([g[2] or 15 for g in AGE_GROUPS])[group]
    age = (lower + np.floor(rng.random(n) * width)).astype(np.int16)
    male = rng.random(n) < np.where(lower >= 80, 0.45, 0.58)
    icd = np.empty(n, dtype=object)
    causes = ("cvd", "cancer", "diabetes", "crd", "other")
    probs = _cause_probs(lower)
    cum = probs.cumsum(axis=1)
    pick = (rng.random(n)[:, None] > cum).sum(axis=1).clip(0, 4)
    for k, cause in enumerate(causes):
        mask = pick == k
        icd[mask] = _draw_codes(rng, cause, int(mask.sum()))
    infant = age == 0
    icd[infant] = _draw_codes(rng, "infant", int(infant.sum()))
    fertile = (~male) & (age >= 15) & (age <= 49)
    maternal = fertile & (rng.random(n) < maternal_p)
    icd[maternal] = _draw_codes(rng, "maternal", int(maternal.sum()))
    return pl.DataFrame(
        {
            "region": labels[region_idx],
            "death_date": _dates(rng, year, n),
            "age": age,
            "sex": np.where(male, "male", "female"),
            "icd10": icd.astype(str),
            "maternal": maternal.astype(np.int8),
        }
    )


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
    age_p, _ = _age_at_death_distribution()
    landing = spec.out
    if spec.reference_out is not None:
        _write_reference(spec.reference_out, ids, names, result)
    for year in spec.years:
        year_rng = np.random.default_rng([spec.seed, year])
        if spec.deaths_per_year:
            _write_deaths(landing, spec, year, year_rng, death_p, labels, age_p, result)
        if spec.births_per_year:
            _write_births(landing, spec, year, year_rng, region_p, labels, result)
        _write_population(landing, spec, year, labels, region_p, result)
        _write_resources(landing, spec, year, labels, region_p, year_rng, result)
        if spec.indicators:
            _write_observations(landing, spec, year, labels, year_rng, result)
    result.seconds = time.perf_counter() - start
    result.peak_rss_bytes = peak_rss_bytes()
    _write_manifest(spec, result)
    return result


def _register_format(spec: ScaleSpec) -> str:
    return "parquet" if "parquet" in spec.formats else "csv"


def _write_deaths(landing, spec, year, year_rng, death_p, labels, age_p, result) -> None:
    # maternal deaths ≈ SYNTHETIC_MMR per 100k births; p is per death of a woman aged 15-49
    fertile = slice(AGE_LABELS.index("15-19"), AGE_LABELS.index("45-49") + 1)
    fertile_share = float(age_p[fertile].sum()) * 0.42  # female share of deaths below 80
    maternal_p = SYNTHETIC_MMR / 1e5 * spec.births_per_year / spec.deaths_per_year
    maternal_p = min(1.0, maternal_p / max(fertile_share, 1e-9))
    fmt = _register_format(spec)
    sink = _Sink(
        landing / "registers/deaths" / f"deaths_{year}.{fmt}", fmt, spec.encoding, DEATH_SCHEMA
    )
    for n in _chunks(spec.deaths_per_year, spec.chunk_rows):
        sink.write(_death_chunk(year_rng, year, n, death_p, labels, age_p, maternal_p))
    sink.close()
    result.files[str(sink.path.relative_to(spec.out))] = sink.rows


def _write_births(landing, spec, year, year_rng, region_p, labels, result) -> None:
    fmt = _register_format(spec)
    sink = _Sink(
        landing / "registers/births" / f"births_{year}.{fmt}", fmt, spec.encoding, BIRTH_SCHEMA
    )
    for n in _chunks(spec.births_per_year, spec.chunk_rows):
        idx = year_rng.choice(len(labels), size=n, p=region_p)
        sink.write(pl.DataFrame({"region": labels[idx], "birth_date": _dates(year_rng, year, n)}))
    sink.close()
    result.files[str(sink.path.relative_to(spec.out))] = sink.rows


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


def _population_total(spec: ScaleSpec) -> int:
    # crude birth rate ≈ 7.1 ‰ (China 2020s): population follows the births asked for
    return int(spec.births_per_year / 0.0071)


def _write_csv_rows(path: Path, encoding: str, header: list[str], rows: Iterator[list]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_population(landing, spec, year, labels, region_p, result) -> None:
    total = _population_total(spec)
    pops = apportion(total, region_p)
    births = apportion(spec.births_per_year, region_p)
    path = landing / "counts" / f"population_{year}.csv"

    def rows() -> Iterator[list]:
        for r, label in enumerate(labels):
            by_age = population_by_age(int(pops[r]), int(births[r]))
            for i, age in enumerate(AGE_LABELS):
                male = apportion(int(by_age[i]), np.array([0.51, 0.49]))
                for sex, value in (("male", male[0]), ("female", male[1])):
                    yield _count_row(label, year, "population", int(value), age, sex)

    header = COUNTS_HEADER
    result.files[str(path.relative_to(spec.out))] = _write_csv_rows(
        path, spec.encoding, header, rows()
    )


def _count_row(
    region: str, year: int, measure: str, value: int, age: str = "all", sex: str = "all"
) -> list:
    """One row of a long counts file (:data:`COUNTS_HEADER`), all causes, illustrative."""
    return [region, year, measure, value, age, sex, "all", "healthplan generate", "illustrative"]


def _write_resources(landing, spec, year, labels, region_p, rng, result) -> None:
    pops = apportion(_population_total(spec), region_p)
    growth = 1 + 0.04 * (year - 2015)
    rates = {"physicians": 2.2e-3, "nurses": 2.4e-3, "beds": 5.1e-3, "gps": 1.5e-4}
    noise = {m: rng.lognormal(0, 0.15, len(labels)) for m in rates}
    path = landing / "counts" / f"resources_{year}.csv"

    def rows() -> Iterator[list]:
        for r, label in enumerate(labels):
            for measure, rate in rates.items():
                value = round(pops[r] * rate * growth * noise[measure][r])
                yield _count_row(label, year, measure, value)

    header = COUNTS_HEADER
    result.files[str(path.relative_to(spec.out))] = _write_csv_rows(
        path, spec.encoding, header, rows()
    )


def _indicator_values(spec, year, n, rng) -> dict[str, np.ndarray]:
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


def _write_observations(landing, spec, year, labels, rng, result) -> None:
    values = _indicator_values(spec, year, len(labels), rng)
    units = {code: unit for code, unit, *_ in spec.indicators}
    path = landing / "observations" / f"observations_{year}.csv"

    def rows() -> Iterator[list]:
        for r, label in enumerate(labels):
            for code, vals in values.items():
                yield [
                    label,
                    code,
                    year,
                    f"{vals[r]:g}",
                    units[code],
                    "healthplan generate (synthetic)",
                    "illustrative",
                ]

    header = ["region", "indicator", "period", "value", "unit", "source", "data_nature"]
    result.files[str(path.relative_to(spec.out))] = _write_csv_rows(
        path, spec.encoding, header, rows()
    )
    if "xlsx" in spec.formats:
        _write_wide_xlsx(landing, spec, year, labels, values, units, result)


def _write_wide_xlsx(landing, spec, year, labels, values, units, result) -> None:
    """A yearbook-style wide workbook: one sheet per indicator, regions down, the year across."""
    import xlsxwriter

    path = landing / "observations" / f"observations_wide_{year}.xlsx"
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
    result.files[str(path.relative_to(spec.out))] = rows


def _write_reference(ref_dir: Path, ids: list[str], names: list[str], result: ScaleResult):
    """Seed rows (regions, region_aliases) for the synthetic regions, to append to the seeds."""
    ref_dir.mkdir(parents=True, exist_ok=True)
    regions = ref_dir / "regions.csv"
    n = _write_csv_rows(
        regions,
        "utf-8",
        [
            "region_id",
            "name_zh",
            "name_en",
            "admin_code",
            "level",
            "parent_region_id",
            "is_redacted",
        ],
        (
            [rid, name, f"Synthetic county {rid[4:]}", "", "county", "china", "false"]
            for rid, name in zip(ids, names, strict=True)
        ),
    )
    result.files[str(regions)] = n
    aliases = ref_dir / "region_aliases.csv"
    n = _write_csv_rows(
        aliases,
        "utf-8",
        ["alias", "region_id"],
        (row for rid, name in zip(ids, names, strict=True) for row in ([rid, rid], [name, rid])),
    )
    result.files[str(aliases)] = n
