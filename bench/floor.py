"""The DuckDB floor: the plainest DuckDB SQL computing the same thing over the same files.

Each function runs one or a few statements on a DuckDB connection and returns the number of
rows it produced. They are deliberately naive (no validation, lineage, revisions, quarantine,
unit conversion, region aliasing): the point is what the engine itself costs, so that
``ours ÷ floor`` shows the price of everything the warehouse does on top.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.db import scalar
from pipelines.ingest.arrivals import file_sha256

DATA_SUFFIXES = {".csv", ".parquet", ".xlsx"}


@dataclass
class RawFiles:
    """Landing-zone files grouped by what the floor can do with them."""

    deaths: list[Path] = field(default_factory=list)
    births: list[Path] = field(default_factory=list)
    counts: list[Path] = field(default_factory=list)
    observations: list[Path] = field(default_factory=list)
    other_csv: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def _header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str] | None:
    try:
        if path.suffix == ".parquet":
            rel = con.sql(f"select * from read_parquet('{sql_str(path)}') limit 0")
        else:
            rel = con.sql(f"select * from read_csv('{sql_str(path)}', all_varchar=true) limit 0")
    except duckdb.Error:
        return None
    return [c.strip().lower() for c in rel.columns]


def classify(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> RawFiles:
    """Sort the landing zone's files by their header (the floor reads only what DuckDB can)."""
    out = RawFiles()
    for path in sorted(p for p in raw_dir.rglob("*") if p.suffix.lower() in DATA_SUFFIXES):
        cols = None if path.suffix.lower() == ".xlsx" else _header(con, path)
        if cols is None:
            out.skipped.append(path)
        elif "death_date" in cols:
            out.deaths.append(path)
        elif "birth_date" in cols:
            out.births.append(path)
        elif "measure" in cols and "value" in cols:
            out.counts.append(path)
        elif {"region", "indicator", "period", "value"} <= set(cols):
            out.observations.append(path)
        elif path.suffix == ".csv":
            out.other_csv.append(path)
        else:
            out.skipped.append(path)
    return out


def sql_str(path: Path) -> str:
    """A path as the body of a SQL string literal."""
    return str(path).replace("'", "''")


def _list(paths: list[Path]) -> str:
    return "[" + ", ".join(f"'{sql_str(p)}'" for p in paths) + "]"


def csv_relation(paths: list[Path]) -> str:
    """The plainest DuckDB reader of CSV files: every column as text, columns matched by name."""
    return f"read_csv({_list(paths)}, all_varchar=true, union_by_name=true)"


def register_relation(paths: list[Path]) -> str:
    """The plainest DuckDB reader of register files: ``read_parquet`` of the generator's Parquet
    files; CSV files (the shipped sample's) with the types DuckDB detects, joined to the Parquet
    ones by column name."""
    parquet = [p for p in paths if p.suffix.lower() == ".parquet"]
    text = [p for p in paths if p.suffix.lower() != ".parquet"]
    if not text:
        return f"read_parquet({_list(parquet)})"
    readers = [f"select * from read_csv({_list(text)}, union_by_name=true)"]
    if parquet:
        readers.append(f"select * from read_parquet({_list(parquet)})")
    return "(" + " union all by name ".join(readers) + ")"


def ingest(
    con: duckdb.DuckDBPyConnection, files: RawFiles, seconds: dict[str, float] | None = None
) -> int:
    """Load every readable file: CSVs as text tables, registers aggregated to counts.

    ``seconds``, when given, receives the wall seconds per layout, keyed as our ingestion names
    layouts (``counts``, ``long``, ``death_register``, ``birth_register``), so that a goal can
    compare the same files (issue 17: registers and population tables)."""
    timings = seconds if seconds is not None else {}
    rows = 0
    groups = (("counts", files.counts), ("long", files.observations), ("other", files.other_csv))
    i = 0
    for layout, paths in groups:
        start = time.perf_counter()
        for path in paths:
            con.execute(f"create or replace table f_{i} as {csv_relation_select([path])}")
            rows += scalar(con, f"select count(*) from f_{i}")
            i += 1
        timings[layout] = time.perf_counter() - start
    for layout, paths, select in _register_layouts(files):
        start = time.perf_counter()
        table = layout.replace("_register", "_counts")  # death_counts, birth_counts
        con.execute(f"create or replace table {table} as {select(paths)}")
        rows += _records(con, paths)
        timings[layout] = time.perf_counter() - start
    return rows


