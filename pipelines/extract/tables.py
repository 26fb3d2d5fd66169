"""Indicator tables in a plan's text, whatever their layout after conversion to text.

Three layouts occur (the seed plans have the first two; docx/html readers emit the third):

- one row per line, cells separated by tabs (``领域\t序号\t指 标\t2017 年\t2020 年\t2030 年``);
- one cell per line, each cell line starting with a tab, rows separated by blank lines (a cell
  may wrap onto following lines without a tab: ``\t健康\n水平``);
- one row per line, cells separated by ``|`` (Markdown-style; separator rows ``|---|`` skipped).

A table starts at a header row that has an indicator column (``指标``) and at least one year
column (``2020年``). Every cell keeps its offsets in the document, so quotes stay verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Cell", "Table", "find_tables"]

YEAR_HEADER = re.compile(r"^\s*(\d{4})\s*年?\s*(?:目标|目标值|基数|现状)?\s*$")
INDICATOR_HEADER = re.compile(r"指\s*标")
DOMAIN_HEADER = re.compile(r"领\s*域|分\s*类|类\s*别")
UNIT_HEADER = re.compile(r"单\s*位")
NATURE_HEADER = re.compile(r"性\s*质|属\s*性")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}")


@dataclass(frozen=True)
class Cell:
    """A cell's text (stripped) and its verbatim span ``doc[start:end]``."""

    text: str
    start: int
    end: int


@dataclass
class Table:
    """A detected table: header cells, data rows, column roles and the title line above it."""

    header: list[Cell]
    rows: list[list[Cell]]
    title: str
    start: int
    end: int
    year_columns: dict[int, int] = field(default_factory=dict)
    indicator_column: int = -1
    domain_column: int | None = None
    unit_column: int | None = None
    nature_column: int | None = None


def _cell(doc: str, start: int, end: int) -> Cell:
    raw = doc[start:end]
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    text = re.sub(r"\s*\n\s*", "", raw.strip())  # a wrapped cell reads as one label
    return Cell(text, start + lead, end - trail)


def _lines(doc: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without the newline."""
    spans, pos = [], 0
    for line in doc.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _split(doc: str, start: int, end: int, sep: str) -> list[Cell]:
    cells, pos = [], start
    line = doc[start:end]
    parts = line.split(sep)
    if sep == "|":  # drop the empty cells outside the outer pipes
        if parts and not parts[0].strip():
            pos += len(parts[0]) + 1
            parts = parts[1:]
        if parts and not parts[-1].strip():
            parts = parts[:-1]
    for part in parts:
        cells.append(_cell(doc, pos, pos + len(part)))
        pos += len(part) + 1
    return cells


def _is_header(cells: list[Cell]) -> bool:
    texts = [c.text for c in cells]
    return any(INDICATOR_HEADER.search(t) for t in texts) and any(
        YEAR_HEADER.match(t) for t in texts
    )


def _roles(table: Table) -> Table:
    for i, c in enumerate(table.header):
        year = YEAR_HEADER.match(c.text)
        if year:
            table.year_columns[i] = int(year.group(1))
        elif INDICATOR_HEADER.search(c.text) and table.indicator_column < 0:
            table.indicator_column = i
        elif DOMAIN_HEADER.search(c.text):
            table.domain_column = i
        elif UNIT_HEADER.search(c.text):
            table.unit_column = i
        elif NATURE_HEADER.search(c.text):
            table.nature_column = i
    return table


def _title(doc: str, before: int) -> str:
    for line in reversed(doc[:before].split("\n")[-4:]):
        if line.strip():
            return line.strip()
    return ""


def _row_tables(doc: str, spans: list[tuple[int, int]], sep: str) -> list[Table]:
    tables, i = [], 0
    while i < len(spans):
        s, e = spans[i]
        if sep in doc[s:e] and _is_header(_split(doc, s, e, sep)):
            table = Table(_split(doc, s, e, sep), [], _title(doc, s), s, e)
            j = i + 1
            while j < len(spans):
                rs, re_ = spans[j]
                line = doc[rs:re_]
                if sep not in line:
                    # one blank line inside a table is fine if a row follows it
                    nxt = spans[j + 1] if j + 1 < len(spans) else None
                    if line.strip() or nxt is None or sep not in doc[nxt[0] : nxt[1]]:
                        break
                    j += 1
                    continue
                if not (sep == "|" and PIPE_SEPARATOR.match(line)):
                    table.rows.append(_split(doc, rs, re_, sep))
                table.end = re_
                j += 1
            tables.append(_roles(table))
            i = j
        else:
            i += 1
    return tables


def _cell_groups(doc: str, spans: list[tuple[int, int]]) -> list[tuple[int, list[list[Cell]]]]:
    """Groups of tab-led cell lines separated by blank lines: (line index, [cells per group])."""
    groups: list[tuple[int, list[list[Cell]]]] = []
    current: list[Cell] = []
    cell_start: int | None = None
    cell_end = 0
    first_line = 0
    run: list[list[Cell]] = []

    def close_cell() -> None:
        nonlocal cell_start
        if cell_start is not None:
            current.append(_cell(doc, cell_start, cell_end))
            cell_start = None

    for n, (s, e) in enumerate(spans):
        line = doc[s:e]
        if line.startswith("\t"):
            if not run and not current:
                first_line = n
            close_cell()
            cell_start, cell_end = s + 1, e
        elif line.strip() and cell_start is not None:
            cell_end = e  # a cell wrapped onto this line
        elif line.strip() and current == [] and cell_start is None and run:
            groups.append((first_line, run))
            run = []
        elif not line.strip():
            close_cell()
            if current:
                run.append(list(current))
                current.clear()
        else:
            close_cell()
            if current:
                run.append(list(current))
                current.clear()
            if run:
                groups.append((first_line, run))
                run = []
    close_cell()
    if current:
        run.append(list(current))
    if run:
        groups.append((first_line, run))
    return groups


def _cell_tables(doc: str, spans: list[tuple[int, int]]) -> list[Table]:
    tables = []
    for _, rows in _cell_groups(doc, spans):
        for k, header in enumerate(rows):
            if _is_header(header):
                body = [r for r in rows[k + 1 :] if any(c.text for c in r)]
                end = body[-1][-1].end if body else header[-1].end
                table = Table(header, body, _title(doc, header[0].start), header[0].start, end)
                tables.append(_roles(table))
                break
    return tables


def find_tables(doc: str) -> list[Table]:
    """Every indicator table in ``doc``, in document order."""
    spans = _lines(doc)
    found = _row_tables(doc, spans, "\t") + _row_tables(doc, spans, "|") + _cell_tables(doc, spans)
    # A tab-row table is also seen as a one-line cell group; keep the first table at a position.
    unique: dict[int, Table] = {}
    for t in sorted(found, key=lambda t: (t.start, -len(t.header))):
        if not any(u.start <= t.start <= u.end for u in unique.values()):
            unique[t.start] = t
    return list(unique.values())
