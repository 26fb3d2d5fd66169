"""Column order of the long counts files the generators write (docs/ingestion.md, long counts)."""

from __future__ import annotations

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
