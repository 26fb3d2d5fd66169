"""Ingesting landing-zone files into schema ``raw``: one file = one DuckDB transaction.

Guarantees (CONTRACTS §2):
- lineage (file hash, path, sheet, row, ingestion time, run) on every row written;
- a file is ingested exactly when it is a new *arrival* (``pipelines.ingest.arrivals``): its
  bytes or sidecar differ from its path's latest arrival — a revision, a restore of earlier
  bytes, or the same bytes under a new name; an unchanged file is ``skipped``;
- a file either lands completely (data rows, quarantined rows and its ``raw.ingested_files`` row
  in one transaction) or not at all, so a run killed mid-file leaves nothing and the next run
  simply ingests the file again;
- for every file, rows_read = rows_loaded + rows_quarantined.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.arrivals import (
    LOADED,
    REJECTED,
    arrival_time,
    changes_landing_zone,
    content_of,
    latest_arrival,
)
from pipelines.ingest.encoding import DecodedText, decode_text, encoding_quarantine
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.layout import HeaderInfo, find_header
from pipelines.ingest.readers import (
    csv_top_rows,
    file_format,
    frame_top_rows,
    parquet_columns,
    read_csv_body,
    read_parquet_text,
    read_xlsx_sheets,
    sniff_delimiter,
)
from pipelines.ingest.records import (
    ORIGINAL,
    TABLE,
    FileContext,
    table_records,
    validate_counts,
    validate_observations,
)
from pipelines.ingest.registers import ingest_register
from pipelines.ingest.schema import RAW_COLUMNS, ensure_raw_schema
from pipelines.ingest.sidecar import SIDECAR_SUFFIX, SourceDescription, load_sidecar
from pipelines.ingest.vocabulary import MEASURE_LOOKUP
from pipelines.reference import Reference, ReferenceDataError, load_reference, normalise_label

#: files in the landing zone that are documentation, not data.
_IGNORED_SUFFIXES = (".md",)
_REGISTERS = ("death_register", "birth_register")


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


def discover_files(raw_dir: Path) -> list[Path]:
    """Data files under ``raw_dir`` in ingestion order: file mtime, then relative path.

    Hidden files/folders, ``*.source.yml`` sidecars and Markdown notes are not data files; every
    other file is returned (an unsupported type is then *rejected*, never silently ignored).
    """
    raw_dir = Path(raw_dir)
    found = []
    for path in raw_dir.rglob("*"):
        rel = path.relative_to(raw_dir)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if path.name.endswith(SIDECAR_SUFFIX) or path.suffix.lower() in _IGNORED_SUFFIXES:
            continue
        found.append(path)
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.relative_to(raw_dir).as_posix()))


def _relative(path: Path, raw_dir: Path) -> str:
    try:
        return path.resolve().relative_to(Path(raw_dir).resolve()).as_posix()
    except ValueError:
        return path.name


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, ctx: FileContext
) -> None:
    """Append a frame to ``raw.<table>`` in one statement (Arrow hand-over, columns by name).

    The file's lineage (hash, path, ingestion time, run) is the same on every row: it is bound
    as parameters instead of being materialised as columns of the frame.
    """
    if frame.height == 0:
        return
    con.register("__ingest_frame", frame.to_arrow())
    try:
        con.execute(
            f"insert into raw.{table} by name select $hash as file_hash, $path as file_path, "
            "$at as ingested_at, $run as run_id, * from __ingest_frame",
            {
                "hash": ctx.file_hash,
                "path": ctx.file_path,
                "at": ctx.ingested_at,
                "run": ctx.run_id,
            },
        )
    finally:
        con.unregister("__ingest_frame")


def _title_region(header: HeaderInfo, ref: Reference, what: str) -> str | None:
    """Region named in the title rows above a table (longest matching alias), if any."""
    if not header.title_rows:
        return None
    titles = [normalise_label(t) for t in header.title_rows]
    hits: dict[str, str] = {}
    for key, region_id in ref.region_lookup.iter_rows():
        if len(key) >= 2 and not key.isdigit() and any(key in t for t in titles):
            hits[key] = region_id
    if not hits:
        return None
    longest = max(len(k) for k in hits)
    regions = {r for k, r in hits.items() if len(k) == longest}
    if len(regions) > 1:
        raise FileRejectedError(f"{what}: title rows name several regions {sorted(regions)}")
    return regions.pop()


_LABEL_UNIT = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


def _maybe_counts(
    header: HeaderInfo, body: pl.DataFrame, ref: Reference, desc: SourceDescription
) -> HeaderInfo:
    """A table whose 指标 column holds count measures (活产数, 常住人口（万人）…) is a count table.

    Works for long tables and for yearbook tables (measures down, years across); a sidecar that
    fixes the layout or the indicator has the last word.
    """
    if header.layout not in ("long", "wide") or "indicator" not in header.columns:
        return header
    if desc.layout or desc.indicator:
        return header
    column = f"c{header.columns['indicator']}"
    if column not in body.columns:
        return header
    rows = body
    if header.period_columns:  # notes below a yearbook table carry no values
        cells = [f"c{j}" for j in header.period_columns if f"c{j}" in body.columns]
        rows = body.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in cells]))
    values = rows.get_column(column).drop_nulls().unique().to_list()
    keys = {normalise_label(_LABEL_UNIT.sub("", v)) for v in values} - {""}
    indicator_keys = set(ref.indicator_lookup["key"].to_list())
    if keys and keys <= set(MEASURE_LOOKUP) and not keys & indicator_keys:
        columns = dict(header.columns)
        columns["measure"] = columns.pop("indicator")
        fallbacks = {("measure" if k == "indicator" else k): v for k, v in header.fallbacks.items()}
        return replace(header, layout="counts", columns=columns, fallbacks=fallbacks)
    return header


@dataclass
class _Parsed:
    layout: str
    encoding: str | None
    sheets: list[str]
    records: list[tuple[str, pl.DataFrame]]  # (layout, records)
    notes: list[str]


def _tables(
    path: Path, rel: str, fmt: str, desc: SourceDescription, ref: Reference
) -> tuple[DecodedText | None, list[tuple[str | None, HeaderInfo, pl.DataFrame, int]], list[str]]:
    """Read a file into (CSV text encoding, [(sheet, header, body, first_data_row)], notes)."""
    notes: list[str] = []
    if fmt == "csv":
        decoded = decode_text(path)
        delimiter = sniff_delimiter(path, decoded)
        top = csv_top_rows(path, decoded, delimiter)
        header = find_header(top, desc, rel)
        header.delimiter = delimiter
        if header.layout in _REGISTERS:
            if decoded.bad_lines:  # DuckDB reads registers from the file itself
                first = decoded.bad_lines[0]
                raise FileRejectedError(
                    f"register has {len(decoded.bad_lines)} line(s) not in its encoding "
                    f"({decoded.encoding}): {first.message(decoded.encoding)}"
                )
            return decoded, [(None, header, pl.DataFrame(), 0)], notes
        body = read_csv_body(path, decoded, header.index, delimiter)
        return decoded, [(None, header, body, header.index + 2)], notes
    if fmt == "parquet":
        # a register (10⁷ records) is aggregated by DuckDB from the file: the footer's column
        # names are enough to recognise it, its records are not read here
        names = parquet_columns(path)
        if names is not None:
            header = find_header([names], desc, rel)
            if header.layout in _REGISTERS:
                return None, [(None, header, pl.DataFrame(), 0)], notes
        frame = read_parquet_text(path)
        header = find_header([list(frame.columns)], desc, rel)
        body = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
        return None, [(None, header, body, 1)], notes
    tables = []
    for name, frame in read_xlsx_sheets(path):
        if desc.sheets and name not in desc.sheets:
            notes.append(f"sheet '{name}' not listed in the sidecar: not read")
            continue
        if frame.height == 0:
            notes.append(f"sheet '{name}' is empty")
            continue
        try:
            header = find_header(frame_top_rows(frame), desc, f"sheet '{name}'")
        except FileRejectedError as exc:
            notes.append(f"{exc}: sheet not read")
            continue
        if header.layout in _REGISTERS:
            notes.append(f"sheet '{name}' not read: registers must be CSV or Parquet")
            continue
        tables.append((name, header, frame.slice(header.index + 1), header.index + 2))
    if not tables:
        raise FileRejectedError("workbook has no readable table: " + "; ".join(notes))
    return None, tables, notes


def _load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    rel: str,
    ctx: FileContext,
    ref: Reference,
    result: FileResult,
) -> None:
    """Parse and insert one file's rows; fills ``result``. Raises FileRejectedError."""
    fmt = file_format(path)
    result.file_format = fmt
    desc = load_sidecar(path)
    try:
        ref = ref.with_region_aliases(desc.region_map).with_indicator_aliases(desc.indicator_map)
    except ReferenceDataError as exc:
        raise FileRejectedError(f"sidecar {desc.path}: {exc}") from exc
    decoded, tables, notes = _tables(path, rel, fmt, desc, ref)
    encoding = decoded.encoding if decoded else None
    result.encoding = encoding
    layouts: list[str] = []
    observations, counts = [], []
    for sheet, header, body, first_row in tables:
        what = rel + (f" [sheet '{sheet}']" if sheet else "")
        if header.layout in _REGISTERS:
            names = header.names
            columns = {c: names[j] for c, j in header.columns.items()}
            if "region" not in columns:
                raise FileRejectedError(f"{header.layout} needs a region column")
            tally = ingest_register(
                con,
                path,
                fmt,
                encoding,
                header.layout,
                columns,
                ref,
                desc,
                ctx,
                skip=header.index,
                delimiter=header.delimiter,
            )
            if tally.rows_read == 0:
                raise FileRejectedError("the register has a header but no records")
            result.layout = header.layout
            result.rows_read = tally.rows_read
            result.rows_loaded = tally.rows_loaded
            result.rows_quarantined = tally.rows_quarantined
            return
        header = _maybe_counts(header, body, ref, desc)
        region = None
        if "region" not in header.columns and not desc.region:
            region = _title_region(header, ref, what)
            if region is None:
                raise FileRejectedError(
                    f"{what}: no region column (region/地区/区域), no 'region:' in a sidecar and "
                    "no known region named in the title rows"
                )
        layouts.append("described" if desc.layout == "described" else header.layout)
        built = table_records(body, header, sheet, first_row, desc, region)
        if built.skipped_note:
            notes.append((f"sheet '{sheet}': " if sheet else "") + built.skipped_note)
        # each table keeps its own original cells (JSON-encoded only if quarantined)
        name = f"{ORIGINAL}_{len(layouts)}"
        records = built.records.rename({ORIGINAL: name}).with_columns(pl.lit(name).alias(TABLE))
        (counts if header.layout == "counts" else observations).append(records)
        if sheet:
            result.sheets.append(sheet)
    result.layout = Counter(layouts).most_common(1)[0][0]
    quarantined = []
    read = 0
    for kind, frames, validate in (
        ("observations", observations, validate_observations),
        ("count_observations", counts, validate_counts),
    ):
        if not frames:
            continue
        records = pl.concat(frames, how="diagonal_relaxed")
        read += records.height
        loaded, bad = validate(records, ref, desc, ctx)
        _insert(con, kind, loaded, ctx)
        result.rows_loaded += loaded.height
        quarantined.append(bad)
    if decoded and decoded.bad_lines:
        quarantined.append(encoding_quarantine(decoded, rel))
        read += len(decoded.bad_lines)
    if read == 0:
        raise FileRejectedError("the table has a header but no data rows")
    bad = pl.concat(quarantined, how="vertical_relaxed") if quarantined else pl.DataFrame()
    _insert(con, "quarantine", bad, ctx)
    result.rows_read = read
    result.rows_quarantined = bad.height
    if result.rows_read != result.rows_loaded + result.rows_quarantined:  # a bug, never data
        raise RuntimeError(f"{rel}: row accounting broken ({result})")
    if bad.height:
        reasons = Counter(bad["reason_code"].to_list())
        notes.insert(0, "quarantined: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    result.message = "; ".join(notes)


def _record(
    con: duckdb.DuckDBPyConnection,
    result: FileResult,
    ctx: FileContext,
    mtime: datetime,
    sidecar_hash: str | None,
) -> None:
    columns = ", ".join(RAW_COLUMNS["ingested_files"])
    con.execute(
        f"insert into raw.ingested_files ({columns}) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.file_hash,
            result.file_path,
            result.file_format,
            result.layout,
            result.encoding,
            result.status,
            result.message,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            mtime,
            ctx.ingested_at,
            ctx.run_id,
            sidecar_hash,
        ],
    )


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    raw_dir: Path,
    run_id: str,
    *,
    reference: Reference | None = None,
) -> FileResult:
    """Ingest one landing-zone file in its own transaction (idempotent by content hash).

    Args:
        con: open read-write connection (no transaction active).
        path: the file.
        raw_dir: landing-zone root; ``file_path`` lineage is relative to it.
        run_id: identifier of the run, stored on every row.
        reference: lookups to resolve against (default: :func:`load_reference` on the seeds).

    Returns:
        The :class:`FileResult`. An unexpected error rolls the file back and returns status
        ``failed`` (nothing recorded, so the next run retries); KeyboardInterrupt propagates.
    """
    path = Path(path)
    rel = _relative(path, raw_dir)
    started = time.perf_counter()
    try:
        result = _ingest_one(con, path, rel, run_id, reference)
    except Exception as exc:  # noqa: BLE001 — reported per file; KeyboardInterrupt propagates
        result = FileResult(
            file_path=rel, status="failed", message=f"{rel}: {type(exc).__name__}: {exc}"
        )
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    rel: str,
    run_id: str,
    reference: Reference | None,
) -> FileResult:
    ensure_raw_schema(con)
    content = content_of(path)
    file_hash = content.file_hash
    result = FileResult(file_path=rel, status=LOADED, file_hash=file_hash)
    latest = latest_arrival(con, rel)
    if not changes_landing_zone(latest, content):
        assert latest is not None
        result.status = "skipped"
        result.message = (
            f"{rel}: unchanged since its arrival at {latest.ingested_at} (status {latest.status})"
        )
        return result
    ref = reference or load_reference()
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    ctx = FileContext(file_path=rel, file_hash=file_hash, ingested_at=arrival_time(), run_id=run_id)
    con.begin()
    try:
        try:
            _load(con, path, rel, ctx, ref, result)
        except FileRejectedError as exc:
            con.rollback()
            con.begin()
            text = str(exc)
            fields = dict(file_format=result.file_format, encoding=result.encoding)
            result = FileResult(file_path=rel, status=REJECTED, file_hash=file_hash, **fields)
            result.message = text if text.startswith(rel) else f"{rel}: {text}"
        _record(con, result, ctx, mtime, content.sidecar_hash)
        con.commit()
    except BaseException:
        con.rollback()  # nothing of this file remains; the next run ingests it again
        raise
    return result


def ingest_all(
    db_path: Path,
    raw_dir: Path,
    run_id: str | None = None,
    *,
    seeds_dir: Path | None = None,
    lake: Path | None = None,
) -> list[FileResult]:
    """Ingest every data file of ``raw_dir`` into the DuckDB file ``db_path`` (mtime order).

    A file that fails unexpectedly is rolled back and reported ``failed``; the others still load.
    With ``lake`` (the models run on Spark) the validated raw rows are also written there as
    Parquet (:func:`pipelines.lake.sync_lake`).
    """
    run_id = run_id or f"ingest-{uuid.uuid4().hex[:12]}"
    reference = load_reference(seeds_dir)
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    results = []
    try:
        ensure_raw_schema(con)
        for path in discover_files(raw_dir):
            results.append(ingest_file(con, path, raw_dir, run_id, reference=reference))
    finally:
        con.close()
    if lake is not None:
        from pipelines.lake import sync_lake

        sync_lake(Path(db_path), Path(lake))
    return results
