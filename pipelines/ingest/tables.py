"""From a landing-zone file to its tables: read it (CSV, Parquet, workbook), find each table's
header and layout, and the region a title row names (private to ``pipelines.ingest``).

A register is recognised here but not read: DuckDB scans it (:mod:`pipelines.ingest.registers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from pipelines.ingest.encoding import DecodedText, decode_text
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.layout import HeaderInfo, find_header
from pipelines.ingest.readers import (
    csv_top_rows,
    frame_top_rows,
    parquet_columns,
    read_csv_body,
    read_parquet_text,
    read_xlsx_sheets,
    sniff_delimiter,
)
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import MEASURE_LOOKUP
from pipelines.reference import Reference, normalise_label

REGISTERS = ("death_register", "birth_register")
#: a unit in brackets after a label: 常住人口（万人）
_LABEL_UNIT = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


@dataclass(frozen=True)
class Table:
    """One table of a file: its sheet (None for CSV/Parquet), header, body and the spreadsheet
    row number of the body's first row. A register's body is empty (DuckDB reads the file)."""

    sheet: str | None
    header: HeaderInfo
    body: pl.DataFrame
    first_row: int


@dataclass
class FileTables:
    """What reading a file gave: the CSV's decoded text (None otherwise), tables and notes."""

    decoded: DecodedText | None
    tables: list[Table]
    notes: list[str]


def read_tables(path: Path, rel: str, fmt: str, desc: SourceDescription) -> FileTables:
    """Read a file into its tables. Raises FileRejectedError."""
    if fmt == "csv":
        return _csv_tables(path, rel, desc)
    if fmt == "parquet":
        return _parquet_tables(path, rel, desc)
    return _xlsx_tables(path, desc)


def _csv_tables(path: Path, rel: str, desc: SourceDescription) -> FileTables:
    decoded = decode_text(path)
    delimiter = sniff_delimiter(path, decoded)
    header = find_header(csv_top_rows(path, decoded, delimiter), desc, rel)
    header.delimiter = delimiter
    if header.layout in REGISTERS:
        if decoded.bad_lines:  # DuckDB reads registers from the file itself
            first = decoded.bad_lines[0]
            raise FileRejectedError(
                f"register has {len(decoded.bad_lines)} line(s) not in its encoding "
                f"({decoded.encoding}): {first.message(decoded.encoding)}"
            )
        return FileTables(decoded, [Table(None, header, pl.DataFrame(), 0)], [])
    body = read_csv_body(path, decoded, header.index, delimiter)
    return FileTables(decoded, [Table(None, header, body, header.index + 2)], [])


def _parquet_tables(path: Path, rel: str, desc: SourceDescription) -> FileTables:
    # a register (10⁷ records) is aggregated by DuckDB from the file: the footer's column
    # names are enough to recognise it, its records are not read here
    names = parquet_columns(path)
    if names is not None:
        row: list[str | None] = list(names)
        header = find_header([row], desc, rel)
        if header.layout in REGISTERS:
            return FileTables(None, [Table(None, header, pl.DataFrame(), 0)], [])
    frame = read_parquet_text(path)
    columns: list[str | None] = list(frame.columns)
    header = find_header([columns], desc, rel)
    body = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    return FileTables(None, [Table(None, header, body, 1)], [])


def _xlsx_tables(path: Path, desc: SourceDescription) -> FileTables:
    tables: list[Table] = []
    notes: list[str] = []
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
        if header.layout in REGISTERS:
            notes.append(f"sheet '{name}' not read: registers must be CSV or Parquet")
            continue
        tables.append(Table(name, header, frame.slice(header.index + 1), header.index + 2))
    if not tables:
        raise FileRejectedError("workbook has no readable table: " + "; ".join(notes))
    return FileTables(None, tables, notes)


def title_region(header: HeaderInfo, ref: Reference, what: str) -> str | None:
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


def maybe_counts(
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
