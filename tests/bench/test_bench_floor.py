"""The DuckDB floor computes the indicators it claims to, on registers with a known answer."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from bench import floor
from bench.measure import Stage
from bench.results import ScaleResult
from bench.scales_staged import (
    COMPUTED_INPUT_LAYOUTS,
    computed_bound_note,
    ingest_contract_note,
    ingest_ratio_of,
)
from pipelines.ingest.arrivals import file_sha256

M = 0.02  # constant mortality rate at every age
POP = 100_000  # persons per age group
LOWERS = [0, 1, *range(5, 90, 5)]


def _write_registers(raw: Path, by_sex: bool = False, suffix: str = "parquet") -> None:
    """One region, 2020: POP people and M·POP NCD deaths in every age group; 10,000 births.

    The population file has both-sexes rows and an all-ages total, or (``by_sex``) only male and
    female rows by age group, as the generator writes it. The registers are Parquet, as the
    generator writes them, or (``suffix="csv"``) CSV, as the shipped sample's are.
    """
    raw.mkdir()
    con = duckdb.connect()
    deaths = int(M * POP)
    con.execute(
        f"""copy (
            select 'r1' as region, date '2020-06-01' as death_date, a.age, 'male' as sex,
                   'I21' as icd10, (i = 0 and a.age = 30)::int as maternal
            from unnest({LOWERS}) as a(age), range({deaths}) as t(i)
        ) to '{raw}/deaths.{suffix}'"""
    )
    con.execute(
        f"""copy (select 'r1' as region, date '2020-03-01' as birth_date from range(10000))
            to '{raw}/births.{suffix}'"""
    )
    groups = ["0", "1-4"] + [f"{a}-{a + 4}" for a in range(5, 85, 5)] + ["85+"]
    lines = ["region,period,measure,age_group,sex,value"]
    if by_sex:
        lines += [
            f"r1,2020,population,{g},{s},{POP // 2}" for g in groups for s in ("male", "female")
        ]
    else:
        lines += [f"r1,2020,population,{g},all,{POP}" for g in groups]
        lines.append(f"r1,2020,population,all,all,{POP * len(groups)}")
    (raw / "population.csv").write_text("\n".join(lines) + "\n")


@pytest.fixture(
    params=[(False, "parquet"), (True, "parquet"), (False, "csv")],
    ids=["both-sexes", "by-sex", "csv-registers"],
)
def rates(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, float]:
    by_sex, suffix = request.param
    _write_registers(tmp_path / "raw", by_sex=by_sex, suffix=suffix)
    con = duckdb.connect()
    files = floor.classify(con, tmp_path / "raw")
    assert [p.name for p in files.deaths] == [f"deaths.{suffix}"]
    assert [p.name for p in files.counts] == ["population.csv"]
    assert floor.rates(con, files) == 1
    row = con.execute("select * from floor_rates").fetchone()
    return dict(zip([d[0] for d in con.description], row, strict=True))


def test_rates_per_thousand_and_per_births(rates: dict[str, float]) -> None:
    deaths = int(M * POP)
    assert rates["crude_death_rate"] == pytest.approx(1000 * M)
    assert rates["infant_mortality_rate"] == pytest.approx(1000 * deaths / 10_000)
    assert rates["under5_mortality_rate"] == pytest.approx(1000 * 2 * deaths / 10_000)
    assert rates["maternal_mortality_ratio"] == pytest.approx(100_000 * 1 / 10_000)


def test_sdg_341_and_life_expectancy(rates: dict[str, float]) -> None:
    q5 = 5 * M / (1 + 2.5 * M)
    assert rates["premature_ncd_mortality"] == pytest.approx(100 * (1 - (1 - q5) ** 8))
    # Constant hazard m: life expectancy at birth is close to 1/m (abridged-table error < 1 y).
    assert math.isclose(rates["life_expectancy"], 1 / M, abs_tol=1.0)


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_floor_ingest_counts_register_records(tmp_path: Path, suffix: str) -> None:
    _write_registers(tmp_path / "raw", suffix=suffix)
    con = duckdb.connect()
    by_layout: dict[str, float] = {}
    rows = floor.ingest(con, floor.classify(con, tmp_path / "raw"), by_layout)
    # timed per layout, named as our ingestion names them (the L ingestion goal compares them)
    assert {"counts", "death_register", "birth_register"} <= by_layout.keys()
    assert all(v > 0 for k, v in by_layout.items() if k != "other")
    deaths = int(M * POP) * len(LOWERS)
    assert rows == deaths + 10_000 + 20  # 19 age groups + the total
    assert con.execute("select sum(deaths) from death_counts").fetchone()[0] == deaths


def test_ingest_ratio_compares_the_same_files() -> None:
    result = ScaleResult("L")
    ours = Stage("ingest", seconds=99.0, status="ok")
    ours.detail = {
        "call_s": 100.5,  # 1.5 s outside any file: the batch's checkpoint, charged here whole
        "files": [
            {"file": "d.parquet", "layout": "death_register", "seconds": 6.0},
            {"file": "p.csv", "layout": "counts", "seconds": 1.5},
            {"file": "o.csv", "layout": "long", "seconds": 91.5},
        ],
    }
    base = Stage("ingest", seconds=50.0, status="ok")
    base.detail = {"seconds_by_layout": {"death_register": 4.0, "counts": 2.0, "long": 44.0}}
    result.add(ours)
    result.add_floor(base)
    # (6 + 1.5 + 1.5) / (4 + 2): the observation files weigh on neither side
    assert ingest_ratio_of(result, COMPUTED_INPUT_LAYOUTS) == pytest.approx(1.5)
    base.detail = {}
    assert ingest_ratio_of(result, COMPUTED_INPUT_LAYOUTS) is None


def test_computed_bound_is_the_floors_read_of_the_inputs_over_the_computed_floor() -> None:
    result = ScaleResult("L")
    assert computed_bound_note(result) is None  # nothing measured yet
    base = Stage("ingest", seconds=50.0, status="ok")
    base.detail = {"seconds_by_layout": {"death_register": 9.0, "counts": 3.0, "long": 38.0}}
    result.add_floor(base)
    result.add_floor(Stage("computed_indicators", seconds=8.0, status="ok"))
    note = computed_bound_note(result)
    # (9 + 3) / 8: the observation files are not an input of the computed indicators
    assert note is not None and "(12.0 s) is already 1.50×" in note and "(8.0 s)" in note
    base.status = "error"
    assert computed_bound_note(result) is None


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_contract_floor_loads_the_floors_rows_file_by_file_with_lineage(
    tmp_path: Path, suffix: str
) -> None:
    """Both register formats: `make bench` at S reads the sample's CSV registers."""
    raw = tmp_path / "raw"
    _write_registers(raw, suffix=suffix)
    # a second death register: each file is loaded on its own, with its own lineage
    duckdb.connect().execute(
        f"copy (select * from '{raw}/deaths.{suffix}' limit 7) to '{raw}/deaths_late.{suffix}'"
    )
    mem = duckdb.connect()
    files = floor.classify(mem, raw)
    floor.ingest(mem, files)
    con = duckdb.connect(str(tmp_path / "contract.duckdb"))
    seconds: dict[str, float] = {}
    rows = floor.ingest_contract(con, files, COMPUTED_INPUT_LAYOUTS, seconds)
    assert set(seconds) == {"counts", "death_register", "birth_register", "checkpoint"}
    floor_deaths = mem.execute("select sum(deaths) from death_counts").fetchone()
    by_file = con.execute(
        "select file_path, file_hash, sum(deaths), count(*) from contract_death_register "
        "join contract_arrivals using (arrival_id) group by all order by 1"
    ).fetchall()
    assert [(r[0], r[1]) for r in by_file] == [
        (p.name, file_sha256(p)) for p in sorted(files.deaths, key=lambda p: p.name)
    ]
    assert sum(r[2] for r in by_file) == floor_deaths[0]  # the same records as the floor reads
    floor_births = mem.execute("select sum(births) from birth_counts").fetchone()
    assert con.execute("select sum(births) from contract_birth_register").fetchone() == floor_births
    floor_count_rows = mem.execute("select count(*) from f_0").fetchone()
    assert con.execute("select count(*) from contract_counts").fetchone() == floor_count_rows
    tables = ["contract_counts", "contract_death_register", "contract_birth_register"]
    for table in tables:  # every row is keyed by its file's arrival, which has the lineage
        missing = con.execute(
            f"select count(*) filter (where file_hash is null or file_path is null "
            f"or ingested_at is null or run_id is null) "
            f"from {table} left join contract_arrivals using (arrival_id)"
        ).fetchone()
        assert missing == (0,), table
    assert rows == sum(con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables)


def test_contract_note_sets_the_contract_floor_against_the_floors_read() -> None:
    result = ScaleResult("L")
    assert ingest_contract_note(result) is None
    base = Stage("ingest", seconds=50.0, status="ok")
    base.detail = {
        "seconds_by_layout": {"death_register": 8.0, "counts": 2.0, "long": 40.0},
        "contract_seconds_by_layout": {"death_register": 9.0, "counts": 2.5, "checkpoint": 0.5},
    }
    result.add_floor(base)
    note = ingest_contract_note(result)
    # (9 + 2.5 + 0.5) / (8 + 2)
    assert note is not None and note.endswith("12.0 s = 1.20× the floor's read (10.0 s)")
    base.detail.pop("contract_seconds_by_layout")
    assert ingest_contract_note(result) is None
