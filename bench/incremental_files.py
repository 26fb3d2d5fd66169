"""The incremental scale's new files, derived from generated ones (one region, one year on)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bench import floor
from bench.workspace import Workspace

#: landing-zone folder of the incremental scale's new file (removed before every full M run).
INCREMENTAL_DIR = "incremental"


def write_incremental_file(ws: Workspace, kind: str = "observation") -> Path:
    """A new file for one region, one year after its latest (same values), of ``kind``:

    * ``observation``: a long observation file, the region's latest values;
    * ``register``: a death register, the region's records of the latest year, dated a year on;
    * ``count``: a population count file, the region's latest population rows.

    Built from a generated file so region and indicator spellings are the generator's own.
    """
    con = duckdb.connect()
    files = floor.classify(con, ws.raw)
    if kind == "register":
        return _write_register(con, ws, files.deaths)
    if kind == "count":
        pops = [p for p in files.counts if "population" in p.name and p.suffix == ".csv"]
        return _write_shifted_csv(con, ws, pops, "one_region_population.csv", "measure, value")
    observations = [p for p in files.observations if p.suffix == ".csv"]
    extra = "value"
    if observations and "unit" in _cols(con, floor.csv_relation(sorted(observations)[-1:])):
        extra = "value, unit"
    return _write_shifted_csv(
        con, ws, observations, "one_region_new_year.csv", f"indicator, {extra}"
    )


def _write_shifted_csv(
    con: duckdb.DuckDBPyConnection, ws: Workspace, sources: list[Path], name: str, keep: str
) -> Path:
    """The first region's rows of the latest period of ``sources[-1]``, one year later."""
    if not sources:
        raise RuntimeError(f"no file under {ws.raw} to derive the new file {name} from")
    src = floor.csv_relation(sorted(sources)[-1:])
    new = ws.raw / INCREMENTAL_DIR / name
    new.parent.mkdir(parents=True, exist_ok=True)
    cols = _cols(con, src)
    rest = [c for c in cols if c not in {"region", "period"} and c not in keep.split(", ")]
    tail = "".join(f", {c}" for c in rest)
    con.execute(
        f"""copy (
            with o as (select *, try_cast(regexp_extract(period, '\\d{{4}}') as int) as y
                       from {src}),
                 r as (select min(region) as region from o),
                 last as (select o.* from o join r using (region)
                          where y = (select max(y) from o join r using (region)))
            select region, {keep.split(", ")[0]}, (y + 1)::varchar as period,
                   {", ".join(keep.split(", ")[1:])}{tail}
            from last
        ) to '{floor.sql_str(new)}' (header)"""
    )
    return new


def _write_register(con: duckdb.DuckDBPyConnection, ws: Workspace, deaths: list[Path]) -> Path:
    """The first region's death records of the latest register, dated one year later."""
    if not deaths:
        raise RuntimeError(f"no death register under {ws.raw} to derive the new file from")
    src_path = sorted(deaths)[-1]
    reader = "read_parquet" if src_path.suffix == ".parquet" else "read_csv"
    src = f"{reader}('{floor.sql_str(src_path)}')"
    new = ws.raw / INCREMENTAL_DIR / f"one_region_deaths{src_path.suffix}"
    new.parent.mkdir(parents=True, exist_ok=True)
    fmt = "(format parquet)" if src_path.suffix == ".parquet" else "(header)"
    con.execute(
        f"""copy (
            select * replace (cast(death_date + interval 1 year as date) as death_date)
            from {src} where region = (select min(region) from {src})
        ) to '{floor.sql_str(new)}' {fmt}"""
    )
    return new


def _cols(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [c.lower() for c in con.sql(f"select * from {relation} limit 0").columns]
