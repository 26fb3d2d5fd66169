"""Aggregating a register's records in DuckDB: one scan grouped by small keys (every check
decided once per group), or, when age bands or cause groups overlap, one join per record
(private to :mod:`pipelines.ingest.registers`, which inserts the result)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import polars as pl

from pipelines.db import scalar
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
    number,
    year_outside,
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


def aggregate(con: duckdb.DuckDBPyConnection, rec: Records) -> bool:
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
    """:func:`aggregate` when every age has one band (``bands[age]``) and every ICD-10
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
    """:func:`aggregate` for bands or cause groups that overlap: each record is joined to its
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
