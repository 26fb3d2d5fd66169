"""From a located table to validated rows: loadable observations/counts and quarantined rows.

Everything here is polars expressions; text cleaning, parsing and lookups run once per *distinct*
value of a column (:func:`pipelines.ingest.parsing.per_distinct`) and are joined back to the rows,
Python only touches distinct labels (via :func:`pipelines.ingest.parsing.map_unique`) and the
handful of header cells. Messages and the JSON of the original row are built for quarantined
rows only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from pipelines.ingest.layout import HeaderInfo
from pipelines.ingest.parsing import (
    blank_column,
    clean_text,
    lookup,
    map_unique,
    parse_number,
    parse_period,
    per_distinct,
)
from pipelines.ingest.schema import RAW_COLUMNS
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import (
    AGE_ALL,
    DATA_NATURE_LOOKUP,
    DATA_STATUS_LOOKUP,
    EXTRA_CAUSE_GROUPS,
    MEASURE_LOOKUP,
    SEX_LOOKUP,
)
from pipelines.reference import Reference, normalise_label, normalise_unit
from pipelines.rules.units import COUNT_UNIT, UNIT_COLUMNS, Unit, conversion

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
_LABEL_UNIT = r"^(?P<base>.*?)\s*\((?P<unit>[^()]*)\)$"
#: prefix of the struct column(s) holding a record's original cells (one per table of a file).
ORIGINAL = "__orig"
#: name of the row's ``ORIGINAL`` column when a file has several tables.
TABLE = "__table"


@dataclass(frozen=True)
class FileContext:
    """Lineage values shared by every row written for one file."""

    file_path: str
    file_hash: str
    ingested_at: datetime
    run_id: str


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


def _convert(column: str) -> pl.Expr:
    """``column * factor``; 15 significant digits drop the binary noise of the factor ratio
    (12345 万人 = 1.2345 亿人, not 1.2345000000000002) and factor 1 keeps the text's value."""
    number, factor = pl.col(column), pl.col("factor")
    return pl.when(factor == 1.0).then(number).otherwise((number * factor).round_sig_figs(15))


def _first_failure(
    checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]],
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(reason_code, column_name, detail) of the first failing check, null when all pass."""
    reason = column = detail = None
    for cond, code, col, text in checks:
        if reason is None:
            reason = pl.when(cond).then(pl.lit(code))
            column = pl.when(cond).then(col)
            detail = pl.when(cond).then(text)
        else:
            reason = reason.when(cond).then(pl.lit(code))
            column = column.when(cond).then(col)
            detail = detail.when(cond).then(text)
    return reason.otherwise(None), column.otherwise(None), detail.otherwise(None)


def _message(ctx: FileContext) -> pl.Expr:
    where = (
        pl.when(pl.col("sheet").is_not_null())
        .then(pl.format(" [sheet '{}']", pl.col("sheet")))
        .otherwise(pl.lit(""))
    )
    return pl.format(
        "{}{}: row {}, column '{}': {}",
        pl.lit(ctx.file_path),
        where,
        pl.col("source_row"),
        pl.col("column_name"),
        pl.col("detail"),
    )


#: lineage columns the same for every row of a file: bound once when inserting (core._insert).
FILE_LINEAGE = ("file_hash", "file_path", "ingested_at", "run_id")


def row_columns(table: str) -> list[str]:
    """Columns of ``raw.<table>`` that vary by row (all but :data:`FILE_LINEAGE`)."""
    return [c for c in RAW_COLUMNS[table] if c not in FILE_LINEAGE]


def _quarantine(bad: pl.DataFrame, ctx: FileContext) -> pl.DataFrame:
    """Quarantine rows: message and the original cells as JSON, built for these rows only."""
    originals = [c for c in bad.columns if c.startswith(ORIGINAL)]
    if len(originals) == 1:
        bad = bad.with_columns(pl.col(originals[0]).struct.json_encode().alias("original_row"))
    elif originals:
        # a file's tables (sheets) each have their own cells: encode each table's rows apart
        # (``TABLE`` names the row's struct column; the others are null for it)
        bad = pl.concat(
            bad.filter(pl.col(TABLE) == name).with_columns(
                pl.col(name).struct.json_encode().alias("original_row")
            )
            for name in originals
        )
    else:
        bad = bad.with_columns(pl.lit(None, dtype=pl.String).alias("original_row"))
    return bad.with_columns(_message(ctx).alias("message")).select(row_columns("quarantine"))


def _checked(
    df: pl.DataFrame, checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split records into (passing every check, failing one); failures get reason, column and
    detail of their first failing check (texts formatted for the failing rows only)."""
    reason, column, detail = _first_failure(checks)
    df = df.with_columns(reason.alias("reason_code"))
    bad = df.filter(pl.col("reason_code").is_not_null()).with_columns(
        column.alias("column_name"), detail.alias("detail")
    )
    return df.filter(pl.col("reason_code").is_null()), bad


