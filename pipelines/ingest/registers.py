"""Record-level death and birth registers, aggregated to counts by DuckDB SQL straight from the file.

A national register holds tens of millions of rows a year, so no record passes through Python:
DuckDB scans the CSV/Parquet file once, grouping the records by their raw region and sex
spellings, year, age band, ICD-10 cause group, maternal flag (small keys that every validity check
depends on), decides the checks per group and inserts the valid aggregates into
``raw.count_observations``. Only if some record is invalid does a second scan write the invalid
records, each with its row, first failing check and original cells, to ``raw.quarantine``.
Python only maps the *distinct* region and sex spellings through the reference lookups.
Typed Parquet columns (DATE, integers, DOUBLE, BOOLEAN) are used as they are where their text
would parse back to the same value; everything else goes through the text parsers.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.context import FileContext
from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import SEX_LOOKUP
from pipelines.reference import Reference, normalise_label

#: temp tables of one register's ingestion (dropped whatever happens)
_TEMP_TABLES = ("__reg", "__sex", "__register_agg", "__register_groups", "__register_icd",
                "__register_bands", "__register_causes")  # fmt: skip
#: Age thresholds of the child-mortality tallies, written once (WHO definitions): infant = death
#: before age 1, under-5 = before age 5 (completed years), neonatal = within the first 28 days.
INFANT_AGE_YEARS = 1
UNDER5_AGE_YEARS = 5
NEONATAL_AGE_DAYS = 28
#: Tally conditions on a register record (columns ``age`` in years, ``age_days``).
IS_INFANT = f"age < {INFANT_AGE_YEARS}"
IS_UNDER5 = f"age < {UNDER5_AGE_YEARS}"
IS_NEONATAL = f"age_days < {NEONATAL_AGE_DAYS}"
_TRUE = ("1", "true", "t", "y", "yes", "是")
_FALSE = ("0", "false", "f", "n", "no", "否")


@dataclass(frozen=True)
class RegisterCounts:
    """Row counts of one register file."""

    rows_read: int
    rows_loaded: int
    rows_quarantined: int


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def _utf8_copy(path: Path, encoding: str):
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
        return f"read_parquet({_literal(str(path))})"
    return (
        f"read_csv({_literal(str(path))}, header=true, all_varchar=true, skip={int(skip)}, "
        f"delim={_literal(delimiter)})"
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


def ingest_register(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fmt: str,
    encoding: str | None,
    layout: str,
    columns: dict[str, str],
    ref: Reference,
    desc: SourceDescription,
    ctx: FileContext,
    *,
    skip: int = 0,
    delimiter: str = ",",
) -> RegisterCounts:
    """Validate and aggregate a death or birth register inside the open transaction.

    Args:
        columns: canonical column -> column name in the file (from header detection).
        layout: ``death_register`` or ``birth_register``.
        skip: CSV lines above the header (title rows).
        delimiter: CSV field separator.

    Raises:
        FileRejectedError: DuckDB cannot scan the file.
    """
    region_keys = dict(ref.region_lookup.iter_rows())
    con.register("__age_groups", ref.age_groups.to_arrow())
    con.register("__cause_groups", ref.cause_groups.to_arrow())
    with _utf8_copy(path, encoding or "utf-8") as readable:
        src = _source_sql(readable, fmt, skip, delimiter)
        try:
            maps = {"__reg": lambda v: region_keys.get(normalise_label(v))}
            if "sex" in columns:
                maps["__sex"] = lambda v: SEX_LOOKUP.get(normalise_label(v))
            return _run_sql(con, src, layout, columns, desc, ctx, skip, maps)
        except duckdb.Error as exc:
            raise FileRejectedError(f"cannot scan register: {exc}") from exc
        finally:
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


_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                  "UINTEGER", "UBIGINT")  # fmt: skip


def _text(expr: str) -> str:
    return f"trim(cast({expr} as varchar))"


def _date(expr: str, kind: str) -> str:
    """The date of a cell: ISO, 2020/01/31, 20200131 or 2020.01.31 text.

    A DATE column (Parquet) in the valid range is used as it is: its text round-trips to the
    same date, so the text parsing is skipped for it; anything else takes the text path.
    """
    text = _text(expr)
    parsed = (
        f"coalesce(try_cast({text} as date), try_strptime({text}, '%Y/%m/%d')::date, "
        f"try_strptime({text}, '%Y%m%d')::date, try_strptime({text}, '%Y.%m.%d')::date)"
    )
    if kind == "DATE":
        return (
            f"(case when {expr} between date '1900-01-01' and date '2100-12-31' then {expr} "
            f"else {parsed} end)"
        )
    return parsed


def _number(expr: str, kind: str) -> str:
    """A cell as a double: integer and double columns are cast directly (their text
    round-trips exactly), anything else is parsed from its text."""
    if kind in _INTEGER_TYPES or kind == "DOUBLE":
        return f"cast({expr} as double)"
    return f"try_cast({_text(expr)} as double)"


def _flag(expr: str, kind: str) -> str:
    """A 0/1 flag: 1/0, true/false, t/f, y/n, yes/no, 是/否 (case-insensitive), else null."""
    if kind in _INTEGER_TYPES:
        return f"(case when {expr} = 1 then 1 when {expr} = 0 then 0 end)"
    if kind == "BOOLEAN":
        return f"(case when {expr} then 1 when not {expr} then 0 end)"
    truthy = ", ".join(_literal(v) for v in _TRUE)
    falsy = ", ".join(_literal(v) for v in _FALSE)
    text = f"lower({_text(expr)})"
    return f"(case when {text} in ({truthy}) then 1 when {text} in ({falsy}) then 0 end)"


@dataclass(frozen=True)
class _Records:
    """SQL of one register scan: parsed fields, joins to the distinct-value maps, checks."""

    src: str
    layout: str
    columns: dict[str, str]
    file_columns: list[str]
    parsed: list[str]
    joins: str
    checks: list[tuple[str, str, str, str]]
    neonatal: bool
    col: dict[str, str]  # canonical column -> "t.<quoted file column>"
    kind: dict[str, str]  # canonical column -> DuckDB type of the file column
    maps: dict[str, Callable[[str], str | None]]  # distinct-value map name -> mapping

    def map_file_values(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create the distinct-value maps from the file's region (and sex) columns."""
        for name, fn in self.maps.items():
            column = self.col["region" if name == "__reg" else "sex"]
            _map_distinct(
                con, f"select distinct cast({column} as varchar) from {self.src} t", fn, name
            )

    def case(self, part: int) -> str:
        """CASE over the checks: 1 = reason code, 2 = column name, 3 = detail."""
        whens = []
        for check in self.checks:
            then = check[part]
            if part == 1:
                then = _literal(then)
            elif part == 2:
                then = _literal(self.columns.get(then, then))
            whens.append(f"when {check[0]} then {then}")
        return "case " + " ".join(whens) + " end"

    def scan(self, extra: str = "", source: str | None = None) -> str:
        return f"select {extra}{', '.join(self.parsed)} from {source or self.src} t {self.joins}"


