"""Targets from indicator tables: one candidate per (row, target-year column)."""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.extract.candidates import Candidate
from pipelines.extract.phrases import VALUE_RE, Reading, parse_cell
from pipelines.extract.tables import Table
from pipelines.extract.vocabulary import Vocabulary
from pipelines.rules.comparators import RELATIVE_COMPARATORS

__all__ = ["NATURES", "baseline_columns", "table_candidates"]

#: 性质 cells → plan_targets.nature (倡导性, "advocated", has no threshold force: unstated).
NATURES = {"约束性": "binding", "预期性": "expected", "倡导性": "unstated"}
#: Comparators whose value is a percentage change, never converted to the indicator's unit.
RELATIVE = RELATIVE_COMPARATORS
LABEL_UNIT = re.compile(r"[（(]([^（()）]{1,12})[）)]\s*$")


def baseline_columns(table: Table, issue_year: int | None) -> set[int]:
    """Year columns that report the baseline, not a target.

    A column is a baseline when its year is before the plan was issued; without an issue date,
    the first of three or more year columns is.
    """
    cols = sorted(table.year_columns, key=lambda c: table.year_columns[c])
    if issue_year is not None:
        return {c for c in cols if table.year_columns[c] < issue_year}
    return {cols[0]} if len(cols) >= 3 else set()


def _align(row: list, width: int) -> list:
    """Right-align a short row (its leading domain/number cells were merged away)."""
    if len(row) >= width:
        return row[len(row) - width :]
    return [None] * (width - len(row)) + row


def _label(vocab: Vocabulary, text: str) -> tuple[str | None, str | None]:
    """(indicator_code, unit written in the label) of a row label like ``婴儿死亡率（‰）``."""
    m = LABEL_UNIT.search(text)
    unit = m.group(1) if m else None
    code = vocab.resolve(text)
    if code is None and m:
        code = vocab.resolve(text[: m.start()])
    return code, unit


def _row_unit(table: Table, row: list, label_unit: str | None) -> str | None:
    """The unit a row is written in: its 单位 cell, else the unit its label carries."""
    if table.unit_column is not None and row[table.unit_column] is not None:
        return row[table.unit_column].text or label_unit
    return label_unit


def _row_nature(table: Table, row: list) -> str:
    """The row's 性质 as ``plan_targets.nature`` (``unstated`` without a 性质 column)."""
    if table.nature_column is not None and row[table.nature_column] is not None:
        return NATURES.get(row[table.nature_column].text, "unstated")
    return "unstated"


def _row_baseline(table: Table, row: list, base_cols: set[int]) -> tuple[int, float] | None:
    """(year, value) of the row's last plain baseline cell (no sign or qualifier), if any."""
    baseline: tuple[int, float] | None = None
    for col in sorted(base_cols):
        cell = row[col]
        m = VALUE_RE.search(cell.text) if cell is not None else None
        if m and not (m.group("sign") or m.group("qual")):
            baseline = (table.year_columns[col], float(m.group("v")))
    return baseline


def _in_indicator_unit(
    reading: Reading, vocab: Vocabulary, unit: str | None, code: str, notes: list[str]
) -> Reading:
    """``reading`` converted from the table's ``unit`` to indicator ``code``'s own unit.

    A relative comparator's value is a percentage change and stays as written. When a
    conversion applies its note is appended to ``notes``.
    """
    if reading.value is None or reading.comparator in RELATIVE:
        return reading
    value, note = vocab.convert(reading.value, unit, code)
    upper = reading.upper
    if upper is not None:
        upper, _ = vocab.convert(upper, unit, code)
    if not note:
        return reading
    notes.append(note)
    return replace(reading, value=value, upper=upper)


def table_candidates(
    doc: str, table: Table, vocab: Vocabulary, issue_year: int | None
) -> list[Candidate]:
    """Every (row × target year) of ``table`` with a reading."""
    out: list[Candidate] = []
    base_cols = baseline_columns(table, issue_year)
    width = len(table.header)
    domain_cell: int | None = None  # a 领域 cell holds for the rows below it that leave it blank
    for raw in table.rows:
        row = _align(raw, width)
        if table.domain_column is not None and len(raw) == width:
            cell = raw[table.domain_column]
            if cell is not None and cell.text and not cell.text.isdigit():
                domain_cell = cell.start
        label_cell = row[table.indicator_column]
        if label_cell is None or not label_cell.text:
            continue
        code, label_unit = _label(vocab, label_cell.text)
        unit_text = _row_unit(table, row, label_unit)
        unit = vocab.unit_of(unit_text) if unit_text else None
        nature = _row_nature(table, row)
        direction = vocab.indicators[code].direction if code else ""
        baseline = _row_baseline(table, row, base_cols)
        for col, year in sorted(table.year_columns.items()):
            cell = row[col]
            if col in base_cols or cell is None:
                continue
            reading = parse_cell(cell.text, direction, unit_text)
            if reading is None:
                continue
            notes: list[str] = [f"table {table.title!r}"]
            if code:
                reading = _in_indicator_unit(reading, vocab, unit, code, notes)
            cand = Candidate(
                code=code,
                label=label_cell.text,
                target_year=year,
                reading=reading,
                quote_start=label_cell.start,
                quote_end=label_cell.end,
                section=table.title,
                origin="table",
                nature=nature,
                unit_token=unit_text,
                notes=tuple(notes),
                domain_cell=domain_cell,
            )
            if baseline and code:
                bvalue, _ = vocab.convert(baseline[1], unit, code)
                cand.baseline_year, cand.baseline_value = baseline[0], bvalue
            elif reading.comparator in ("maintain",) and base_cols:
                cand.baseline_year = min(table.year_columns[c] for c in base_cols)
            out.append(cand)
    return out