def _split(
    df: pl.DataFrame,
    checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]],
    key: list[str],
    ctx: FileContext,
    shown: list[str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records that load, rows for ``raw.quarantine``): checks first, then key duplicates
    (messages name the ``shown`` key columns, default all of ``key``)."""
    ok, bad = _checked(df, checks)
    ok = _duplicates(ok, key, shown or key)
    bad = pl.concat([bad, ok.filter(pl.col("reason_code").is_not_null())], how="diagonal_relaxed")
    return ok.filter(pl.col("reason_code").is_null()), _quarantine(bad, ctx)


def _source(desc: SourceDescription) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder: the row's source, else the sidecar's."""
    return lambda d: d.with_columns(
        pl.coalesce(clean_text(pl.col("source_raw")), pl.lit(desc.source)).alias("source")
    )


def _duplicates(ok: pl.DataFrame, key: list[str], shown: list[str]) -> pl.DataFrame:
    """Flag rows that repeat a key within the file: all of them if values differ, else repeats.

    Adds ``reason_code``, ``column_name`` and ``detail`` (null for rows that load). Only rows
    whose key occurs more than once are grouped; row order is kept.
    """
    none = pl.lit(None, dtype=pl.String)
    ok = ok.with_columns(none.alias("reason_code"), none.alias("column_name"), none.alias("detail"))
    # a repeated hash marks the candidates (cheap); a hash collision only sends a unique key
    # through the exact grouping below, which then finds it alone
    repeated = ok.select(pl.struct(key).hash().is_duplicated()).to_series()
    if not repeated.any():
        return ok
    ok = ok.with_row_index("__ord")
    single = ok.filter(~repeated)
    multi = _flag_repeats(ok.filter(repeated), key, shown)
    return pl.concat([single, multi.select(single.columns)]).sort("__ord").drop("__ord")


def _flag_repeats(ok: pl.DataFrame, key: list[str], shown: list[str]) -> pl.DataFrame:
    """:func:`_duplicates` for rows whose key repeats (``__ord``: position in the file)."""
    groups = (
        ok.group_by(key)
        .agg(
            pl.len().alias("__n"),
            pl.col("value").n_unique().alias("__nv"),
            pl.col("__ord").min().alias("__first"),
            # name at most 5 rows: a key repeated 10⁵ times must not build 10⁵ long messages
            pl.format(
                "{}{}",
                pl.col("source_row").cast(pl.String),
                pl.when(pl.col("sheet").is_not_null())
                .then(pl.format(" ('{}')", pl.col("sheet")))
                .otherwise(pl.lit("")),
            )
            .head(5)
            .str.join(", ")
            .alias("__rows"),
        )
        .with_columns(
            pl.when(pl.col("__n") > 5)
            .then(pl.format("{} … ({} rows)", pl.col("__rows"), pl.col("__n")))
            .otherwise(pl.col("__rows"))
            .alias("__rows")
        )
    )
    ok = ok.join(groups, on=key, how="left", nulls_equal=True, maintain_order="left")
    conflict = (pl.col("__n") > 1) & (pl.col("__nv") > 1)
    repeat = (pl.col("__n") > 1) & (pl.col("__nv") == 1) & (pl.col("__ord") != pl.col("__first"))
    return ok.with_columns(
        pl.when(conflict | repeat).then(pl.lit("conflicting_duplicate")).alias("reason_code"),
        pl.when(conflict | repeat).then(pl.col("h_value")).alias("column_name"),
        pl.when(conflict)
        .then(
            pl.format(
                "same key ({}) with different values in rows {}",
                pl.concat_str(shown, separator=", "),
                pl.col("__rows"),
            )
        )
        .when(repeat)
        .then(
            pl.format(
                "repeats key ({}) of rows {} with the same value; first occurrence loaded",
                pl.concat_str(shown, separator=", "),
                pl.col("__rows"),
            )
        )
        .alias("detail"),
    ).drop("__n", "__nv", "__first", "__rows")


