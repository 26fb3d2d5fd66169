"""Lineage shared by every row written for one file, and the names of the original-cells columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: prefix of the struct column(s) holding a record's original cells (one per table of a file).
ORIGINAL = "__orig"
#: name of the row's ``ORIGINAL`` column when a file has several tables.
TABLE = "__table"


@dataclass(frozen=True)
class FileContext:
    """Lineage values shared by every row written for one file."""

    file_path: str
    file_hash: str
    ingested_at: datetime
    run_id: str
    #: the arrival's key (``raw.ingested_files.arrival_id``; rows stored by arrival carry it)
    arrival_id: int