def _records_sql(
    con: duckdb.DuckDBPyConnection,
    src: str,
    layout: str,
    columns: dict[str, str],
    maps: dict[str, Callable[[str], str | None]],
) -> _Records:
    described = con.execute(f"describe select * from {src}").fetchall()
    kinds = {r[0]: str(r[1]).upper() for r in described}
    col = {k: "t." + _ident(v) for k, v in columns.items()}
    kind = {k: kinds.get(v, "VARCHAR") for k, v in columns.items()}
    date_key = "death_date" if layout == "death_register" else "birth_date"
    has_sex = "sex" in columns
    neonatal = layout == "death_register" and ("age_days" in columns or "birth_date" in columns)
    # region/sex texts come with the distinct-value maps (trimmed once per distinct value)
    parsed = [
        f"{_date(col[date_key], kind[date_key])} as event_date",
        "reg.txt as region_txt",
        "reg.mapped as region_id",
        f"{_text(col[date_key])} as date_txt",
    ]
    joins = f"left join __reg reg on reg.raw = cast({col['region']} as varchar)"
    if has_sex:
        parsed += ["sx.mapped as sex", "sx.txt as sex_txt"]
        joins += f" left join __sex sx on sx.raw = cast({col['sex']} as varchar)"
    else:
        parsed += ["'all' as sex", "null as sex_txt"]
    checks = [
        ("region_txt is null or region_txt = ''", "invalid_record", "region", "'region is empty'"),
        (
            "region_id is null",
            "unknown_region",
            "region",
            "'unknown region ''' || region_txt || ''''",
        ),
        (
            "event_date is null or year(event_date) not between 1900 and 2100",
            "invalid_record",
            date_key,
            f"'invalid {date_key} ''' || coalesce(date_txt, '') || ''''",
        ),
    ]
    if has_sex or layout == "death_register":
        checks.append(
            (
                "sex is null",
                "invalid_record",
                "sex",
                "'invalid sex ''' || coalesce(sex_txt, '') || ''''",
            )
        )
    if layout == "death_register":
        icd = f"upper(replace(replace({_text(col['icd10'])}, '.', ''), ' ', ''))"
        parsed += [
            f"{_number(col['age'], kind['age'])} as age",
            f"{_text(col['age'])} as age_txt",
            f"{icd} as icd",
            f"{_flag(col['maternal'], kind['maternal'])} as maternal",
            f"{_text(col['maternal'])} as maternal_txt",
        ]
        if "age_days" in columns:
            parsed.append(f"{_number(col['age_days'], kind['age_days'])} as age_days")
        elif "birth_date" in columns:
            parsed.append(
                f"({_date(col['death_date'], kind['death_date'])} - "
                f"{_date(col['birth_date'], kind['birth_date'])}) as age_days"
            )
        checks += [
            (
                "age is null or age < 0 or age > 130",
                "invalid_record",
                "age",
                "'invalid age ''' || coalesce(age_txt, '') || ''''",
            ),
            (
                "not regexp_matches(coalesce(icd, ''), '^[A-Z][0-9]{2}')",
                "invalid_record",
                "icd10",
                "'invalid ICD-10 code ''' || coalesce(icd, '') || ''''",
            ),
            (
                "maternal is null",
                "invalid_record",
                "maternal",
                "'invalid maternal flag ''' || coalesce(maternal_txt, '') || ''''",
            ),
        ]
        if neonatal:
            checks.append(
                (
                    "age_days is not null and (age_days < 0 or age_days > 366 * 131)",
                    "invalid_record",
                    "age_days",
                    "'invalid age in days'",
                )
            )
    return _Records(
        src,
        layout,
        columns,
        [r[0] for r in described],
        parsed,
        joins,
        checks,
        neonatal,
        col,
        kind,
        maps,
    )


