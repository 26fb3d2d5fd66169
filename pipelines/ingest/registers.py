"""Record-level death and birth registers, aggregated to counts by DuckDB SQL straight from the file.

A national register holds tens of millions of rows a year, so no record passes through Python:
DuckDB scans the CSV/Parquet file, validates each record in SQL, writes invalid records to
``raw.quarantine`` and inserts the aggregates into ``raw.count_observations``. Python only maps
the *distinct* region and sex spellings (a few dozen values) through the reference lookups.
"""

from __future__ import annotations

import codecs
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.records import FileContext
from pipelines.ingest.sidecar import SourceDescription
from pipelines.ingest.vocabulary import SEX_LOOKUP
from pipelines.reference import Reference, normalise_label

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


def _map_distinct(con: duckdb.DuckDBPyConnection, src: str, column: str, fn, name: str) -> None:
    """Register ``name(raw, mapped)`` for the distinct values of ``column`` in ``src``."""
    values = [
        r[0]
        for r in con.execute(
            f"select distinct cast({_ident(column)} as varchar) from {src} t"
        ).fetchall()
    ]
    frame = pl.DataFrame(
        {"raw": values, "mapped": [fn(v) if v is not None else None for v in values]},
        schema={"raw": pl.String, "mapped": pl.String},
    )
    con.register(name, frame.to_arrow())


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
            _map_distinct(
                con, src, columns["region"], lambda v: region_keys.get(normalise_label(v)), "__reg"
            )
            if "sex" in columns:
                _map_distinct(
                    con, src, columns["sex"], lambda v: SEX_LOOKUP.get(normalise_label(v)), "__sex"
                )
            return _run_sql(con, src, layout, columns, desc, ctx, skip)
        except duckdb.Error as exc:
            raise FileRejectedError(f"cannot scan register: {exc}") from exc
        finally:
            for name in ("__reg", "__sex", "__age_groups", "__cause_groups"):
                try:
                    con.unregister(name)
                except duckdb.Error:
                    pass


def _date(expr: str) -> str:
    text = f"trim(cast({expr} as varchar))"
    return (
        f"coalesce(try_cast({text} as date), try_strptime({text}, '%Y/%m/%d')::date, "
        f"try_strptime({text}, '%Y%m%d')::date, try_strptime({text}, '%Y.%m.%d')::date)"
    )


