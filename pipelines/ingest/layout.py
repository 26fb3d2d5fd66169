"""Finding the header row of a table and deciding its layout (long / wide / counts / registers).

Header detection looks at the first few dozen rows only (title rows, merged header cells), so a
small Python loop here is fine; everything below the header is handled by polars expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.parsing import period_series
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import COLUMN_SYNONYMS, HEADER_LOOKUP
from pipelines.reference import normalise_label

REQUIRED: dict[str, tuple[str, ...]] = {
    "long": ("region", "indicator", "period", "value"),
    "counts": ("region", "period", "measure", "value"),
    "wide": ("region", "indicator"),
    "death_register": ("region", "death_date", "age", "sex", "icd10", "maternal"),
    "birth_register": ("region", "birth_date"),
}
#: columns only a register has (DuckDB reads them from the file; tables never carry them).
REGISTER_COLUMNS = frozenset(
    {*REQUIRED["death_register"], *REQUIRED["birth_register"], "age_days"} - {"region", "sex"}
)


@dataclass
class HeaderInfo:
    """Where a table's header is and what its columns mean.

    Attributes:
        index: 0-based index of the header row within the rows examined.
        layout: detected or described layout (``described`` is reported but parsed as long).
        columns: canonical column -> positional index.
        names: display name of every positional column (header text, or ``column N``).
        period_columns: positional indexes whose header is a period (wide tables).
        title_rows: cell texts above the header (titles, merged captions).
    """

    index: int
    layout: str
    columns: dict[str, int]
    names: list[str]
    period_columns: list[int] = field(default_factory=list)
    title_rows: list[str] = field(default_factory=list)
    delimiter: str = ","
    fallbacks: dict[str, list[int]] = field(default_factory=dict)


def _header_map(desc: SourceDescription) -> dict[str, str]:
    """normalised header -> canonical, vocabulary overlaid with the sidecar's ``columns``."""
    mapping = dict(HEADER_LOOKUP)
    for canonical, header in desc.columns.items():
        mapping[normalise_label(header)] = canonical
    return mapping


def _map_row(row: list[str | None], mapping: dict[str, str]) -> dict[str, int]:
    mapped: dict[str, int] = {}
    for j, cell in enumerate(row):
        canonical = mapping.get(normalise_label(cell)) if cell else None
        if canonical and canonical not in mapped:
            mapped[canonical] = j
    return mapped


def _period_cells(row: list[str | None]) -> list[int]:
    if not row:
        return []
    parsed = period_series([c if c else None for c in row])["period"].to_list()
    return [j for j, p in enumerate(parsed) if p is not None]


def _signature(mapped: dict[str, int], periods: list[int], desc: SourceDescription) -> str | None:
    """Layout a header row announces, or None if the row is not a header."""
    if "death_date" in mapped:
        return "death_register"
    if "birth_date" in mapped and "value" not in mapped:
        return "birth_register"
    if "value" in mapped and "period" in mapped:
        return "counts" if {"measure", "age_group", "sex", "cause_group"} & set(mapped) else "long"
    if len(periods) >= 2 or (periods and ("indicator" in mapped or desc.indicator)):
        return "wide"
    return None


def find_header(rows: list[list[str | None]], desc: SourceDescription, what: str) -> HeaderInfo:
    """Locate the header among ``rows`` (the first rows of a sheet) and classify the table.

    Args:
        rows: cell texts of the first rows, top to bottom.
        desc: the file's source description (may force layout, header row and column names).
        what: file (and sheet) name for error messages.

    Raises:
        FileRejectedError: no header row, or a required column of the layout is missing.
    """
    mapping = _header_map(desc)
    forced = desc.layout if desc.layout != "described" else "long"
    candidates = [desc.header_row - 1] if desc.header_row else range(len(rows))
    best: tuple[int, dict[str, int]] | None = None
    for i in candidates:
        if i >= len(rows):
            break
        row = rows[i]
        mapped = _map_row(row, mapping)
        periods = [j for j in _period_cells(row) if j not in mapped.values()]
        layout = _signature(mapped, periods, desc)
        if forced:
            agrees = layout is not None and (forced == "wide") == (layout == "wide")
            layout = forced if agrees or (forced == "wide" and periods) or desc.header_row else None
        if layout is not None:
            return _finish(rows, i, layout, mapped, periods, mapping, desc, what)
        if mapped and (best is None or len(mapped) > len(best[1])):
            best = (i, mapped)
    if best is not None and len(best[1]) >= 2:
        i, mapped = best
        have = ", ".join(sorted(mapped))
        need = [c for c in REQUIRED["long"] if c not in mapped]
        raise FileRejectedError(
            f"{what}: row {i + 1} looks like a header ({have}) but required column(s) "
            f"{_describe(need)} are missing"
        )
    raise FileRejectedError(
        f"{what}: no table header found in the first {len(rows)} rows (expected columns "
        "region/地区, indicator/指标, period/年份, value/数值, or a yearbook table with years "
        "across)"
    )


