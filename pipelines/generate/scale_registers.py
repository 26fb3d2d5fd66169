"""Synthetic death and birth registers, streamed in chunks (Parquet or CSV) with bounded memory.

Deaths: an age-at-death distribution like the nation's (Gompertz–Makeham), a cause by age, an
ICD-10 code drawn per cause, maternal deaths at :data:`SYNTHETIC_MMR`; births: a date per birth.
Regions are drawn in proportion to their size (deaths also to their mortality level).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.generate.mortality import (
    AGE_GROUPS,
    AGE_LABELS,
    GOMPERTZ_C,
    MAKEHAM_A,
    NCD_SHARE_OLD,
    NCD_SHARE_YOUNG,
    population_by_age,
)
from pipelines.generate.scale_spec import ScaleResult, ScaleSpec, record, register_format

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


class _Sink:
    """Append chunks to one CSV (utf-8 or gb18030) or Parquet file (one row group per chunk)."""

    def __init__(self, path: Path, fmt: str, encoding: str, schema: pa.Schema) -> None:
        self.path, self.fmt, self.encoding, self.schema = path, fmt, encoding, schema
        path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._fh: IO[bytes] | None = None
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


def age_at_death_distribution() -> tuple[np.ndarray, np.ndarray]:
    """Probability of each age group among deaths (national-like), and of each single age."""
    pop = population_by_age(1_400_000_000, 10_000_000)
    mids = np.array([lo + (w / 2 if w else 5.0) for _, lo, w in AGE_GROUPS])
    deaths = pop * (MAKEHAM_A + GOMPERTZ_LEVEL * np.exp(GOMPERTZ_C * mids))
    deaths[0] = 0.0055 * 10_000_000  # infant deaths ≈ IMR 5.5‰
    deaths[1] = 0.0017 * 10_000_000
    return deaths / deaths.sum(), pop


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


def write_deaths(
    spec: ScaleSpec,
    year: int,
    year_rng: np.random.Generator,
    death_p: np.ndarray,
    labels: np.ndarray,
    age_p: np.ndarray,
    result: ScaleResult,
) -> None:
    """``registers/deaths/deaths_<year>``: ``spec.deaths_per_year`` deaths, one row each."""
    # maternal deaths ≈ SYNTHETIC_MMR per 100k births; p is per death of a woman aged 15-49
    fertile = slice(AGE_LABELS.index("15-19"), AGE_LABELS.index("45-49") + 1)
    fertile_share = float(age_p[fertile].sum()) * 0.42  # female share of deaths below 80
    maternal_p = SYNTHETIC_MMR / 1e5 * spec.births_per_year / spec.deaths_per_year
    maternal_p = min(1.0, maternal_p / max(fertile_share, 1e-9))
    fmt = register_format(spec)
    sink = _Sink(
        spec.out / "registers/deaths" / f"deaths_{year}.{fmt}", fmt, spec.encoding, DEATH_SCHEMA
    )
    for n in _chunks(spec.deaths_per_year, spec.chunk_rows):
        sink.write(_death_chunk(year_rng, year, n, death_p, labels, age_p, maternal_p))
    sink.close()
    record(result, spec, sink.path, sink.rows)


def write_births(
    spec: ScaleSpec,
    year: int,
    year_rng: np.random.Generator,
    region_p: np.ndarray,
    labels: np.ndarray,
    result: ScaleResult,
) -> None:
    """``registers/births/births_<year>``: ``spec.births_per_year`` births, one row each."""
    fmt = register_format(spec)
    sink = _Sink(
        spec.out / "registers/births" / f"births_{year}.{fmt}", fmt, spec.encoding, BIRTH_SCHEMA
    )
    for n in _chunks(spec.births_per_year, spec.chunk_rows):
        idx = year_rng.choice(len(labels), size=n, p=region_p)
        sink.write(pl.DataFrame({"region": labels[idx], "birth_date": _dates(year_rng, year, n)}))
    sink.close()
    record(result, spec, sink.path, sink.rows)