def _run_sql(
    con: duckdb.DuckDBPyConnection,
    src: str,
    layout: str,
    columns: dict[str, str],
    desc: SourceDescription,
    ctx: FileContext,
    skip: int,
    maps: dict[str, Callable[[str], str | None]],
) -> RegisterCounts:
    """Aggregate the valid records in one scan; scan again for the invalid ones only if any.

    ``maps``: ``__reg`` (region spelling -> region_id) and, with a sex column, ``__sex``.
    """
    rec = _records_sql(con, src, layout, columns, maps)
    params = {
        "hash": ctx.file_hash,
        "path": ctx.file_path,
        "at": ctx.ingested_at,
        "run": ctx.run_id,
    }
    exact = _aggregate(con, rec)
    total, bad = con.execute(
        "select coalesce(sum(n), 0), coalesce(sum(n) filter (where not __ok), 0) "
        "from __register_agg"
    ).fetchone()
    if not exact:  # bands or cause groups overlap (or bands leave gaps): rows are not records
        total = con.execute(f"select count(*) from {src}").fetchone()[0]
    _insert_counts(con, rec, desc, params)
    con.execute("drop table __register_agg")
    if bad:
        _quarantine_records(con, rec, skip, params)
    return RegisterCounts(
        rows_read=int(total), rows_loaded=int(total - bad), rows_quarantined=int(bad)
    )


