"""The SQL of a register record: how each field is parsed and every check on it, defined once
and used by both aggregation paths and by the quarantine scan of
:mod:`pipelines.ingest.registers` (private to ``pipelines.ingest``).

Typed Parquet columns (DATE, integers, DOUBLE, BOOLEAN) are used as they are where their text
would parse back to the same value; everything else goes through the text parsers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from pipelines.ingest.parsing import MAX_YEAR, MIN_YEAR

#: Age thresholds of the child-mortality tallies, written once (WHO definitions): infant = death
#: before age 1, under-5 = before age 5 (completed years), neonatal = within the first 28 days.
INFANT_AGE_YEARS = 1
UNDER5_AGE_YEARS = 5
NEONATAL_AGE_DAYS = 28
#: Tally conditions on a register record (columns ``age`` in years, ``age_days``).
IS_INFANT = f"age < {INFANT_AGE_YEARS}"
IS_UNDER5 = f"age < {UNDER5_AGE_YEARS}"
IS_NEONATAL = f"age_days < {NEONATAL_AGE_DAYS}"
#: The oldest valid age in completed years; age bands are looked up for 0 … MAX_AGE.
MAX_AGE = 130
#: A record whose age is not a number in 0 … MAX_AGE is invalid (column ``age``).
BAD_AGE = f"age is null or age < 0 or age > {MAX_AGE}"
#: An age in days (given, or death date − birth date) outside 0 … 366 × 131 is impossible.
BAD_AGE_DAYS = f"age_days < 0 or age_days > 366 * {MAX_AGE + 1}"
#: An ICD-10 code starts with a letter and two digits (after removing dots and spaces).
ICD_PATTERN = "^[A-Z][0-9]{2}"
_TRUE = ("1", "true", "t", "y", "yes", "是")
_FALSE = ("0", "false", "f", "n", "no", "否")
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                 "UINTEGER", "UBIGINT")  # fmt: skip


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def blank(expr: str) -> str:
    """The text ``expr`` is missing or empty."""
    return f"{expr} is null or {expr} = ''"


def year_outside(expr: str) -> str:
    """The year ``expr`` is outside the years a period may have (parsing.MIN_YEAR … MAX_YEAR)."""
    return f"{expr} not between {MIN_YEAR} and {MAX_YEAR}"


def icd_ok(expr: str) -> str:
    """The normalised code ``expr`` is an ICD-10 code (see :data:`ICD_PATTERN`)."""
    return f"regexp_matches(coalesce({expr}, ''), '{ICD_PATTERN}')"


def icd_normalised(text_expr: str) -> str:
    """An ICD-10 cell without dots and spaces, upper case (I21.9 → I219)."""
    return f"upper(replace(replace({text_expr}, '.', ''), ' ', ''))"


def text(expr: str) -> str:
    """A cell as trimmed text."""
    return f"trim(cast({expr} as varchar))"


def date(expr: str, kind: str) -> str:
    """The date of a cell: ISO, 2020/01/31, 20200131 or 2020.01.31 text.

    A DATE column (Parquet) in the valid range is used as it is: its text round-trips to the
    same date, so the text parsing is skipped for it; anything else takes the text path.
    """
    cell = text(expr)
    parsed = (
        f"coalesce(try_cast({cell} as date), try_strptime({cell}, '%Y/%m/%d')::date, "
        f"try_strptime({cell}, '%Y%m%d')::date, try_strptime({cell}, '%Y.%m.%d')::date)"
    )
    if kind == "DATE":
        return (
            f"(case when {expr} between date '{MIN_YEAR}-01-01' and date '{MAX_YEAR}-12-31' "
            f"then {expr} else {parsed} end)"
        )
    return parsed


def number(expr: str, kind: str) -> str:
    """A cell as a double: integer and double columns are cast directly (their text
    round-trips exactly), anything else is parsed from its text."""
    if kind in INTEGER_TYPES or kind == "DOUBLE":
        return f"cast({expr} as double)"
    return f"try_cast({text(expr)} as double)"


def flag(expr: str, kind: str) -> str:
    """A 0/1 flag: 1/0, true/false, t/f, y/n, yes/no, 是/否 (case-insensitive), else null."""
    if kind in INTEGER_TYPES:
        return f"(case when {expr} = 1 then 1 when {expr} = 0 then 0 end)"
    if kind == "BOOLEAN":
        return f"(case when {expr} then 1 when not {expr} then 0 end)"
    truthy = ", ".join(literal(v) for v in _TRUE)
    falsy = ", ".join(literal(v) for v in _FALSE)
    lowered = f"lower({text(expr)})"
    return f"(case when {lowered} in ({truthy}) then 1 when {lowered} in ({falsy}) then 0 end)"


#: one check of a record: (fails, reason code, column, detail SQL)
Check = tuple[str, str, str, str]


@dataclass(frozen=True)
class Records:
    """SQL of one register scan: parsed fields, joins to the distinct-value maps, checks."""

    src: str
    layout: str
    columns: dict[str, str]  # canonical column -> column name in the file
    file_columns: list[str]
    parsed: list[str]
    joins: str
    checks: list[Check]
    neonatal: bool
    col: dict[str, str]  # canonical column -> "t.<quoted file column>"
    kind: dict[str, str]  # canonical column -> DuckDB type of the file column
    maps: dict[str, Callable[[str], str | None]]  # distinct-value map name -> mapping

    @property
    def deaths(self) -> bool:
        return self.layout == "death_register"

    @property
    def date_key(self) -> str:
        return "death_date" if self.deaths else "birth_date"

    def case(self, part: int) -> str:
        """CASE over the checks: 1 = reason code, 2 = column name, 3 = detail."""
        whens = []
        for check in self.checks:
            then = check[part]
            if part == 1:
                then = literal(then)
            elif part == 2:
                then = literal(self.columns.get(then, then))
            whens.append(f"when {check[0]} then {then}")
        return "case " + " ".join(whens) + " end"

    def scan(self, extra: str = "", source: str | None = None) -> str:
        return f"select {extra}{', '.join(self.parsed)} from {source or self.src} t {self.joins}"


def age_days(col: dict[str, str], kind: dict[str, str]) -> str:
    """SQL of a death's age in days: the column, else death date - birth date."""
    if "age_days" in col:
        return number(col["age_days"], kind["age_days"])
    death = date(col["death_date"], kind["death_date"])
    return f"({death} - {date(col['birth_date'], kind['birth_date'])})"