def _records(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> int:
    """Records in register files: Parquet's from its metadata, CSV's by reading them."""
    parquet = [p for p in paths if p.suffix.lower() == ".parquet"]
    text = [p for p in paths if p.suffix.lower() != ".parquet"]
    n = (
        scalar(con, f"select sum(num_rows) from parquet_file_metadata({_list(parquet)})")
        if parquet
        else 0
    )
    return int(n or 0) + (
        scalar(con, f"select count(*) from {register_relation(text)}") if text else 0
    )


def _death_counts(paths: list[Path]) -> str:
    """Death records aggregated to counts by region, year, age band, sex and cause."""
    return f"""select region, year(death_date) as year, {_AGE_LOWER} as age_lower, sex,
            {_CAUSE} as cause, count(*) as deaths, sum(maternal::int) as maternal
        from {register_relation(paths)} group by all"""


def _birth_counts(paths: list[Path]) -> str:
    """Birth records aggregated to counts by region and year."""
    return f"""select region, year(birth_date) as year, count(*) as births
        from {register_relation(paths)} group by all"""


def _register_layouts(
    files: RawFiles,
) -> list[tuple[str, list[Path], Callable[[list[Path]], str]]]:
    """(layout, files, the floor's statement over them) of each register layout present."""
    found = [
        ("death_register", files.deaths, _death_counts),
        ("birth_register", files.births, _birth_counts),
    ]
    return [(layout, paths, select) for layout, paths, select in found if paths]


#: What every count row of the contract floor carries: its arrival's key and its sheet and
#: source row; the file's lineage is its arrival's, written once (CONTRACTS §2: count rows are
#: stored by arrival).
_LINEAGE = "$arrival as arrival_id, null::varchar as sheet, null::integer as source_row"


def ingest_contract(
    con: duckdb.DuckDBPyConnection,
    files: RawFiles,
    layouts: frozenset[str],
    seconds: dict[str, float] | None = None,
) -> int:
    """The floor's reads of the files of ``layouts`` (counts, registers) as the ingestion contract
    asks, with nothing else: each file hashed (sha256, as arrivals are told apart) and loaded in
    its own transaction, its arrival (lineage) in ``contract_arrivals`` and every row keyed by it,
    one checkpoint at the end of the batch (CONTRACTS §2; ``pipelines.ingest.core``). No
    validation, resolution or quarantine.

    What any ingestion that keeps the contract pays at least, for the goal "registers and
    population tables within 1.5× the floor's read" (issue 17). ``seconds`` receives the wall
    seconds per layout and of the ``checkpoint``. ``con`` should be a fresh database file.
    """
    timings = seconds if seconds is not None else {}
    plans: list[tuple[str, list[Path], Callable[[list[Path]], str]]] = [
        ("counts", files.counts, csv_relation_select),
        *_register_layouts(files),
    ]
    con.execute("set checkpoint_threshold = '1GB'")  # one checkpoint, as ingest_all
    con.execute(
        "create table contract_arrivals (arrival_id integer, file_hash varchar, "
        "file_path varchar, ingested_at timestamp, run_id varchar)"
    )
    rows = 0
    for layout, paths, select in plans:
        if layout not in layouts or not paths:
            continue
        start = time.perf_counter()
        for i, path in enumerate(paths):
            arrival = scalar(con, "select count(*) + 1 from contract_arrivals")
            lineage = [file_sha256(path), path.name, datetime.now(UTC).replace(tzinfo=None)]
            table = f"contract_{layout}"
            into = f"insert into {table} by name" if i else f"create table {table} as"
            con.execute("begin transaction")
            con.execute(
                "insert into contract_arrivals values (?, ?, ?, ?, 'floor')", [arrival, *lineage]
            )
            con.execute(
                f"{into} select {_LINEAGE}, * from ({select([path])})", {"arrival": arrival}
            )
            con.execute("commit")
        rows += scalar(con, f"select count(*) from contract_{layout}")
        timings[layout] = time.perf_counter() - start
    start = time.perf_counter()
    con.execute("checkpoint")
    timings["checkpoint"] = time.perf_counter() - start
    con.execute("reset checkpoint_threshold")
    return rows


def csv_relation_select(paths: list[Path]) -> str:
    """``select *`` of :func:`csv_relation`."""
    return f"select * from {csv_relation(paths)}"


_AGE_LOWER = (
    "case when age < 1 then 0 when age < 5 then 1 when age >= 85 then 85"
    " else (floor(age / 5) * 5)::int end"
)
_CAUSE = (
    "case when icd10 between 'I00' and 'I99~' then 'cvd'"
    " when icd10 between 'C00' and 'C97~' then 'cancer'"
    " when icd10 between 'E10' and 'E14~' then 'diabetes'"
    " when icd10 between 'J30' and 'J98~' then 'crd' else 'other' end"
)


#: The floor's computed indicators as one statement (SQL lives in .sql files).
RATES_SQL = Path(__file__).parent / "sql" / "floor_rates.sql"
#: A count file's columns, no rows: the population when the landing zone has no count file.
_NO_COUNTS = (
    "(select null::varchar as region, null::varchar as period, null::varchar as measure,"
    " null::varchar as age_group, null::varchar as sex, null::varchar as value where false)"
)


def rates_sql(files: RawFiles) -> str:
    """:data:`RATES_SQL` over ``files``: registers + population → every computed indicator per
    region and year (its header says which and how)."""
    return string.Template(RATES_SQL.read_text(encoding="utf-8")).substitute(
        deaths=register_relation(files.deaths),
        births=register_relation(files.births),
        counts=csv_relation(files.counts) if files.counts else _NO_COUNTS,
        age_lower=_AGE_LOWER,
        cause=_CAUSE,
    )


def rates(con: duckdb.DuckDBPyConnection, files: RawFiles) -> int:
    """Compute every indicator from the register files into a table; rows produced."""
    if not files.deaths or not files.births:
        return 0
    con.execute(f"create or replace table floor_rates as {rates_sql(files)}")
    return scalar(con, "select count(*) from floor_rates")


#: Indicator codes the floor computes (the columns of ``floor_rates``).
RATE_CODES = (
    "crude_death_rate",
    "infant_mortality_rate",
    "under5_mortality_rate",
    "maternal_mortality_ratio",
    "premature_ncd_mortality",
    "life_expectancy",
)


def agreement(con: duckdb.DuckDBPyConnection, warehouse: Path) -> dict[str, dict[str, float]]:
    """How far our computed indicators are from the floor's, per indicator code.

    Proves the floor computes the same thing: the largest absolute and relative difference over
    every region and year both computed (and how many pairs were compared).
    """
    con.execute(f"attach if not exists '{sql_str(warehouse)}' as wh (read_only)")
    unpivot = " union all ".join(
        f"select region as region_id, year, '{code}' as indicator_code, {code} as value "
        "from floor_rates"
        for code in RATE_CODES
    )
    rows = con.execute(
        f"""with f as ({unpivot})
        select f.indicator_code, count(*),
               max(abs(o.value - f.value)),
               max(abs(o.value - f.value) / nullif(abs(f.value), 0))
        from f join wh.marts.fct_indicator_observation as o
          on o.region_id = f.region_id and o.year = f.year
         and o.indicator_code = f.indicator_code and o.value_source = 'computed'
        group by all order by 1"""
    ).fetchall()
    return {
        code: {"pairs": n, "max_abs_diff": diff, "max_rel_diff": rel} for code, n, diff, rel in rows
    }


def assessment(con: duckdb.DuckDBPyConnection, files: RawFiles, seeds: Path) -> int:
    """One query: latest observation per region × indicator joined to every target, judged.

    ``each_subregion`` targets are expanded to the child regions of the ``regions`` seed.

    Handles the absolute comparators (ge/gt/le/lt/eq/range/about); relative ones count as
    unjudged rows — the floor still reads and joins them.
    """
    if not files.observations or not (seeds / "plan_targets.csv").exists():
        return 0
    con.execute(
        f"""create or replace table floor_assessment as
        with obs as (
            select region as region_id, indicator as indicator_code,
                   try_cast(regexp_extract(period, '\\d{{4}}') as int) as year,
                   try_cast(replace(value, ',', '') as double) as value
            from {csv_relation(files.observations)}
        ),
        latest as (
            select region_id, indicator_code, arg_max(value, year) as value, max(year) as year
            from obs group by all
        ),
        r as (select * from read_csv('{sql_str(seeds / "regions.csv")}', all_varchar=true)),
        t0 as (select * from read_csv('{sql_str(seeds / "plan_targets.csv")}', all_varchar=true)),
        t as (
            select t0.* replace (coalesce(r.region_id, t0.region_id) as region_id)
            from t0 left join r
              on t0.scope = 'each_subregion' and r.parent_region_id = t0.region_id
        )
        select t.target_id, t.region_id, latest.year, latest.value,
               case t.comparator
                   when 'ge' then latest.value >= t.target_value::double
                   when 'gt' then latest.value > t.target_value::double
                   when 'le' then latest.value <= t.target_value::double
                   when 'lt' then latest.value < t.target_value::double
                   when 'eq' then latest.value = t.target_value::double
                   when 'range' then latest.value between t.target_value::double
                                                     and t.target_upper::double
                   when 'about' then abs(latest.value / t.target_value::double - 1)
                                     <= coalesce(t.tolerance_pct::double, 5) / 100
               end as met
        from t left join latest using (region_id, indicator_code)"""
    )
    return scalar(con, "select count(*) from floor_assessment")


def validation(con: duckdb.DuckDBPyConnection, warehouse: Path) -> int:
    """The GX verdict as one query over ``marts.fct_target_assessment`` (CONTRACTS §3)."""
    con.execute(f"attach if not exists '{sql_str(warehouse)}' as wh (read_only)")
    con.execute(
        """create or replace table floor_validation as
        select target_id, region_id, assessment_year,
               (required_lower is null or verdict_value > required_lower
                or (required_lower_inclusive and verdict_value = required_lower))
               and (required_upper is null or verdict_value < required_upper
                or (required_upper_inclusive and verdict_value = required_upper)) as success
        from wh.marts.fct_target_assessment
        where is_latest and verdict_value is not null"""
    )
    return scalar(con, "select count(*) from floor_validation")


def report(con: duckdb.DuckDBPyConnection, warehouse: Path, run_id: str, out: Path) -> int:
    """The failure report as one ``COPY``: failed expectations of the run to CSV."""
    con.execute(f"attach if not exists '{sql_str(warehouse)}' as wh (read_only)")
    con.execute(
        f"""copy (select * from wh.monitoring.validation_results
                  where run_id = '{run_id.replace("'", "''")}' and not success
                  order by severity, plan_id, target_id, region_id)
            to '{sql_str(out)}' (header)"""
    )
    return scalar(
        con,
        "select count(*) from wh.monitoring.validation_results where run_id = ? and not success",
        [run_id],
    )


def detach(con: duckdb.DuckDBPyConnection) -> None:
    """Release the warehouse so our own components can open it read-write again."""
    try:
        con.execute("detach wh")
    except duckdb.Error:
        pass
