"""The rows and CSV files the generators write (docs/ingestion.md: long observations, counts).

One definition of a counts row and of how a generated CSV is written (UTF-8 or GB18030, ``\\n``
line ends), shared by the sample (:mod:`pipelines.generate.sample`) and the national-scale
generator (:mod:`pipelines.generate.scale`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

#: The ``source`` of every illustrative row of the shipped sample (its data_nature says so too).
ILLUSTRATIVE_SOURCE = "healthplan sample generator (illustrative, not official)"

#: Header of a long counts CSV: one count per region × period × measure × age × sex × cause.
COUNTS_HEADER: list[str] = [
    "region",
    "period",
    "measure",
    "value",
    "age_group",
    "sex",
    "cause_group",
    "source",
    "data_nature",
]
#: Header of a long observations CSV written with its quote (the plans' own figures).
QUOTED_LONG_HEADER: list[str] = [
    "region",
    "indicator",
    "period",
    "value",
    "unit",
    "source",
    "source_quote",
    "data_nature",
]
#: Header of a long observations CSV without quotes (illustrative and synthetic series).
LONG_HEADER: list[str] = [c for c in QUOTED_LONG_HEADER if c != "source_quote"]


def count_row(
    region: str,
    year: int,
    measure: str,
    value: int,
    *,
    source: str,
    age: str = "all",
    sex: str = "all",
    cause: str = "all",
    data_nature: str = "illustrative",
) -> list[object]:
    """One row of a long counts file, in :data:`COUNTS_HEADER` order."""
    return [region, year, measure, value, age, sex, cause, source, data_nature]


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], encoding: str = "utf-8"
) -> int:
    """Write ``header`` and ``rows`` to ``path`` (folders created); returns the rows written.

    Rows are streamed, so a generator of rows keeps memory bounded at any scale.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
