"""Landing-zone ingestion (plain Python: polars + DuckDB, no Dagster).

Public API (CONTRACTS §2): :func:`discover_files`, :func:`ingest_file`, :func:`ingest_files`,
:func:`ingest_all`,
:func:`ensure_raw_schema`, :func:`one_checkpoint`, and the :class:`FileResult` they return.
"""

from pipelines.ingest.arrivals import file_sha256
from pipelines.ingest.core import (
    discover_files,
    ingest_all,
    ingest_file,
    ingest_files,
    one_checkpoint,
)
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.result import FileResult
from pipelines.ingest.schema import ensure_raw_schema

__all__ = [
    "FileRejectedError",
    "FileResult",
    "discover_files",
    "ensure_raw_schema",
    "file_sha256",
    "ingest_all",
    "ingest_file",
    "ingest_files",
    "one_checkpoint",
]
