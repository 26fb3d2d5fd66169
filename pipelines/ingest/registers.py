"""Record-level death and birth registers, aggregated to counts by DuckDB SQL straight from the file.

A national register holds tens of millions of rows a year, so no record passes through Python:
DuckDB scans the CSV/Parquet file once, grouping the records by their raw region and sex
spellings, year, age band, ICD-10 cause group, maternal flag (small keys that every validity check
depends on), decides the checks per group and inserts the valid aggregates into
``raw.count_observations``. Only if some record is invalid does a second scan write the invalid
records, each with its row, first failing check and original cells, to ``raw.quarantine``.
Python only maps the *distinct* region and sex spellings through the reference lookups.
How a field is parsed and checked is :mod:`pipelines.ingest.register_sql`.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.db import first_row, scalar
from pipelines.ingest.context import FileContext
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.register_sql import (
    BAD_AGE,
    BAD_AGE_DAYS,
    INTEGER_TYPES,
    IS_INFANT,
    IS_NEONATAL,
    IS_UNDER5,
    MAX_AGE,
    Records,
    age_days,
    blank,
    date,
    flag,
    icd_normalised,
    icd_ok,
    ident,
    literal,
    number,
    records_sql,
    year_outside,
)
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


def _map_distinct(
    con: duckdb.DuckDBPyConnection, values_sql: str, fn: Callable[[str], str | None], name: str
) -> None:
    """Create temp table ``name(raw, mapped, txt)`` for the distinct values ``values_sql``
    yields (one text column): Python maps each spelling once, DuckDB trims it once."""
    values = [r[0] for r in con.execute(values_sql).fetchall()]
    frame = pl.DataFrame(
        {"raw": values, "mapped": [fn(v) if v is not None else None for v in values]},
        schema={"raw": pl.String, "mapped": pl.String},
    )
    con.register(f"{name}_frame", frame.to_arrow())
    # with the trimmed text (checks and messages), by DuckDB's trim, once per distinct value
    con.execute(
        f"create or replace temp table {name} as "
        f"select raw, mapped, trim(raw) as txt from {name}_frame"
    )
    con.unregister(f"{name}_frame")


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
    exact = _aggregate(con, rec)
    total, bad = first_row(
        con,
        "select coalesce(sum(n), 0), coalesce(sum(n) filter (where not __ok), 0) "
        "from __register_agg",
    )
    if not exact:  # bands or cause groups overlap (or bands leave gaps): rows are not records
        total = scalar(con, f"select count(*) from {rec.src}")
    _insert_counts(con, rec, desc, params)
    con.execute("drop table __register_agg")
    if bad:
        _quarantine_records(con, rec, skip, params)
    return RegisterCounts(
        rows_read=int(total), rows_loaded=int(total - bad), rows_quarantined=int(bad)
    )


def _aggregate(con: duckdb.DuckDBPyConnection, rec: Records) -> bool:
    """One scan: records counted into ``__register_agg`` rows (``n`` records each), valid ones
    (``__ok``) by region, year, sex (and for deaths age band, cause group, with the infant,
    under-5, maternal and neonatal tallies), invalid ones apart.

    Records are grouped by their *raw* region and sex spellings and by small derived keys, and
    each check is decided once per group (every check depends only on the keys), so the scan
    does no join but the one to the distinct ICD-10 spellings. Returns whether the rows add up
    to the records (False only for age bands that overlap or leave gaps, or overlapping cause
    groups, which the per-record path reproduces: an age in two bands counted twice).
    """
    if not rec.deaths:
        _aggregate_grouped(con, rec, None)
        return True
    con.execute(
        f"""
        create or replace temp table __register_bands as
        select r.age, a.age_group
        from range(0, {MAX_AGE + 1}) r(age)
        join __age_groups a on r.age between a.age_lower and coalesce(a.age_upper, 1000)
        """
    )
    con.execute(
        """
        create or replace temp table __register_causes as
        select d.icd3, g.cause_group
        from (
            select chr(65 + l::int) || lpad(n::varchar, 2, '0') as icd3
            from range(26) a(l), range(100) b(n)
        ) d
        left join __cause_groups g on d.icd3 between g.icd_from and g.icd_to
        """
    )
    exact = scalar(
        con,
        f"""
        select (select count(*) = {MAX_AGE + 1} and count(distinct age) = {MAX_AGE + 1}
                from __register_bands)
            and (select count(*) = count(distinct icd3) from __register_causes)
        """,
    )
    if exact:
        bands = [
            r[0]
            for r in con.execute("select age_group from __register_bands order by age").fetchall()
        ]
        _aggregate_grouped(con, rec, bands)
    else:
        for name, fn in rec.maps.items():  # the per-record path joins the maps to every record
            column = rec.col["region" if name == "__reg" else "sex"]
            _map_distinct(
                con, f"select distinct cast({column} as varchar) from {rec.src} t", fn, name
            )
        _aggregate_per_record(con, rec)
    con.execute("drop table __register_bands")
    con.execute("drop table __register_causes")
    return bool(exact)


@dataclass
class _Grouping:
    """The grouped scan of :func:`_aggregate_grouped`: per-record fields, the group keys
    computed from them, the checks on a group (``g``), and what the output adds."""

    fields: list[str]
    keys: list[str]
    checks: list[str]
    joins: str = ""
    out: str = ""
    out_join: str = ""
    registered: list[str] = field(default_factory=list)


def _grouping(rec: Records) -> _Grouping:
    """The keys and group checks of every register: raw region, event year, raw sex."""
    col, kind = rec.col, rec.kind
    g = _Grouping(
        fields=[
            f"cast({col['region']} as varchar) as r_raw",
            f"{date(col[rec.date_key], kind[rec.date_key])} as event_date",
        ],
        keys=["r_raw", "case when event_date is null then -1 else year(event_date) end as ev"],
        checks=[blank("reg.txt"), "reg.mapped is null", f"g.ev = -1 or {year_outside('g.ev')}"],
    )
    if "sex" in col:
        g.fields.append(f"cast({col['sex']} as varchar) as s_raw")
        g.keys.append("s_raw")
        g.checks.append("sx.mapped is null")
    return g


def _death_icd_table(con: duckdb.DuckDBPyConnection, rec: Records) -> None:
    """``__register_icd``: the file's distinct ICD-10 spellings, normalised and resolved once."""
    con.execute(
        f"""
        create or replace temp table __register_icd as
        select s.raw, {icd_ok("s.icd")} as ok,
            -- an integer key groups faster than the cause group's name
            dense_rank() over (order by c.cause_group) as cause_id, c.cause_group
        from (
            select raw, {icd_normalised("trim(raw)")} as icd
            from (select distinct cast({rec.col["icd10"]} as varchar) as raw from {rec.src} t)
        ) s
        left join __register_causes c on c.icd3 = left(s.icd, 3) and {icd_ok("s.icd")}
        """
    )