def _describe(columns: list[str]) -> str:
    return ", ".join(f"'{c}' ({'/'.join(COLUMN_SYNONYMS[c][:3])})" for c in columns)


def _wide_columns(
    rows: list[list[str | None]],
    i: int,
    names: list[str | None],
    periods: list[int],
    mapping: dict[str, str],
    desc: SourceDescription,
) -> dict[str, int]:
    """Columns of a yearbook table whose year row is ``rows[i]``: merged header cells put a
    label in the row(s) above (``names`` is filled in place); the first unnamed column before
    the years holds the indicator when no column is named so."""
    width = len(names)
    for j in range(width):
        if names[j] is None and j not in periods:
            for above in (i - 1, i - 2):
                if above >= 0 and j < len(rows[above]) and rows[above][j]:
                    names[j] = rows[above][j]
                    break
    mapped: dict[str, int] = {}
    for j, name in enumerate(names):
        canonical = mapping.get(normalise_label(name)) if name else None
        if canonical and canonical not in mapped and j not in periods:
            mapped[canonical] = j
    if "indicator" not in mapped and not desc.indicator:
        free = [j for j in range(min(periods)) if j not in mapped.values()]
        if free:
            mapped["indicator"] = free[0]
    return mapped


def _fallbacks(
    names: list[str | None], mapping: dict[str, str], mapped: dict[str, int], layout: str
) -> dict[str, list[int]]:
    """A second column of the same meaning (指标名称 + 指标代码) fills the first one's gaps."""
    fallbacks: dict[str, list[int]] = {}
    for j, name in enumerate(names):
        canonical = mapping.get(normalise_label(name)) if name else None
        if canonical == "indicator" and layout == "counts":
            canonical = "measure"
        if canonical in ("region", "indicator", "measure") and mapped.get(canonical) not in (
            j,
            None,
        ):
            fallbacks.setdefault(canonical, []).append(j)
    return fallbacks


def _finish(
    rows: list[list[str | None]],
    i: int,
    layout: str,
    mapped: dict[str, int],
    periods: list[int],
    mapping: dict[str, str],
    desc: SourceDescription,
    what: str,
) -> HeaderInfo:
    row = rows[i]
    width = max(len(row), max((len(r) for r in rows[i + 1 :]), default=0))
    names = [(row[j] if j < len(row) and row[j] else None) for j in range(width)]
    if layout == "wide":
        mapped = _wide_columns(rows, i, names, periods, mapping, desc)
    display = [n if n else f"column {j + 1}" for j, n in enumerate(names)]
    title = [c for r in rows[:i] for c in r if c]
    parse_layout = "long" if layout == "described" else layout

    def satisfied(column: str) -> bool:
        if column in mapped:
            return True
        if column == "indicator":
            return bool(desc.indicator)
        if column == "region":  # tables may name their region in a title row
            return bool(desc.region) or parse_layout in ("long", "wide", "counts")
        return column == "measure" and "indicator" in mapped

    missing = [c for c in REQUIRED[parse_layout] if not satisfied(c)]
    if missing:
        raise FileRejectedError(
            f"{what}: {layout} table (header row {i + 1}) is missing required column(s) "
            f"{_describe(missing)}"
        )
    if layout == "counts" and "measure" not in mapped:
        mapped["measure"] = mapped.pop("indicator")
    fallbacks = _fallbacks(names, mapping, mapped, layout)
    return HeaderInfo(
        index=i,
        layout=layout,
        columns=mapped,
        names=display,
        period_columns=periods if layout == "wide" else [],
        title_rows=title,
        fallbacks=fallbacks,
    )
