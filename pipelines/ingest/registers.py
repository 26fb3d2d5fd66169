"""Record-level death and birth registers, aggregated to counts by DuckDB SQL straight from the file.

A national register holds tens of millions of rows a year, so no record passes through Python:
DuckDB scans the CSV/Parquet file once, grouping the records by their raw region and sex
spellings, year, age band, ICD-10 cause group, maternal flag (small keys that every validity check
depends on), decides the checks per group and inserts the valid aggregates into
``raw.count_observations`` (its register storage). Only if some record is invalid does a second
scan write the invalid records, each with its row, first failing check and original cells, to
``raw.quarantine``.
Python only maps the *distinct* region and sex spellings through the reference lookups.
How a field is parsed and checked is :mod:`pipelines.ingest.register_sql`.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines.db import first_row, scalar
from pipelines.ingest.context import FileContext
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.register_aggregate import aggregate
from pipelines.ingest.register_sql import (
    Records,
    ident,
    literal,
    records_sql,
)
from pipelines.ingest.schema import REGISTER_ARRIVALS, REGISTER_ROWS
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import SEX_LOOKUP
from pipelines.reference import Reference, normalise_label

#: temp tables of one register's ingestion (dropped whatever happens)
_TEMP_TABLES = ("__reg", "__sex", "__register_agg", "__register_groups", "__register_icd",
                "__register_bands", "__register_causes")  # fmt: skip


@dataclass(frozen=True)
class RegisterFile:
    """A register file as header detection found it.

    ``columns``: canonical column -> column name in the file; ``skip``: CSV lines above the
    header (title rows).
    """

    path: Path
    fmt: str
    encoding: str | None
    layout: str  # death_register | birth_register
    columns: dict[str, str]
    skip: int = 0


@dataclass(frozen=True)
class RegisterCounts:
    """Row counts of one register file."""

    rows_read: int
    rows_loaded: int
    rows_quarantined: int


@contextmanager
def _utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """Yield a path DuckDB can read: the file itself, or a UTF-8 copy of a GB18030 file."""
    if encoding != "gb18030":
        yield path
        return
    decoder = codecs.getincrementaldecoder("gb18030")()
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as out:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                out.write(decoder.decode(chunk).encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))
    try:
        yield Path(out.name)
    finally:
        Path(out.name).unlink(missing_ok=True)


def _source_sql(path: Path, fmt: str, skip: int, delimiter: str) -> str:
    if fmt == "parquet":
        return f"read_parquet({literal(str(path))})"
    return (
        f"read_csv({literal(str(path))}, header=true, all_varchar=true, skip={int(skip)}, "
        f"delim={literal(delimiter)})"
    )


def _drop_temporaries(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("__age_groups", "__cause_groups", "__register_band_names"):
        try:
            con.unregister(name)
        except duckdb.Error:
            pass
    for name in _TEMP_TABLES:
        try:
            con.execute(f"drop table if exists {name}")
        except duckdb.Error:
            pass


def ingest_register(
    con: duckdb.DuckDBPyConnection,
    register: RegisterFile,
    ref: Reference,
    desc: SourceDescription,
    ctx: FileContext,
    *,
    delimiter: str = ",",
) -> RegisterCounts:
    """Validate and aggregate a death or birth register inside the open transaction.

    Raises:
        FileRejectedError: DuckDB cannot scan the file.
    """
    region_keys = dict(ref.region_lookup.iter_rows())
    con.register("__age_groups", ref.age_groups.to_arrow())
    con.register("__cause_groups", ref.cause_groups.to_arrow())
    with _utf8_copy(register.path, register.encoding or "utf-8") as readable:
        src = _source_sql(readable, register.fmt, register.skip, delimiter)
        maps: dict[str, Callable[[str], str | None]] = {
            "__reg": lambda v: region_keys.get(normalise_label(v))
        }
        if "sex" in register.columns:
            maps["__sex"] = lambda v: SEX_LOOKUP.get(normalise_label(v))
        try:
            rec = records_sql(con, src, register.layout, register.columns, maps)
            return _run_sql(con, rec, desc, ctx, register.skip)
        except duckdb.Error as exc:
            raise FileRejectedError(f"cannot scan register: {exc}") from exc
        finally:
            _drop_temporaries(con)


def _run_sql(
    con: duckdb.DuckDBPyConnection,
    rec: Records,
    desc: SourceDescription,
    ctx: FileContext,
    skip: int,
) -> RegisterCounts:
    """Aggregate the valid records in one scan; scan again for the invalid ones only if any."""
    params = {
        "hash": ctx.file_hash,
        "path": ctx.file_path,
        "at": ctx.ingested_at,
        "run": ctx.run_id,
    }
    exact = aggregate(con, rec)
    total, bad = first_row(
        con,
        "select coalesce(sum(n), 0), coalesce(sum(n) filter (where not __ok), 0) "
        "from __register_agg",
    )
    if not exact:  # bands or cause groups overlap (or bands leave gaps): rows are not records
        total = scalar(con, f"select count(*) from {rec.src}")
    _insert_counts(con, rec, desc, ctx.arrival_id)
    con.execute("drop table __register_agg")
    if bad:
        _quarantine_records(con, rec, skip, params)
    return RegisterCounts(
        rows_read=int(total), rows_loaded=int(total - bad), rows_quarantined=int(bad)
    )


def _insert_counts(
    con: duckdb.DuckDBPyConnection, rec: Records, desc: SourceDescription, arrival_id: int
) -> None:
    """Insert the valid aggregates of ``__register_agg`` into ``raw.count_observations``
    (summed over the raw spellings that resolve to one region or sex): the register storage,
    its rows keyed by the file's arrival, which holds their source and data nature once
    (``pipelines.ingest.schema.REGISTER_ROWS``)."""
    row = "$arrival as arrival_id, region_id, y as year"
    if not rec.deaths:
        sql = f"""
            select {row}, 'live_births' as measure, 'all' as age_group, sex,
                'all' as cause_group, sum(n) as value
            from __register_agg where __ok group by region_id, y, sex
        """
    else:
        measures = ["infant_deaths", "under5_deaths", "maternal_deaths"]
        if rec.neonatal:
            measures.append("neonatal_deaths")
        # a record whose age is in no band is in no aggregate (as before: an inner join)
        valid = "__ok and age_group is not null"
        per_year = ", ".join(f"sum({m}) as {m}" for m in measures)
        summaries = " union all ".join(
            f"""select {row}, '{m}' as measure, 'all' as age_group, 'all' as sex,
                'all' as cause_group, {m} as value from per_year"""
            for m in measures
        )
        sql = f"""
            with per_year as (
                select region_id, y, {per_year} from __register_agg where {valid}
                group by region_id, y
            )
            select {row}, 'deaths' as measure, age_group, sex, cause_group, sum(n) as value
            from __register_agg where {valid}
            group by region_id, y, age_group, sex, cause_group
            union all {summaries}
        """
    con.execute(f"insert into raw.{REGISTER_ROWS} by name {sql}", {"arrival": arrival_id})
    con.execute(
        f"insert into raw.{REGISTER_ARRIVALS} by name "
        "select $arrival as arrival_id, $source as source, $nature as data_nature",
        {"arrival": arrival_id, "source": desc.source, "nature": desc.data_nature or "official"},
    )


def _quarantine_records(
    con: duckdb.DuckDBPyConnection, rec: Records, skip: int, params: dict[str, Any]
) -> None:
    """Second scan, only when the first found invalid records: quarantine each of them with
    its row number, first failing check and original cells (JSON built for these rows only)."""
    original = "struct_pack(" + ", ".join(f"{ident(c)} := t.{ident(c)}" for c in rec.file_columns)
    original += ")"
    if rec.src.startswith("read_parquet"):  # Parquet knows its row numbers
        numbered = rec.src[:-1] + ", file_row_number = true)"
        row_number = "t.file_row_number + 1"
    else:  # CSV rows are numbered in scan order, below the title lines and the header
        numbered = rec.src
        row_number = f"row_number() over () + {int(skip) + 1}"
    scan = rec.scan(f"{row_number} as __rn, {original} as __orig, ", numbered)
    con.execute(
        f"""
        insert into raw.quarantine
        with bad as (
            select __rn, {rec.case(2)} as column_name, {rec.case(1)} as reason_code,
                {rec.case(3)} as detail, __orig
            from ({scan}) where ({rec.case(1)}) is not null
        )
        select $hash, $path, null, __rn::integer, column_name, reason_code,
            $path || ': row ' || __rn || ', column ''' || column_name || ''': ' || detail,
            to_json(__orig)::varchar, $at, $run
        from bad order by __rn
        """,
        params,
    )