def _death_grouping(
    con: duckdb.DuckDBPyConnection, rec: Records, bands: list[str], g: _Grouping
) -> None:
    """Add the death keys to ``g``: age band (``bands[age]``), ICD validity and cause, maternal
    flag, infant/under-5 class and, with ages in days, the neonatal class."""
    col, kind = rec.col, rec.kind
    _death_icd_table(con, rec)
    band_ids = {b: i for i, b in enumerate(dict.fromkeys(bands))}
    con.register(
        "__register_band_names",
        pl.DataFrame(
            {"band": list(band_ids.values()), "age_group": list(band_ids)},
            schema={"band": pl.Int32, "age_group": pl.String},
        ).to_arrow(),
    )
    g.registered.append("__register_band_names")
    band_list = "[" + ", ".join(str(band_ids[b]) for b in bands) + "]"
    if kind["age"] in INTEGER_TYPES:  # whole years: compared and indexed as they are
        age, age_index = col["age"], f"least(age, {MAX_AGE})::int"
    else:
        age, age_index = number(col["age"], kind["age"]), f"least(floor(age), {MAX_AGE})::int"
    g.fields += [
        f"{age} as age",
        f"{flag(col['maternal'], kind['maternal'])} as maternal",
        "coalesce(ic.ok, false) as icd_ok",
        "ic.cause_id",
    ]
    g.joins = f"left join __register_icd ic on ic.raw = cast({col['icd10']} as varchar)"
    g.keys += [
        f"case when {BAD_AGE} then -1 else {band_list}[{age_index} + 1] end as band",
        "icd_ok",
        "cause_id",
        "maternal",
        # infant / under-5 / older: a key, not filtered counts (cheaper in the hash table)
        f"case when {IS_INFANT} then 0 when {IS_UNDER5} then 1 else 2 end as ak",
    ]
    g.checks += ["g.band = -1", "not g.icd_ok", "g.maternal is null"]
    g.out = """,
        bn.age_group,
        coalesce(cn.cause_group, case when c.maternal = 1 then 'maternal' else 'other' end)
            as cause_group,
        case when c.ak = 0 then c.n else 0 end as infant_deaths,
        case when c.ak <= 1 then c.n else 0 end as under5_deaths,
        case when c.maternal = 1 then c.n else 0 end as maternal_deaths"""
    g.out_join = """
        left join __register_band_names bn on bn.band = c.band
        left join (select distinct cause_id, cause_group from __register_icd) cn
            on cn.cause_id = c.cause_id"""
    if rec.neonatal:
        g.fields.append(f"{age_days(col, kind)} as age_days")
        # 0: unknown, 1: impossible, 2: neonatal, 3: older
        g.keys.append(
            f"case when age_days is null then 0 when {BAD_AGE_DAYS} then 1 "
            f"when {IS_NEONATAL} then 2 else 3 end as adc"
        )
        g.checks.append("g.adc = 1")
        g.out += ", case when c.adc = 2 then c.n else 0 end as neonatal_deaths"