def _common(
    date_key: str, has_sex: bool, col: dict[str, str], kind: dict[str, str]
) -> tuple[list[str], str, list[Check]]:
    """Fields, joins and checks of every register (region, event date, sex)."""
    # region/sex texts come with the distinct-value maps (trimmed once per distinct value)
    parsed = [
        f"{date(col[date_key], kind[date_key])} as event_date",
        "reg.txt as region_txt",
        "reg.mapped as region_id",
        f"{text(col[date_key])} as date_txt",
    ]
    joins = f"left join __reg reg on reg.raw = cast({col['region']} as varchar)"
    if has_sex:
        parsed += ["sx.mapped as sex", "sx.txt as sex_txt"]
        joins += f" left join __sex sx on sx.raw = cast({col['sex']} as varchar)"
    else:
        parsed += ["'all' as sex", "null as sex_txt"]
    checks: list[Check] = [
        (blank("region_txt"), "invalid_record", "region", "'region is empty'"),
        (
            "region_id is null",
            "unknown_region",
            "region",
            "'unknown region ''' || region_txt || ''''",
        ),
        (
            f"event_date is null or {year_outside('year(event_date)')}",
            "invalid_record",
            date_key,
            f"'invalid {date_key} ''' || coalesce(date_txt, '') || ''''",
        ),
    ]
    return parsed, joins, checks


def _death_fields(rec_col: dict[str, str], kind: dict[str, str]) -> tuple[list[str], list[Check]]:
    """Fields and checks a death record adds (age, ICD-10 code, maternal flag)."""
    parsed = [
        f"{number(rec_col['age'], kind['age'])} as age",
        f"{text(rec_col['age'])} as age_txt",
        f"{icd_normalised(text(rec_col['icd10']))} as icd",
        f"{flag(rec_col['maternal'], kind['maternal'])} as maternal",
        f"{text(rec_col['maternal'])} as maternal_txt",
    ]
    checks: list[Check] = [
        (BAD_AGE, "invalid_record", "age", "'invalid age ''' || coalesce(age_txt, '') || ''''"),
        (
            f"not {icd_ok('icd')}",
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
    return parsed, checks


def records_sql(
    con: duckdb.DuckDBPyConnection,
    src: str,
    layout: str,
    columns: dict[str, str],
    maps: dict[str, Callable[[str], str | None]],
) -> Records:
    """The :class:`Records` of the file ``src`` (a DuckDB table function call)."""
    described = con.execute(f"describe select * from {src}").fetchall()
    kinds = {r[0]: str(r[1]).upper() for r in described}
    col = {k: "t." + ident(v) for k, v in columns.items()}
    kind = {k: kinds.get(v, "VARCHAR") for k, v in columns.items()}
    deaths = layout == "death_register"
    has_sex = "sex" in columns
    neonatal = deaths and ("age_days" in columns or "birth_date" in columns)
    parsed, joins, checks = _common("death_date" if deaths else "birth_date", has_sex, col, kind)
    if has_sex or deaths:
        sex_detail = "'invalid sex ''' || coalesce(sex_txt, '') || ''''"
        checks.append(("sex is null", "invalid_record", "sex", sex_detail))
    if deaths:
        more, more_checks = _death_fields(col, kind)
        parsed += more
        checks += more_checks
    if neonatal:
        parsed.append(f"{age_days(col, kind)} as age_days")
        bad_days = f"age_days is not null and ({BAD_AGE_DAYS})"
        checks.append((bad_days, "invalid_record", "age_days", "'invalid age in days'"))
    return Records(
        src, layout, columns, [r[0] for r in described], parsed, joins, checks, neonatal, col,
        kind, maps,
    )  # fmt: skip
