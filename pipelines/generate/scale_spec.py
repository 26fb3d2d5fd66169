"""What the national-scale generator is asked for, what it wrote, and the synthetic regions.

Synthetic regions follow one convention: ``region_id = syn_<NNNN>`` (1-based, zero-padded to 4),
``name_zh = 合成县<NNNN>``, level ``county``, parent ``china``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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


def register_format(spec: ScaleSpec) -> str:
    """Registers are Parquet when ``parquet`` is among the formats, else CSV."""
    return "parquet" if "parquet" in spec.formats else "csv"


def record(result: ScaleResult, spec: ScaleSpec, path: Path, rows: int) -> None:
    """Note the rows written to a landing-zone file, by its path relative to ``spec.out``."""
    result.files[str(path.relative_to(spec.out))] = rows