def _aggregate_grouped(
    con: duckdb.DuckDBPyConnection, rec: Records, bands: list[str] | None
) -> None:
    """:func:`_aggregate` when every age has one band (``bands[age]``) and every ICD-10
    category at most one cause group (births: ``bands`` is None)."""
    g = _grouping(rec)
    if rec.deaths:
        assert bands is not None, "deaths are grouped by age band"
        _death_grouping(con, rec, bands, g)
    ok = "case " + " ".join(f"when {c} then false" for c in g.checks) + " else true end"
    has_sex = "sex" in rec.col
    sex = "sx.mapped" if has_sex else "'all'"
    sex_join = "left join __sex sx on sx.raw = g.s_raw" if has_sex else ""
    group_keys = ", ".join(k.rsplit(" as ", 1)[-1] for k in g.keys)
    con.execute(
        f"""
        create or replace temp table __register_groups as
        select {", ".join(g.keys)}, count(*) as n
        from (select {", ".join(g.fields)} from {rec.src} t {g.joins})
        group by {group_keys}
        """
    )
    # the groups hold every spelling of the file: map them without another scan of it
    for name, fn in rec.maps.items():
        raw = "r_raw" if name == "__reg" else "s_raw"
        _map_distinct(con, f"select distinct {raw} from __register_groups", fn, name)
    con.execute(
        f"""
        create or replace temp table __register_agg as
        with g as (select * from __register_groups),
        checked as (
            select g.*, reg.mapped as region_id, {sex} as sex, {ok} as __ok
            from g left join __reg reg on reg.raw = g.r_raw {sex_join}
        )
        select c.__ok, c.region_id, c.ev as y, c.sex, c.n {g.out}
        from checked c {g.out_join}
        """
    )
    con.execute("drop table __register_groups")
    if rec.deaths:
        con.execute("drop table __register_icd")
    for name in g.registered:
        con.unregister(name)


def _aggregate_per_record(con: duckdb.DuckDBPyConnection, rec: Records) -> None:
    """:func:`_aggregate` for bands or cause groups that overlap: each record is joined to its
    band(s) and cause group(s), so a record in two bands is counted in both (as it always was)."""
    checked = f"checked as (select *, ({rec.case(1)}) is null as __ok from ({rec.scan()}))"
    tallies = [("infant_deaths", IS_INFANT), ("under5_deaths", IS_UNDER5)]
    tallies.append(("maternal_deaths", "maternal = 1"))
    if rec.neonatal:
        tallies.append(("neonatal_deaths", IS_NEONATAL))
    counts = ", ".join(f"count(*) filter (where c.{cond}) as {m}" for m, cond in tallies)
    # invalid records get null join keys: they match no band or cause and form one group
    con.execute(
        f"""
        create or replace temp table __register_agg as
        with {checked}
        select c.__ok,
            case when c.__ok then c.region_id end as region_id,
            case when c.__ok then year(c.event_date) end as y,
            case when c.__ok then c.sex end as sex,
            count(*) as n,
            a.age_group,
            case when c.__ok then coalesce(
                g.cause_group, case when c.maternal = 1 then 'maternal' else 'other' end
            ) end as cause_group,
            {counts}
        from checked c
        left join __register_bands a
            on a.age = case when c.__ok then least(floor(c.age), {MAX_AGE})::bigint end
        left join __register_causes g
            on g.icd3 = case when c.__ok then left(c.icd, 3) end
        group by all
        """
    )


def _insert_counts(
    con: duckdb.DuckDBPyConnection, rec: Records, desc: SourceDescription, params: dict[str, Any]
) -> None:
    """Insert the valid aggregates of ``__register_agg`` into ``raw.count_observations``
    (summed over the raw spellings that resolve to one region or sex)."""
    lineage = "$hash, $path, null, null, $at, $run"
    tail = "$source, $nature"
    if not rec.deaths:
        sql = f"""
            select {lineage}, region_id, cast(y as varchar), y, 'live_births', 'all', sex, 'all',
                sum(n), {tail}
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
            f"""select {lineage}, region_id, cast(y as varchar), y, '{m}', 'all', 'all', 'all',
                {m}, {tail} from per_year"""
            for m in measures
        )
        sql = f"""
            with per_year as (
                select region_id, y, {per_year} from __register_agg where {valid}
                group by region_id, y
            )
            select {lineage}, region_id, cast(y as varchar), y, 'deaths', age_group, sex,
                cause_group, sum(n), {tail}
            from __register_agg where {valid}
            group by region_id, y, age_group, sex, cause_group
            union all {summaries}
        """
    con.execute(
        "insert into raw.count_observations " + sql,
        {**params, "source": desc.source, "nature": desc.data_nature or "official"},
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