def _cleaned(raw: str, name: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder adding ``name`` = clean_text(``raw``)."""
    return lambda d: d.with_columns(clean_text(pl.col(raw)).alias(name))


def _parsed_period(d: pl.DataFrame) -> pl.DataFrame:
    return d.with_columns(
        clean_text(pl.col("period_raw")).alias("period_txt"),
        parse_period(pl.col("period_raw")).alias("p"),
    ).unnest("p")


def _parsed_value(d: pl.DataFrame) -> pl.DataFrame:
    return d.with_columns(
        clean_text(pl.col("value_raw")).alias("value_txt"),
        parse_number(pl.col("value_raw")).alias("n"),
    ).unnest("n")


def _resolved(raw: str, txt: str, out: str, table: dict[str, str]) -> Callable:
    """A :func:`per_distinct` builder: ``txt`` = clean text, ``out`` = its normalised lookup."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col(raw)).alias(txt))
        return d.with_columns(lookup(map_unique(pl.col(txt), d, normalise_label), table).alias(out))

    return build


def _unit_tables(ref: Reference) -> tuple[dict[str, str], dict[str, Unit]]:
    unit_keys = dict(ref.unit_lookup.iter_rows())
    units = {u: Unit(u, k, f) for u, k, f in ref.units.select(UNIT_COLUMNS).iter_rows()}
    return unit_keys, units


def _converted(d: pl.DataFrame, to: pl.Expr, units: dict[str, Unit]) -> pl.DataFrame:
    """Add ``factor`` (null: not convertible), ``file_dim`` and ``canonical_dim`` (the kinds).

    ``d`` holds distinct (unit) rows (see per_distinct), so :func:`units.conversion` — the one
    conversion rule — runs once per distinct pair. No unit in the file: factor 1 (the value is
    in the target unit).
    """
    d = d.with_columns(to.alias("_to"))

    def factor(given: str | None, unit: str | None, to_unit: str | None) -> float | None:
        if given is None:
            return 1.0
        if unit is None or to_unit is None:  # unknown unit or indicator: quarantined for that
            return None
        return conversion(unit, to_unit, units).factor

    factors = [factor(*row) for row in d.select("original_unit", "file_unit", "_to").iter_rows()]
    kind = {u.unit: u.kind for u in units.values()}
    return d.with_columns(
        pl.Series("factor", factors, dtype=pl.Float64),
        pl.col("file_unit").replace_strict(kind, default=None).alias("file_dim"),
        pl.col("_to").replace_strict(kind, default=None).alias("canonical_dim"),
    ).drop("_to")


def _nature(frame: pl.DataFrame, desc: SourceDescription) -> pl.Expr:
    text = pl.col("data_nature_txt")
    mapped = lookup(map_unique(text, frame, normalise_label), DATA_NATURE_LOOKUP)
    return pl.when(text.is_null()).then(pl.lit(desc.data_nature or "official")).otherwise(mapped)


def _nature_builder(desc: SourceDescription) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder: ``data_nature_txt`` and the resolved ``data_nature``."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("data_nature_raw")).alias("data_nature_txt"))
        return d.with_columns(_nature(d, desc).alias("data_nature"))

    return build


def _status_builder(desc: SourceDescription) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A :func:`per_distinct` builder: ``data_status_txt`` and the resolved ``data_status``
    (the row's, else the sidecar's, else null = not stated, read as final downstream)."""

    def build(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("data_status_raw")).alias("data_status_txt"))
        mapped = lookup(
            map_unique(pl.col("data_status_txt"), d, normalise_label), DATA_STATUS_LOOKUP
        )
        return d.with_columns(
            pl.when(pl.col("data_status_txt").is_null())
            .then(pl.lit(desc.data_status, dtype=pl.String))
            .otherwise(mapped)
            .alias("data_status")
        )

    return build


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


def _age_group_expr(ref: Reference) -> pl.Expr:
    text = (
        clean_text(pl.col("age_group_raw"))
        .str.to_lowercase()
        .str.replace_all("岁", "")
        .str.replace_all(r"(及以上|以上|\+)$", "+")
        .str.replace_all(r"[~～至–—]", "-")
        .str.replace_all(r"\s", "")
    )
    known = ref.age_groups["age_group"].to_list()
    return (
        pl.when(text.is_null() | text.is_in(list(AGE_ALL)))
        .then(pl.lit("all"))
        .when(text.is_in(known))
        .then(text)
    )


def _cause_lookup(ref: Reference) -> dict[str, str]:
    table = {
        normalise_label(s): group
        for group, spellings in EXTRA_CAUSE_GROUPS.items()
        for s in spellings
    }
    for row in ref.cause_groups.iter_rows(named=True):
        for spelling in (row["cause_group"], row.get("label_en"), row.get("label_zh")):
            if spelling:
                table[normalise_label(spelling)] = row["cause_group"]
    return table


def validate_counts(
    records: pl.DataFrame, ref: Reference, desc: SourceDescription, ctx: FileContext
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Resolve and check count records (events, populations, workforce).

    Returns:
        (rows for ``raw.count_observations``, rows for ``raw.quarantine``).
    """
    unit_keys, units = _unit_tables(ref)
    region_keys = dict(ref.region_lookup.iter_rows())
    causes = _cause_lookup(ref)

    def measure(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(clean_text(pl.col("measure_raw")).alias("measure_txt"))
        # 常住人口（万人）: the bracket is the unit when it is one
        d = d.with_columns(
            pl.col("measure_txt").str.extract_groups(_LABEL_UNIT).alias("lab")
        ).unnest("lab")
        d = d.with_columns(
            pl.when(
                lookup(map_unique(pl.col("unit"), d, normalise_unit), unit_keys).is_not_null()
            ).then(pl.col("unit"))
        )
        return d.with_columns(
            pl.coalesce(
                lookup(map_unique(pl.col("measure_txt"), d, normalise_label), MEASURE_LOOKUP),
                lookup(map_unique(pl.col("base"), d, normalise_label), MEASURE_LOOKUP),
            ).alias("measure")
        )

    def labelled(raw: str, txt: str, out: str, table: dict[str, str]) -> Callable:
        """Cleaned text and its lookup; no text at all means 'all'."""

        def build(d: pl.DataFrame) -> pl.DataFrame:
            d = d.with_columns(clean_text(pl.col(raw)).alias(txt))
            return d.with_columns(
                pl.when(pl.col(txt).is_null())
                .then(pl.lit("all"))
                .otherwise(lookup(map_unique(pl.col(txt), d, normalise_label), table))
                .alias(out)
            )

        return build

    def to_count(d: pl.DataFrame) -> pl.DataFrame:
        d = d.with_columns(
            lookup(map_unique(pl.col("original_unit"), d, normalise_unit), unit_keys).alias(
                "file_unit"
            )
        )
        return _converted(d, pl.lit(COUNT_UNIT), units)

    df = records
    for keys, build in (
        ("region_raw", _resolved("region_raw", "region_txt", "region_id", region_keys)),
        ("measure_raw", measure),
        ("value_raw", _parsed_value),
        ("period_raw", _parsed_period),
        ("sex_raw", labelled("sex_raw", "sex_txt", "sex", SEX_LOOKUP)),
        ("cause_group_raw", labelled("cause_group_raw", "cause_txt", "cause_group", causes)),
        ("data_nature_raw", _nature_builder(desc)),
        ("unit_raw", _cleaned("unit_raw", "unit_txt")),
        ("age_group_raw", lambda d: d.with_columns(_age_group_expr(ref).alias("age_group"))),
    ):
        df = per_distinct(df, [keys], build)
    df = df.with_columns(pl.coalesce("suffix", "unit_txt", "unit").alias("original_unit"))
    df = per_distinct(df, ["original_unit"], to_count).with_columns(
        _convert("number").alias("value")
    )
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
            pl.col("measure_txt").is_null(),
            "missing_value",
            pl.col("h_measure"),
            pl.lit("measure is empty"),
        ),
        (
            pl.col("measure").is_null(),
            "unknown_indicator",
            pl.col("h_measure"),
            pl.format("unknown count measure '{}'", pl.col("measure_txt")),
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
            pl.format("invalid period '{}'", pl.col("period_txt")),
        ),
        (
            pl.col("age_group").is_null(),
            "unparsable_value",
            pl.lit("age_group"),
            pl.format("unknown age group '{}' (see age_groups seed)", pl.col("age_group_raw")),
        ),
        (
            pl.col("sex").is_null(),
            "unparsable_value",
            pl.lit("sex"),
            pl.format("unknown sex '{}'", pl.col("sex_txt")),
        ),
        (
            pl.col("cause_group").is_null(),
            "unparsable_value",
            pl.lit("cause_group"),
            pl.format("unknown cause group '{}'", pl.col("cause_txt")),
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
            pl.col("factor").is_null(),
            "unconvertible_unit",
            pl.col("h_value"),
            pl.format("unit '{}' is not a count unit", pl.col("original_unit")),
        ),
        (
            pl.col("data_nature").is_null(),
            "unparsable_value",
            pl.lit("data_nature"),
            pl.format("unknown data_nature '{}'", pl.col("data_nature_txt")),
        ),
        (
            pl.col("value") < 0,
            "implausible_value",
            pl.col("h_value"),
            pl.format("negative count {}", pl.col("value")),
        ),
    ]
    key = ["region_id", "period", "measure", "age_group", "sex", "cause_group"]
    ok, bad = _split(df, checks, key, ctx)
    loaded = (
        per_distinct(ok, ["source_raw"], _source(desc))
        .with_columns(pl.col("year").cast(pl.Int32))
        .select(row_columns("count_observations"))
    )
    return loaded, bad
