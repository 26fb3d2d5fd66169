"""Reading landing-zone files into all-text polars frames: encoding detection, CSV, XLSX, Parquet.

Readers keep every cell as text (the original text is what quarantine must show) and keep blank
lines, so a frame row maps to the spreadsheet row a person sees.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import polars as pl

from pipelines.ingest.encoding import DecodedText
from pipelines.ingest.errors import FileRejectedError

#: lines examined when looking for the header row.
HEADER_SCAN_ROWS = 40

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}


@dataclass(frozen=True)
class Sheet:
    """One table-like grid of text cells: a CSV file, one XLSX sheet, or a Parquet file.

    Attributes:
        name: sheet name (None for CSV/Parquet).
        top_rows: the first rows as lists of cell text (for header detection).
        first_row_number: spreadsheet row number of ``top_rows[0]`` (1-based).
    """

    name: str | None
    top_rows: list[list[str | None]]
    first_row_number: int = 1


def file_format(path: Path) -> str:
    """``csv``, ``xlsx`` or ``parquet`` from the suffix; FileRejectedError for anything else."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FileRejectedError(
            f"unsupported file type {path.suffix or '(none)'!r}: expected .csv, .xlsx or .parquet"
        )
    return fmt


def _text(path: Path, decoded: DecodedText) -> TextIO:
    """The CSV's text as decoded (the file itself, or its re-encoded good lines)."""
    if decoded.utf8 is None:
        return path.open("r", encoding=decoded.encoding, newline="")
    return io.TextIOWrapper(io.BytesIO(decoded.utf8), encoding="utf-8", newline="")


def sniff_delimiter(path: Path, decoded: DecodedText) -> str:
    """The separator found on most of the first lines (``,`` on ties): ``,`` ``;`` tab ``|``."""
    with _text(path, decoded) as fh:
        lines = [fh.readline() for _ in range(HEADER_SCAN_ROWS)]
    lines = [line for line in lines if line.strip()]
    counts = {d: sum(d in line for line in lines) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def csv_top_rows(path: Path, decoded: DecodedText, delimiter: str = ",") -> list[list[str | None]]:
    """The first HEADER_SCAN_ROWS physical lines of a CSV, split into cells (blank = [])."""
    with _text(path, decoded) as fh:
        lines = []
        for _ in range(HEADER_SCAN_ROWS):
            line = fh.readline()
            if not line:
                break
            lines.append(line)
    rows: list[list[str | None]] = []
    for line in lines:
        cells = next(csv.reader([line], delimiter=delimiter), [])
        rows.append([c if c.strip() else None for c in cells])
    return rows


def read_csv_body(
    path: Path, decoded: DecodedText, header_index: int, delimiter: str = ","
) -> pl.DataFrame:
    """All-text frame of the CSV below the header line ``header_index`` (0-based).

    Columns are positional (``c0, c1 …``); blank lines are kept as all-null rows so that row
    ``i`` of the frame is physical line ``header_index + 2 + i``.
    """
    # polars reads UTF-8 only: a GB18030 or mixed file is parsed from its decoded good lines
    source: Path | io.BytesIO = path if decoded.utf8 is None else io.BytesIO(decoded.utf8)
    try:
        frame = pl.read_csv(
            source,
            skip_rows=header_index,
            has_header=True,
            infer_schema=False,
            truncate_ragged_lines=True,
            encoding="utf8",
            quote_char='"',
            separator=delimiter,
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FileRejectedError(f"cannot parse as CSV: {exc}") from exc
    return frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})


def _formatted_cells(path: Path) -> dict[str, tuple[int, int, dict]]:
    """Per sheet: (first row, first column, {(row, col): text}) for cells whose *display*
    differs from the stored number: percent-formatted numbers (0.356 shown as 35.6%) and dates.

    Calamine returns stored values; a yearbook's 35.6% must not load as 0.356 %. Workbooks are
    small tables, so one pass over their cells is fine.
    """
    import datetime as dt

    import openpyxl

    out: dict[str, tuple[int, int, dict]] = {}
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in workbook.worksheets:
            cells: dict[tuple[int, int], tuple[str, float | None]] = {}
            min_row = min_col = None
            for row in ws.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        continue
                    min_row = cell.row if min_row is None else min(min_row, cell.row)
                    min_col = cell.column if min_col is None else min(min_col, cell.column)
                    fmt = cell.number_format or ""
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        if "%" in fmt:
                            cells[(cell.row, cell.column)] = (f"{value * 100:.12g}%", value)
                    elif isinstance(value, dt.datetime | dt.date):
                        shown = "%Y-%m-%d" if "d" in fmt.lower() else "%Y-%m"
                        cells[(cell.row, cell.column)] = (value.strftime(shown), None)
            if cells and min_col is not None:
                out[ws.title] = (min_row or 1, min_col, cells)
    finally:
        workbook.close()
    return out


def _apply_formats(frame: pl.DataFrame, first_col: int, cells: dict) -> pl.DataFrame:
    """Replace stored values by their displayed text (see :func:`_formatted_cells`)."""
    by_column: dict[int, dict[int, str]] = {}
    for (row, col), (text, stored) in cells.items():
        j, i = col - first_col, row - 1
        if stored is not None:  # the grids must line up, else leave the sheet as read
            if j >= frame.width or i >= frame.height:
                return frame
            try:
                if float(frame.item(i, j)) != float(stored):
                    return frame
            except (TypeError, ValueError):
                return frame
        by_column.setdefault(j, {})[i] = text
    columns = []
    for j, name in enumerate(frame.columns):
        series = frame.get_column(name)
        fixes = {i: t for i, t in by_column.get(j, {}).items() if i < frame.height}
        if fixes:
            series = series.scatter(list(fixes), list(fixes.values()))
        columns.append(series)
    return pl.DataFrame(columns)


def read_xlsx_sheets(path: Path) -> list[tuple[str, pl.DataFrame]]:
    """Every sheet of a workbook as an all-text frame (``c0, c1 …``), row i = spreadsheet row i+1.

    Raises:
        FileRejectedError: the file is not a readable workbook.
    """
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheets = []
        for idx, name in enumerate(reader.sheet_names):
            sheet = reader.load_sheet(idx, header_row=None, skip_rows=0, dtypes="string")
            frame = sheet.to_polars()
            frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
            sheets.append((name, frame))
        formatted = _formatted_cells(path)
    except Exception as exc:  # fastexcel/openpyxl raise their own exception hierarchies
        raise FileRejectedError(f"cannot read as an XLSX workbook: {exc}") from exc
    # calamine drops leading empty columns (rows are kept: skip_rows=0)
    return [
        (name, _apply_formats(frame, formatted[name][1], formatted[name][2]))
        if name in formatted
        else (name, frame)
        for name, frame in sheets
    ]


def parquet_columns(path: Path) -> list[str] | None:
    """Column names from a Parquet file's footer (no data read); None if it cannot be read."""
    try:
        return list(pl.read_parquet_schema(path))
    except (pl.exceptions.PolarsError, OSError):
        return None


def read_parquet_text(path: Path) -> pl.DataFrame:
    """A Parquet file as an all-text frame with its own column names."""
    try:
        frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FileRejectedError(f"cannot read as Parquet: {exc}") from exc
    return frame.select(pl.all().cast(pl.String))


def frame_top_rows(frame: pl.DataFrame, n: int = HEADER_SCAN_ROWS) -> list[list[str | None]]:
    """First ``n`` rows of a positional text frame as lists of cells."""
    return [list(r) for r in frame.head(n).iter_rows()]
