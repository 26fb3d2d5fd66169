"""A new arrival's file parsed and validated without the warehouse (private to
``pipelines.ingest``): :func:`prepare` runs on a second thread while the warehouse writes the
previous file (:func:`pipelines.ingest.core.ingest_files`); it never touches DuckDB.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.ingest.arrivals import Content
from pipelines.ingest.context import FileContext
from pipelines.ingest.errors import FileRejectedError, failure_message
from pipelines.ingest.layout import HeaderInfo
from pipelines.ingest.loading import Validated, records_by_table, validate_records
from pipelines.ingest.readers import file_format
from pipelines.ingest.registers import RegisterFile
from pipelines.ingest.result import FileResult
from pipelines.ingest.sidecar import SourceDescription, load_sidecar
from pipelines.ingest.tables import REGISTERS, read_tables
from pipelines.reference import Reference, ReferenceDataError


@dataclass
class Arrival:
    """A file that is a new arrival (planned on the warehouse's thread, in landing-zone order)."""

    path: Path
    rel: str
    content: Content
    ctx: FileContext
    mtime: datetime
    result: FileResult
    started: float


@dataclass
class Prepared:
    """What a file's transaction writes, worked out without the warehouse: the validated rows,
    or the register to aggregate, or why the file is rejected (or failed)."""

    validated: Validated | None = None
    register: tuple[RegisterFile, Reference, SourceDescription, str] | None = None
    rejected: str | None = None
    failed: str | None = None
    seconds: float = 0.0


def prepare(arrival: Arrival, ref: Reference) -> Prepared:
    """Parse and validate one file (no warehouse: runs beside the previous file's write)."""
    started = time.perf_counter()
    prepared = Prepared()
    try:
        prepared = parse_and_validate(arrival, ref)
    except FileRejectedError as exc:
        prepared.rejected = str(exc)
    except Exception as exc:  # noqa: BLE001 — reported per file (status failed)
        prepared.failed = failure_message(arrival.rel, exc)
    prepared.seconds = time.perf_counter() - started
    return prepared


def parse_and_validate(arrival: Arrival, ref: Reference) -> Prepared:
    """The file's validated rows, or the register to aggregate (raises FileRejectedError)."""
    path, rel, result = arrival.path, arrival.rel, arrival.result
    fmt = file_format(path)
    result.file_format = fmt
    desc = load_sidecar(path)
    try:
        ref = ref.with_region_aliases(desc.region_map).with_indicator_aliases(desc.indicator_map)
    except ReferenceDataError as exc:
        raise FileRejectedError(f"sidecar {desc.path}: {exc}") from exc
    read = read_tables(path, rel, fmt, desc)
    result.encoding = read.decoded.encoding if read.decoded else None
    first = read.tables[0]
    if first.header.layout in REGISTERS:  # a register is one table, aggregated in DuckDB
        return Prepared(
            register=(
                register_file(path, fmt, first.header, result),
                ref,
                desc,
                first.header.delimiter,
            )
        )
    records = records_by_table(read, rel, ref, desc, result)
    return Prepared(validated=validate_records(records, read, rel, ref, desc, arrival.ctx, result))


def register_file(path: Path, fmt: str, header: HeaderInfo, result: FileResult) -> RegisterFile:
    """The register to aggregate at write time (rejected without a region column)."""
    columns = {c: header.names[j] for c, j in header.columns.items()}
    if "region" not in columns:
        raise FileRejectedError(f"{header.layout} needs a region column")
    result.layout = header.layout
    return RegisterFile(path, fmt, result.encoding, header.layout, columns, header.index)