def _aggregate(con: duckdb.DuckDBPyConnection, rec: _Records) -> bool:
    """One scan: records counted into ``__register_agg`` rows (``n`` records each), valid ones
    (``__ok``) by region, year, sex (and for deaths age band, cause group, with the infant,
    under-5, maternal and neonatal tallies), invalid ones apart.

    Records are grouped by their *raw* region and sex spellings and by small derived keys, and
    each check is decided once per group (every check depends only on the keys), so the scan
    does no join but the one to the distinct ICD-10 spellings. Returns whether the rows add up
    to the records (False only for age bands that overlap or leave gaps, or overlapping cause
    groups, which the per-record path reproduces: an age in two bands counted twice).
    """
    if rec.layout == "birth_register":
        _aggregate_grouped(con, rec, None)
        return True
    con.execute(
        """
        create or replace temp table __register_bands as
        select r.age, a.age_group
        from range(0, 131) r(age)
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
    exact = con.execute(
        """
        select (select count(*) = 131 and count(distinct age) = 131 from __register_bands)
            and (select count(*) = count(distinct icd3) from __register_causes)
        """
    ).fetchone()[0]
    if exact:
        bands = [
            r[0]
            for r in con.execute("select age_group from __register_bands order by age").fetchall()
        ]
        _aggregate_grouped(con, rec, bands)
    else:
        rec.map_file_values(con)
        _aggregate_per_record(con, rec)
    con.execute("drop table __register_bands")
    con.execute("drop table __register_causes")
    return bool(exact)


def _aggregate_grouped(
    con: duckdb.DuckDBPyConnection, rec: _Records, bands: list[str] | None
) -> None:
    """:func:`_aggregate` when every age has one band (``bands[age]``) and every ICD-10
    category at most one cause group (births: ``bands`` is None)."""
    col, kind = rec.col, rec.kind
    deaths = rec.layout == "death_register"
    date_key = "death_date" if deaths else "birth_date"
    has_sex = "sex" in col
    fields = [
        f"cast({col['region']} as varchar) as r_raw",
        f"{_date(col[date_key], kind[date_key])} as event_date",
    ]
    keys = ["r_raw", "case when event_date is null then -1 else year(event_date) end as ev"]
    checks = [
        "reg.txt is null or reg.txt = ''",
        "reg.mapped is null",
        "g.ev = -1 or g.ev not between 1900 and 2100",
    ]
    if has_sex:
        fields.append(f"cast({col['sex']} as varchar) as s_raw")
        keys.append("s_raw")
        checks.append("sx.mapped is null")
    joins, out = "", ""
    if deaths:
        # distinct ICD-10 spellings, normalised and resolved once each
        icd = "upper(replace(replace(trim(raw), '.', ''), ' ', ''))"
        con.execute(
            f"""
            create or replace temp table __register_icd as
            select s.raw, regexp_matches(coalesce(s.icd, ''), '^[A-Z][0-9]{{2}}') as ok,
                -- an integer key groups faster than the cause group's name
                dense_rank() over (order by c.cause_group) as cause_id, c.cause_group
            from (
                select raw, {icd} as icd
                from (select distinct cast({col["icd10"]} as varchar) as raw from {rec.src} t)
            ) s
            left join __register_causes c
                on c.icd3 = left(s.icd, 3)
                and regexp_matches(coalesce(s.icd, ''), '^[A-Z][0-9]{{2}}')
            """
        )
        band_ids = {b: i for i, b in enumerate(dict.fromkeys(bands))}
        con.register(
            "__register_band_names",
            pl.DataFrame(
                {"band": list(band_ids.values()), "age_group": list(band_ids)},
                schema={"band": pl.Int32, "age_group": pl.String},
            ).to_arrow(),
        )
        band_list = "[" + ", ".join(str(band_ids[b]) for b in bands) + "]"
        if kind["age"] in _INTEGER_TYPES:  # whole years: compared and indexed as they are
            age, age_index = col["age"], "least(age, 130)::int"
        else:
            age, age_index = _number(col["age"], kind["age"]), "least(floor(age), 130)::int"
        fields += [
            f"{age} as age",
            f"{_flag(col['maternal'], kind['maternal'])} as maternal",
            "coalesce(ic.ok, false) as icd_ok",
            "ic.cause_id",
        ]
        joins = f"left join __register_icd ic on ic.raw = cast({col['icd10']} as varchar)"
        keys += [
            (
                "case when age is null or age < 0 or age > 130 then -1 "
                f"else {band_list}[{age_index} + 1] end as band"
            ),
            "icd_ok",
            "cause_id",
            "maternal",
            # infant / under-5 / older: a key, not filtered counts (cheaper in the hash table)
            f"case when {IS_INFANT} then 0 when {IS_UNDER5} then 1 else 2 end as ak",
        ]
        checks += ["g.band = -1", "not g.icd_ok", "g.maternal is null"]
        if rec.neonatal:
            if "age_days" in col:
                days = _number(col["age_days"], kind["age_days"])
            else:
                death = _date(col["death_date"], kind["death_date"])
                days = f"({death} - {_date(col['birth_date'], kind['birth_date'])})"
            fields.append(f"{days} as age_days")
            # 0: unknown, 1: impossible, 2: neonatal, 3: older
            keys.append(
                "case when age_days is null then 0 when age_days < 0 or age_days > 366 * 131 "
                f"then 1 when {IS_NEONATAL} then 2 else 3 end as adc"
            )
            checks.append("g.adc = 1")
        out = """,
            bn.age_group,
            coalesce(cn.cause_group, case when c.maternal = 1 then 'maternal' else 'other' end)
                as cause_group,
            case when c.ak = 0 then c.n else 0 end as infant_deaths,
            case when c.ak <= 1 then c.n else 0 end as under5_deaths,
            case when c.maternal = 1 then c.n else 0 end as maternal_deaths"""
        if rec.neonatal:
            out += ", case when c.adc = 2 then c.n else 0 end as neonatal_deaths"
        out_join = """
            left join __register_band_names bn on bn.band = c.band
            left join (select distinct cause_id, cause_group from __register_icd) cn
                on cn.cause_id = c.cause_id"""
    else:
        out_join = ""
    ok = "case " + " ".join(f"when {c} then false" for c in checks) + " else true end"
    sex = "sx.mapped" if has_sex else "'all'"
    sex_join = "left join __sex sx on sx.raw = g.s_raw" if has_sex else ""
    group_keys = ", ".join(k.rsplit(" as ", 1)[-1] for k in keys)
    con.execute(
        f"""
        create or replace temp table __register_groups as
        select {", ".join(keys)}, count(*) as n
        from (select {", ".join(fields)} from {rec.src} t {joins})
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
        select c.__ok, c.region_id, c.ev as y, c.sex, c.n {out}
        from checked c {out_join}
        """
    )
    con.execute("drop table __register_groups")
    if deaths:
        con.execute("drop table __register_icd")
        con.unregister("__register_band_names")


def _aggregate_per_record(con: duckdb.DuckDBPyConnection, rec: _Records) -> None:
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
            on a.age = case when c.__ok then least(floor(c.age), 130)::bigint end
        left join __register_causes g
            on g.icd3 = case when c.__ok then left(c.icd, 3) end
        group by all
        """
    )


def _insert_counts(
    con: duckdb.DuckDBPyConnection, rec: _Records, desc: SourceDescription, params: dict
) -> None:
    """Insert the valid aggregates of ``__register_agg`` into ``raw.count_observations``
    (summed over the raw spellings that resolve to one region or sex)."""
    lineage = "$hash, $path, null, null, $at, $run"
    tail = "$source, $nature"
    if rec.layout == "birth_register":
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
    con: duckdb.DuckDBPyConnection, rec: _Records, skip: int, params: dict
) -> None:
    """Second scan, only when the first found invalid records: quarantine each of them with
    its row number, first failing check and original cells (JSON built for these rows only)."""
    original = "struct_pack(" + ", ".join(f"{_ident(c)} := t.{_ident(c)}" for c in rec.file_columns)
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
