"""What ingesting one file gave (public as ``pipelines.ingest.FileResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileResult:
    """Outcome of ingesting one file.

    ``status``: ``loaded`` | ``rejected`` (both recorded in ``raw.ingested_files`` as an
    arrival), ``skipped`` (the path's latest arrival has the same bytes and sidecar; nothing
    written) or ``failed`` (unexpected error; the transaction was rolled back and the next run
    retries).
    """

    file_path: str
    status: str
    file_hash: str | None = None
    file_format: str | None = None
    layout: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str = ""
    sheets: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall time of ingest_file for this file (not stored)
