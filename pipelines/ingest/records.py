"""From a located table to text records: one record per value, with its original cells.

Long and count tables give one record per row; wide (yearbook) tables one per row × period
column. Every record is text (``<field>_raw``) plus the header name of each field (``h_<field>``,
what quarantine messages call the column); validation is :mod:`pipelines.ingest.observations`
and :mod:`pipelines.ingest.counts`.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.ingest.context import ORIGINAL
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.layout import REGISTER_COLUMNS, HeaderInfo
from pipelines.ingest.parsing import blank_column, clean_text
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import COLUMN_SYNONYMS
from pipelines.reference import normalise_label

#: fields a table contributes per record (all text; null when the table lacks the column): every
#: canonical column of the vocabulary seed but those only registers have.
FIELDS = tuple(c for c in COLUMN_SYNONYMS if c not in REGISTER_COLUMNS)
#: fields whose header name messages quote (``h_<field>``).
NAMED = ("region", "indicator", "unit", "measure")


@dataclass
class TableRecords:
    """Records of one sheet plus what was skipped while building them (for the file message).

    ``records`` carries the original cells as a struct column ``__orig``; it is JSON-encoded
    (``raw.quarantine.original_row``) only for the records that end up quarantined.
    """

    records: pl.DataFrame
    skipped_note: str | None = None


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _described_rows(
    body: pl.DataFrame, names: list[str], desc: SourceDescription, notes: list[str]
) -> pl.DataFrame:
    """The rows a sidecar's ``filter`` describes; the others are counted in ``notes``."""
    if not desc.filter:
        return body
    by_name = {normalise_label(n): f"c{j}" for j, n in enumerate(names)}
    cond = pl.lit(True)
    for column, allowed in desc.filter.items():
        cell = by_name.get(normalise_label(column))
        if cell is None:
            raise FileRejectedError(f"sidecar filter names column {column!r}, not in the header")
        cond = cond & clean_text(pl.col(cell)).is_in(allowed)
    before = body.height
    body = body.filter(cond)
    notes.append(
        f"{before - body.height} row(s) outside the described extract "
        f"({'; '.join(f'{k} in {v}' for k, v in desc.filter.items())}) not read"
    )
    return body


@dataclass(frozen=True)
class _Fields:
    """Where each field of a record comes from: a column, a sidecar value or a title row."""

    header: HeaderInfo
    desc: SourceDescription
    region_default: str | None
    width: int

    def expr(self, name: str) -> pl.Expr:
        # a sidecar's fixed indicator/region describes the whole file and wins over any column
        if name == "indicator" and self.desc.indicator:
            return pl.lit(self.desc.indicator, dtype=pl.String)
        if name == "region" and self.desc.region:
            return pl.lit(self.desc.region, dtype=pl.String)
        j = self.header.columns.get(name)
        if j is not None and j < self.width:
            extra = [f"c{k}" for k in self.header.fallbacks.get(name, []) if k < self.width]
            if extra:
                return pl.coalesce([clean_text(pl.col(c)) for c in [f"c{j}", *extra]])
            return pl.col(f"c{j}")
        default = {
            "indicator": self.desc.indicator,
            "unit": self.desc.unit,
            "region": self.desc.region or self.region_default,
            "source": self.desc.source,
        }.get(name)
        return pl.lit(default, dtype=pl.String)


def _header_name(header: HeaderInfo, names: list[str], field: str) -> str:
    return names[header.columns[field]] if field in header.columns else field


def _unpivot(
    base: pl.DataFrame, header: HeaderInfo, names: list[str], notes: list[str]
) -> pl.DataFrame:
    """A wide table's records: one per row × period column with a value (period = header)."""
    period_cells = [f"c{j}" for j in header.period_columns]
    empty = pl.all_horizontal([blank_column(base, c) for c in period_cells])
    n_empty = base.filter(empty).height
    if n_empty:
        notes.append(
            f"{n_empty} row(s) with no value in any period column skipped (notes/captions)"
        )
    base = base.filter(~empty)
    header_text = {f"c{j}": names[j] for j in header.period_columns}
    return (
        base.unpivot(
            index=[c for c in base.columns if c not in period_cells],
            on=period_cells,
            variable_name="__cell",
            value_name="value_raw",
        )
        .with_columns(
            pl.col("__cell")
            .replace_strict(header_text, return_dtype=pl.String)
            .alias("period_raw"),
            pl.col("__cell").str.slice(1).cast(pl.Int32).alias("__col"),
        )
        .sort("source_row", "__col")
        .with_columns(pl.col("period_raw").alias("h_value"), pl.lit("period").alias("h_period"))
        .drop("__cell", "__col")
    )


def table_records(
    body: pl.DataFrame,
    header: HeaderInfo,
    sheet: str | None,
    first_data_row: int,
    desc: SourceDescription,
    region_default: str | None,
) -> TableRecords:
    """Turn the rows below a header into one text record per value (long, counts or wide).

    Args:
        body: positional all-text frame (``c0, c1 …``) of the rows below the header.
        header: the located header.
        sheet: sheet name (None for CSV/Parquet).
        first_data_row: spreadsheet row number of ``body``'s first row.
        desc: source description (fixed indicator/unit/region, filters, provenance).
        region_default: region named in a title row, used when there is no region column.
    """
    width = body.width
    names = _dedupe(
        header.names[:width] + [f"column {j + 1}" for j in range(len(header.names), width)]
    )
    cells = [f"c{j}" for j in range(width)]
    body = body.with_row_index("__i").with_columns(
        (pl.col("__i") + first_data_row).cast(pl.Int32).alias("source_row")
    )
    body = body.filter(~pl.all_horizontal([blank_column(body, c) for c in cells]))  # blank lines
    notes: list[str] = []
    body = _described_rows(body, names, desc, notes)
    fields = _Fields(header, desc, region_default, width)
    wide = bool(header.period_columns)
    base = body.select(
        pl.lit(sheet, dtype=pl.String).alias("sheet"),
        "source_row",
        pl.struct([pl.col(c).alias(n) for c, n in zip(cells, names, strict=True)]).alias(ORIGINAL),
        *[fields.expr(f).alias(f"{f}_raw") for f in FIELDS if f not in ("period", "value")],
        *[pl.lit(_header_name(header, names, f)).alias(f"h_{f}") for f in NAMED],
        *(
            [pl.col(f"c{j}") for j in header.period_columns]
            if wide
            else [
                fields.expr("period").alias("period_raw"),
                fields.expr("value").alias("value_raw"),
            ]
        ),
    )
    if wide:
        records = _unpivot(base, header, names, notes)
    else:
        records = base.with_columns(
            pl.lit(_header_name(header, names, "value")).alias("h_value"),
            pl.lit(_header_name(header, names, "period")).alias("h_period"),
        )
    return TableRecords(records=records, skipped_note="; ".join(notes) or None)