def _run_sql(
    con: duckdb.DuckDBPyConnection,
    src: str,
    layout: str,
    columns: dict[str, str],
    desc: SourceDescription,
    ctx: FileContext,
    skip: int,
) -> RegisterCounts:
    col = {k: "t." + _ident(v) for k, v in columns.items()}
    date_key = "death_date" if layout == "death_register" else "birth_date"
    has_sex = "sex" in columns
    neonatal = layout == "death_register" and ("age_days" in columns or "birth_date" in columns)
    parsed = [
        f"{_date(col[date_key])} as event_date",
        f"trim(cast({col['region']} as varchar)) as region_txt",
        "reg.mapped as region_id",
        f"trim(cast({col[date_key]} as varchar)) as date_txt",
    ]
    joins = f"left join __reg reg on reg.raw = cast({col['region']} as varchar)"
    if has_sex:
        parsed += ["sx.mapped as sex", f"trim(cast({col['sex']} as varchar)) as sex_txt"]
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
        truthy = ", ".join(_literal(v) for v in _TRUE)
        falsy = ", ".join(_literal(v) for v in _FALSE)
        mat = f"lower(trim(cast({col['maternal']} as varchar)))"
        icd = f"upper(replace(replace(trim(cast({col['icd10']} as varchar)), '.', ''), ' ', ''))"
        parsed += [
            f"try_cast(trim(cast({col['age']} as varchar)) as double) as age",
            f"trim(cast({col['age']} as varchar)) as age_txt",
            f"{icd} as icd",
            f"case when {mat} in ({truthy}) then 1 when {mat} in ({falsy}) then 0 end as maternal",
            f"trim(cast({col['maternal']} as varchar)) as maternal_txt",
        ]
        if "age_days" in columns:
            parsed.append(
                f"try_cast(trim(cast({col['age_days']} as varchar)) as double) as age_days"
            )
        elif "birth_date" in columns:
            parsed.append(f"({_date(col['death_date'])} - {_date(col['birth_date'])}) as age_days")
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
    reason = "case " + " ".join(f"when {c} then '{r}'" for c, r, _, _ in checks) + " end"
    column = (
        "case "
        + " ".join(f"when {c} then {_literal(columns.get(k, k))}" for c, _, k, _ in checks)
        + " end"
    )
    detail = "case " + " ".join(f"when {c} then {d}" for c, _, _, d in checks) + " end"
    file_columns = [r[0] for r in con.execute(f"describe select * from {src}").fetchall()]
    original = "struct_pack(" + ", ".join(f"{_ident(c)} := t.{_ident(c)}" for c in file_columns)
    original += ")"
    if src.startswith(
        "read_parquet"
    ):  # Parquet knows its row numbers; CSV rows are numbered in scan order
        numbered = src[:-1] + ", file_row_number = true)"
        row_number = "t.file_row_number + 1"
    else:
        numbered = src
        row_number = f"row_number() over () + {int(skip) + 1}"  # title lines + the header
    # one pass over the file: parse and check every record into a temp table
    con.execute(
        f"""
        create or replace temp table __register_checked as
        with parsed as (
            select {row_number} as __rn, {", ".join(parsed)}, {original} as __orig
            from {numbered} t {joins}
        ),
        checked as (
            select *, {reason} as reason_code, {column} as column_name, {detail} as detail
            from parsed
        )
        select * exclude (__orig),
            case when reason_code is not null then to_json(__orig)::varchar end as original_row
        from checked
        """
    )
    base = "with checked as (select * from __register_checked)"
    con.execute(
        "insert into raw.quarantine select $hash, $path, null, c.__rn::integer, c.column_name, "
        "c.reason_code, $path || ': row ' || c.__rn || ', column ''' || c.column_name || "
        "''': ' || c.detail, c.original_row, $at, $run "
        "from __register_checked c where c.reason_code is not null order by c.__rn",
        {"hash": ctx.file_hash, "path": ctx.file_path, "at": ctx.ingested_at, "run": ctx.run_id},
    )
    lineage = "$hash, $path, null, null, $at, $run"
    tail = "$source, $nature"
    if layout == "birth_register":
        aggregate = f"""
            select {lineage}, region_id, cast(year(event_date) as varchar), year(event_date),
                'live_births', 'all', sex, 'all', count(*), {tail}
            from checked where reason_code is null group by all
        """
    else:
        measures = [
            ("infant_deaths", "age < 1"),
            ("under5_deaths", "age < 5"),
            ("maternal_deaths", "maternal = 1"),
        ]
        if neonatal:
            measures.append(("neonatal_deaths", "age_days < 28"))
        age_days = "c.age_days," if neonatal else ""
        counts = ", ".join(f"count(*) filter (where {cond}) as {m}" for m, cond in measures)
        summaries = " union all ".join(
            f"""select {lineage}, region_id, cast(y as varchar), y, '{m}', 'all', 'all', 'all',
                {m}, {tail} from per_year"""
            for m, _ in measures
        )
        # bands and cause groups are resolved for the few distinct ages / ICD categories only,
        # then equi-joined: no range join over every record
        aggregate = f"""
            , ages as (
                select r.age, a.age_group
                from range(0, 131) r(age)
                join __age_groups a on r.age between a.age_lower and coalesce(a.age_upper, 1000)
            ),
            icds as (
                select d.icd3, g.cause_group
                from (select distinct left(icd, 3) as icd3 from checked) d
                left join __cause_groups g on d.icd3 between g.icd_from and g.icd_to
            ),
            v as (
                select c.region_id, c.sex, c.age, {age_days} c.maternal,
                    year(c.event_date) as y, a.age_group,
                    coalesce(g.cause_group, case when maternal = 1 then 'maternal' else 'other' end)
                        as cause_group
                from checked c
                join ages a on a.age = least(floor(c.age), 130)::bigint
                left join icds g on g.icd3 = left(c.icd, 3)
                where c.reason_code is null
            ),
            per_year as (select region_id, y, {counts} from v group by region_id, y)
            select {lineage}, region_id, cast(y as varchar), y, 'deaths', age_group, sex,
                cause_group, count(*), {tail}
            from v group by region_id, y, age_group, sex, cause_group
            union all {summaries}
        """
    con.execute(
        "insert into raw.count_observations " + base + aggregate,
        {
            "hash": ctx.file_hash,
            "path": ctx.file_path,
            "at": ctx.ingested_at,
            "run": ctx.run_id,
            "source": desc.source,
            "nature": desc.data_nature or "official",
        },
    )
    total, bad = con.execute(
        "select count(*), count(*) filter (where reason_code is not null) from __register_checked"
    ).fetchone()
    con.execute("drop table __register_checked")
    return RegisterCounts(rows_read=total, rows_loaded=total - bad, rows_quarantined=bad)
