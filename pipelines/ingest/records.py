"""From a located table to validated rows: loadable observations and quarantined rows.

Shared checks, conversions and quarantine rows live in :mod:`pipelines.ingest.checks`; count
records are validated by :mod:`pipelines.ingest.counts` (re-exported here); the lineage context
is :mod:`pipelines.ingest.context`.

Everything here is polars expressions; text cleaning, parsing and lookups run once per *distinct*
value of a column (:func:`pipelines.ingest.parsing.per_distinct`) and are joined back to the rows,
Python only touches distinct labels (via :func:`pipelines.ingest.parsing.map_unique`) and the
handful of header cells. Messages and the JSON of the original row are built for quarantined
rows only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from pipelines.ingest.checks import (
    _LABEL_UNIT,
    _cleaned,
    _convert,
    _converted,
    _nature_builder,
    _parsed_period,
    _parsed_value,
    _resolved,
    _source,
    _split,
    _status_builder,
    _unit_tables,
    row_columns,
)
from pipelines.ingest.context import ORIGINAL, TABLE, FileContext
from pipelines.ingest.counts import validate_counts
from pipelines.ingest.layout import HeaderInfo
from pipelines.ingest.parsing import (
    blank_column,
    clean_text,
    lookup,
    map_unique,
    parse_number,
    per_distinct,
)
from pipelines.ingest.sidecar import SourceDescription
from pipelines.reference import Reference, normalise_label, normalise_unit

#: fields a table contributes per record (all text; null when the table lacks the column).
FIELDS = (
    "region",
    "indicator",
    "period",
    "value",
    "unit",
    "source",
    "source_quote",
    "data_nature",
    "data_status",
    "ci_lower",
    "ci_upper",
    "measure",
    "age_group",
    "sex",
    "cause_group",
)


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
    # blank lines are not records
    body = body.filter(~pl.all_horizontal([blank_column(body, c) for c in cells]))
    notes: list[str] = []
    if desc.filter:
        by_name = {normalise_label(n): f"c{j}" for j, n in enumerate(names)}
        cond = pl.lit(True)
        for column, allowed in desc.filter.items():
            cell = by_name.get(normalise_label(column))
            if cell is None:
                from pipelines.ingest.errors import FileRejectedError

                raise FileRejectedError(
                    f"sidecar filter names column {column!r}, not in the header"
                )
            cond = cond & clean_text(pl.col(cell)).is_in(allowed)
        before = body.height
        body = body.filter(cond)
        notes.append(
            f"{before - body.height} row(s) outside the described extract "
            f"({'; '.join(f'{k} in {v}' for k, v in desc.filter.items())}) not read"
        )

    def field(name: str) -> pl.Expr:
        # a sidecar's fixed indicator/region describes the whole file and wins over any column
        if name == "indicator" and desc.indicator:
            return pl.lit(desc.indicator, dtype=pl.String)
        if name == "region" and desc.region:
            return pl.lit(desc.region, dtype=pl.String)
        j = header.columns.get(name)
        if j is not None and j < width:
            extra = [pl.col(f"c{k}") for k in header.fallbacks.get(name, []) if k < width]
            if extra:
                return pl.coalesce([clean_text(pl.col(f"c{j}"))] + [clean_text(e) for e in extra])
            return pl.col(f"c{j}")
        default = {
            "indicator": desc.indicator,
            "unit": desc.unit,
            "region": desc.region or region_default,
            "source": desc.source,
        }.get(name)
        return pl.lit(default, dtype=pl.String)

    original = pl.struct([pl.col(c).alias(n) for c, n in zip(cells, names, strict=True)])
    base = body.select(
        pl.lit(sheet, dtype=pl.String).alias("sheet"),
        "source_row",
        original.alias(ORIGINAL),
        *[field(f).alias(f"{f}_raw") for f in FIELDS if f not in ("period", "value")],
        *[
            pl.lit(names[header.columns[f]] if f in header.columns else f).alias(f"h_{f}")
            for f in ("region", "indicator", "unit", "measure")
        ],
        *(
            [field("period").alias("period_raw"), field("value").alias("value_raw")]
            if not header.period_columns
            else [pl.col(f"c{j}") for j in header.period_columns]
        ),
    )
    if not header.period_columns:
        value_name = names[header.columns["value"]] if "value" in header.columns else "value"
        period_name = names[header.columns["period"]] if "period" in header.columns else "period"
        records = base.with_columns(
            pl.lit(value_name).alias("h_value"), pl.lit(period_name).alias("h_period")
        )
    else:
        period_cells = [f"c{j}" for j in header.period_columns]
        empty = pl.all_horizontal([blank_column(base, c) for c in period_cells])
        n_empty = base.filter(empty).height
        if n_empty:
            notes.append(
                f"{n_empty} row(s) with no value in any period column skipped (notes/captions)"
            )
        base = base.filter(~empty)
        header_text = {f"c{j}": names[j] for j in header.period_columns}
        records = (
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
    return TableRecords(records=records, skipped_note="; ".join(notes) or None)


def validate_observations(
    records: pl.DataFrame, ref: Reference, desc: SourceDescription, ctx: FileContext
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Resolve, convert and check observation records.

    Returns:
        (rows for ``raw.observations``, rows for ``raw.quarantine``); every input record ends
        up in exactly one of them.
    """
    unit_keys, units = _unit_tables(ref)
    canon = dict(ref.indicators.select("indicator_code", "canonical_unit").iter_rows())
    pmin = dict(ref.indicators.select("indicator_code", "plausible_min").iter_rows())
    pmax = dict(ref.indicators.select("indicator_code", "plausible_max").iter_rows())
    region_keys = dict(ref.region_lookup.iter_rows())
    indicator_keys = dict(ref.indicator_lookup.iter_rows())

    def indicator(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("indicator_raw")).alias("indicator_txt"))
        # 人均预期寿命（岁）: a bracketed unit in the label
        d = d.with_columns(
            pl.col("indicator_txt").str.extract_groups(_LABEL_UNIT).alias("lab")
        ).unnest("lab")
        d = d.with_columns(
            pl.coalesce(
                lookup(map_unique(pl.col("indicator_txt"), d, normalise_label), indicator_keys),
                lookup(map_unique(pl.col("base"), d, normalise_label), indicator_keys),
            ).alias("indicator_code"),
            lookup(map_unique(pl.col("unit"), d, normalise_unit), unit_keys).alias("label_unit_id"),
        )
        code = pl.col("indicator_code")
        return d.with_columns(
            code.replace_strict(canon, default=None).alias("canonical_unit"),
            code.replace_strict(pmin, default=None, return_dtype=pl.Float64).alias("pmin"),
            code.replace_strict(pmax, default=None, return_dtype=pl.Float64).alias("pmax"),
        )

    def ci(side: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
        raw = pl.col(f"{side}_raw")
        return lambda d: d.with_columns(
            parse_number(raw).struct.field("number").alias(f"{side}_num"),
            clean_text(raw).is_not_null().alias(f"{side}_given"),
        )

    def to_canonical(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(
            lookup(map_unique(pl.col("original_unit"), d, normalise_unit), unit_keys).alias(
                "file_unit"
            )
        )
        return _converted(d, pl.col("canonical_unit"), units)

    df = records
    for keys, build in (
        ("region_raw", _resolved("region_raw", "region_txt", "region_id", region_keys)),
        ("indicator_raw", indicator),
        ("unit_raw", _cleaned("unit_raw", "unit_txt")),
        ("data_nature_raw", _nature_builder(desc)),
        ("data_status_raw", _status_builder(desc)),
        ("period_raw", _parsed_period),
        ("value_raw", _parsed_value),
        ("ci_lower_raw", ci("ci_lower")),
        ("ci_upper_raw", ci("ci_upper")),
    ):
        df = per_distinct(df, [keys], build)
    df = df.with_columns(
        pl.coalesce(
            pl.col("suffix"),
            pl.col("unit_txt"),
            pl.when(pl.col("label_unit_id").is_not_null()).then(pl.col("unit")),
        ).alias("original_unit")
    )
    df = per_distinct(df, ["original_unit", "canonical_unit"], to_canonical).with_columns(
        _convert("number").alias("value"),
        _convert("ci_lower_num").alias("ci_lower"),
        _convert("ci_upper_num").alias("ci_upper"),
    )
    value = pl.col("value")
    checks = [
        (
            pl.col("region_txt").is_null(),
            "missing_value",
            pl.col("h_region"),
            pl.lit("region is empty"),
        ),
        (
            pl.col("region_id").is_null(),
            "unknown_region",
            pl.col("h_region"),
            pl.format("unknown region '{}'", pl.col("region_txt")),
        ),
        (
            pl.col("indicator_txt").is_null(),
            "missing_value",
            pl.col("h_indicator"),
            pl.lit("indicator is empty"),
        ),
        (
            pl.col("indicator_code").is_null(),
            "unknown_indicator",
            pl.col("h_indicator"),
            pl.format("unknown indicator '{}'", pl.col("indicator_txt")),
        ),
        (
            pl.col("period_txt").is_null(),
            "missing_value",
            pl.col("h_period"),
            pl.lit("period is empty"),
        ),
        (
            pl.col("period").is_null(),
            "invalid_period",
            pl.col("h_period"),
            pl.format(
                "invalid period '{}' (expected 2020, 2020年, 2020Q3 or 2020-06)",
                pl.col("period_txt"),
            ),
        ),
        (
            pl.col("value_txt").is_null(),
            "missing_value",
            pl.col("h_value"),
            pl.lit("value is empty"),
        ),
        (
            pl.col("number").is_null(),
            "unparsable_value",
            pl.col("h_value"),
            pl.format("value '{}' is not a number", pl.col("value_txt")),
        ),
        (
            pl.col("suffix").is_not_null() & pl.col("file_unit").is_null(),
            "unparsable_value",
            pl.col("h_value"),
            pl.format(
                "value '{}' has trailing text '{}' that is not a unit",
                pl.col("value_txt"),
                pl.col("suffix"),
            ),
        ),
        (
            pl.col("original_unit").is_not_null() & pl.col("file_unit").is_null(),
            "unconvertible_unit",
            pl.col("h_unit"),
            pl.format("unknown unit '{}'", pl.col("original_unit")),
        ),
        (
            pl.col("factor").is_null(),
            "unconvertible_unit",
            pl.col("h_unit"),
            pl.format(
                "unit '{}' ({}) cannot be converted to {} ({}) of {}",
                pl.col("original_unit"),
                pl.col("file_dim"),
                pl.col("canonical_unit"),
                pl.col("canonical_dim"),
                pl.col("indicator_code"),
            ),
        ),
        (
            pl.col("ci_lower_given") & pl.col("ci_lower_num").is_null(),
            "unparsable_value",
            pl.lit("ci_lower"),
            pl.format("ci_lower '{}' is not a number", pl.col("ci_lower_raw")),
        ),
        (
            pl.col("ci_upper_given") & pl.col("ci_upper_num").is_null(),
            "unparsable_value",
            pl.lit("ci_upper"),
            pl.format("ci_upper '{}' is not a number", pl.col("ci_upper_raw")),
        ),
        (
            pl.col("data_nature").is_null(),
            "unparsable_value",
            pl.lit("data_nature"),
            pl.format(
                "unknown data_nature '{}' (official, illustrative, international_estimate)",
                pl.col("data_nature_txt"),
            ),
        ),
        (
            pl.col("data_status_txt").is_not_null() & pl.col("data_status").is_null(),
            "unparsable_value",
            pl.lit("data_status"),
            pl.format(
                "unknown data_status '{}' (final/最终, preliminary/预计/初步)",
                pl.col("data_status_txt"),
            ),
        ),
        (
            (value < pl.col("pmin")) | (value > pl.col("pmax")),
            "implausible_value",
            pl.col("h_value"),
            pl.format(
                "value {} {} is outside the plausible range [{}, {}] of {}",
                value.round(6),
                pl.col("canonical_unit"),
                pl.col("pmin"),
                pl.col("pmax"),
                pl.col("indicator_code"),
            ),
        ),
    ]
    # the source and status are part of the key: a bulletin and its 解读 (two sources), or a
    # preliminary and a final figure, are two publications that all load; dbt resolves them
    # (int_observation_duplicates). Only one source contradicting itself is a file error.
    df = per_distinct(df, ["source_raw"], _source(desc))
    shown = ["region_id", "indicator_code", "period"]
    ok, bad = _split(df, checks, [*shown, "source", "data_status"], ctx, shown)
    ok = per_distinct(ok, ["source_quote_raw"], _cleaned("source_quote_raw", "source_quote"))
    loaded = ok.with_columns(
        pl.col("canonical_unit").alias("unit"),
        pl.col("value_txt").alias("original_value"),
        pl.col("year").cast(pl.Int32),
    ).select(row_columns("observations"))
    return loaded, bad


__all__ = [
    "FileContext",
    "ORIGINAL",
    "TABLE",
    "TableRecords",
    "table_records",
    "validate_counts",
    "validate_observations",
]
