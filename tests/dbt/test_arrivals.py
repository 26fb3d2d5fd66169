"""What the landing zone says now is what the warehouse serves (issue 20 §1).

Real landing zones ingested by the real ingestion, read through the real staging SQL (compiled by
dbt) and, for a few rounds, through real incremental and full dbt builds of the marts:
- a restore of earlier bytes (v1 → v2 → v1) and a re-issue under a new name are arrivals;
- a file deleted from the landing zone is kept until retracted; the history stays queryable;
- a soak alternating revisions, reverts, renames, re-issues and deletions (with retraction),
  asserting after every round that the warehouse equals a fresh build from the landing zone as it
  stands and that rows read = loaded + quarantined for every arrival.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import dbt_fixture_data as fx
import duckdb
import pytest
from dbt_harness import DbtBuild, run_dbt, select_data_columns

from pipelines.config import SEEDS_DIR
from pipelines.ingest import ingest_all
from pipelines.ingest.arrivals import RetractionError, retract
from pipelines.ingest.schema import REGISTER_DDL, STORED_BY_ARRIVAL

pytestmark = pytest.mark.integration

VARS = json.dumps({"assessment_year": fx.ASSESSMENT_YEAR})
OBS_KEYS = [("testville", "health_literacy_rate", year) for year in (2019, 2020, 2021, 2022)] + [
    ("testville", "life_expectancy", year) for year in (2019, 2020, 2021)
]
SERVED = (
    "select region_id, indicator_code, period, data_nature, value, file_path, source_row "
    "from ({sql}) order by all"
)
MARTS = (
    "marts.fct_indicator_observation",
    "marts.fct_target_assessment",
    "marts.mart_target_progress",
    "intermediate.int_counts_annual",
)


@pytest.fixture(scope="module")
def staging_sql(dbt_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> str:
    """stg_observations as dbt compiles it for a full build (catalog "warehouse": every database
    here is ``<dir>/warehouse.duckdb``); it is a table incremental by region, so an incremental
    compile would select only the regions with new arrivals."""
    target = tmp_path_factory.mktemp("arrivals_target")
    result = dbt_build.dbt(
        "compile",
        "--select",
        "stg_observations",
        "--vars",
        VARS,
        "--target-path",
        str(target),
        "--full-refresh",
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert dbt_build.warehouse.stem == "warehouse"
    return next(target.rglob("stg_observations.sql")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reference for ingestion: the project's catalogue with the dbt fixture's regions."""
    path = tmp_path_factory.mktemp("arrival_seeds")
    for name in ("units", "unit_aliases", "age_groups", "icd10_cause_groups", "indicators"):
        shutil.copy(SEEDS_DIR / f"{name}.csv", path / f"{name}.csv")
    shutil.copy(SEEDS_DIR / "indicator_aliases.csv", path / "indicator_aliases.csv")
    shutil.copy(Path(fx.__file__).parent / "fixtures" / "seeds" / "regions.csv", path)
    (path / "region_aliases.csv").write_text("alias,region_id\n", encoding="utf-8")
    return path


@dataclass
class Zone:
    """A landing zone under test, with a clock so that mtime order = arrival order."""

    raw: Path
    clock: int = 1_750_000_000
    versions: dict[str, list[bytes]] = field(default_factory=dict)

    def write(self, rel: str, data: bytes) -> None:
        path = self.raw / rel
        if path.exists() and path.read_bytes() == data:
            return  # not an arrival (and its mtime stays: see docs/ingestion.md#arrivals)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.clock += 10
        os.utime(path, (self.clock, self.clock))
        self.versions.setdefault(rel, []).append(data)

    def files(self) -> list[str]:
        return sorted(p.relative_to(self.raw).as_posix() for p in self.raw.rglob("*.csv"))


def _observations(rng: random.Random) -> bytes:
    keys = [k for k in OBS_KEYS if rng.random() < 0.8] or OBS_KEYS[:1]
    lines = ["region,indicator,period,value"]
    for region, indicator, year in keys:
        low = 20 if indicator == "health_literacy_rate" else 76
        lines.append(f"{region},{indicator},{year},{low + rng.randint(0, 150) / 10}")
    if rng.random() < 0.3:
        lines.append("atlantis,life_expectancy,2020,80")  # quarantined: unknown region
    return ("\n".join(lines) + "\n").encode()


def _counts(rng: random.Random) -> bytes:
    years = [y for y in (2021, 2022) if rng.random() < 0.8] or [2022]
    lines = ["region,period,measure,value"]
    for year in years:
        lines.append(f"testville,{year},live_births,{13_000 + rng.randint(0, 500)}")
        lines.append(f"testville,{year},infant_deaths,{rng.randint(1, 9)}")
    return ("\n".join(lines) + "\n").encode()


def _served(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(SERVED.format(sql=sql)).fetchall()


def _fresh(zone: Zone, root: Path, seeds: Path, name: str) -> Path:
    """A warehouse built from scratch from the landing zone as it stands."""
    db = root / name / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    ingest_all(db, zone.raw, f"fresh-{name}", seeds_dir=seeds)
    return db


def _assert_accounted(db: Path) -> None:
    """rows_read = loaded + quarantined for every arrival, and the rows are really there."""
    with duckdb.connect(str(db), read_only=True) as con:
        bad = con.execute(
            """
            select f.file_path, f.ingested_at from raw.ingested_files f
            left join (select file_path, ingested_at, count(*) n from raw.observations
                       group by all) o using (file_path, ingested_at)
            left join (select file_path, ingested_at, count(*) n from raw.count_observations
                       group by all) c using (file_path, ingested_at)
            left join (select file_path, ingested_at, count(*) n from raw.quarantine
                       group by all) q using (file_path, ingested_at)
            where f.rows_read <> f.rows_loaded + f.rows_quarantined
               or f.rows_loaded <> coalesce(o.n, 0) + coalesce(c.n, 0)
               or f.rows_quarantined <> coalesce(q.n, 0)
            """
        ).fetchall()
    assert bad == []


def _retract(db: Path, zone: Zone, rel: str) -> None:
    with duckdb.connect(str(db)) as con:
        retract(con, rel, zone.raw, "soak-retract")


def test_restore_and_reissue_are_arrivals_history_stays(staging_sql, seeds, tmp_path) -> None:
    zone = Zone(tmp_path / "raw")
    db = tmp_path / "inc" / "warehouse.duckdb"
    db.parent.mkdir()
    v1 = b"region,indicator,period,value\ntestville,life_expectancy,2020,80.1\n"
    v2 = b"region,indicator,period,value\ntestville,life_expectancy,2020,80.9\n"
    value = lambda: [r[4] for r in _served(db, staging_sql)]  # noqa: E731
    for data, expected in ((v1, [80.1]), (v2, [80.9]), (v1, [80.1])):  # v1 → v2 → v1
        zone.write("le.csv", data)
        (result,) = ingest_all(db, zone.raw, "r", seeds_dir=seeds)
        assert result.status == "loaded"
        assert value() == expected
    # re-issuing v2's bytes under a new name is an arrival: it speaks now
    zone.write("le_reissued.csv", v2)
    results = ingest_all(db, zone.raw, "r", seeds_dir=seeds)
    assert [(r.file_path, r.status) for r in results] == [
        ("le.csv", "skipped"),
        ("le_reissued.csv", "loaded"),
    ]
    assert _served(db, staging_sql)[0][4:6] == (80.9, "le_reissued.csv")
    # every version stays queryable
    with duckdb.connect(str(db), read_only=True) as con:
        versions = con.execute("select value from raw.observations order by ingested_at").fetchall()
    assert versions == [(80.1,), (80.9,), (80.1,), (80.9,)]


def test_deleted_file_is_kept_until_retracted(staging_sql, seeds, tmp_path) -> None:
    zone = Zone(tmp_path / "raw")
    db = tmp_path / "inc" / "warehouse.duckdb"
    db.parent.mkdir()
    zone.write("a.csv", b"region,indicator,period,value\ntestville,life_expectancy,2020,80.1\n")
    zone.write("b.csv", b"region,indicator,period,value\ntestville,life_expectancy,2021,80.4\n")
    ingest_all(db, zone.raw, "r", seeds_dir=seeds)
    with duckdb.connect(str(db)) as con, pytest.raises(RetractionError, match="still in"):
        retract(con, "b.csv", zone.raw, "r")
    (zone.raw / "b.csv").unlink()
    ingest_all(db, zone.raw, "r", seeds_dir=seeds)
    assert [r[2] for r in _served(db, staging_sql)] == ["2020", "2021"]  # kept: the rule
    _retract(db, zone, "b.csv")
    assert [r[2] for r in _served(db, staging_sql)] == ["2020"]  # withdrawn on request
    with duckdb.connect(str(db)) as con, pytest.raises(RetractionError, match="already"):
        retract(con, "b.csv", zone.raw, "r")
    assert _served(db, staging_sql) == _served(_fresh(zone, tmp_path, seeds, "fresh"), staging_sql)


def _round(rng: random.Random, zone: Zone, db: Path) -> str:
    """One change to the landing zone (and the retraction a deletion needs)."""
    files = zone.files()
    action = rng.choice(["revise", "revert", "rename", "reissue", "delete", "add"])
    if not files:
        action = "add"
    if action == "add":
        rel = f"obs_{rng.randint(0, 5)}.csv"
        zone.write(rel, _observations(rng))
    elif action == "revise":
        rel = rng.choice(files)
        zone.write(rel, _counts(rng) if rel.startswith("counts") else _observations(rng))
    elif action == "revert":
        rel = rng.choice(files)
        zone.write(rel, rng.choice(zone.versions[rel]))
    elif action in ("rename", "reissue"):
        rel = rng.choice(files)
        new = f"renamed/{rng.randint(0, 99)}_{Path(rel).name}"
        if new in files:
            return "noop"
        zone.write(new, (zone.raw / rel).read_bytes())
        if action == "rename":
            (zone.raw / rel).unlink()
            _retract(db, zone, rel)
    else:
        rel = rng.choice(files)
        (zone.raw / rel).unlink()
        _retract(db, zone, rel)
    return f"{action} {rel}"


def test_soak_staging_equals_a_fresh_build_after_every_round(staging_sql, seeds, tmp_path):
    rng = random.Random(20)
    zone = Zone(tmp_path / "raw")
    db = tmp_path / "inc" / "warehouse.duckdb"
    db.parent.mkdir()
    zone.write("counts_testville.csv", _counts(rng))
    zone.write("obs_0.csv", _observations(rng))
    ingest_all(db, zone.raw, "inc-0", seeds_dir=seeds)
    done = []
    for n in range(1, 41):
        done.append(_round(rng, zone, db))
        ingest_all(db, zone.raw, f"inc-{n}", seeds_dir=seeds)
        fresh = _fresh(zone, tmp_path, seeds, f"fresh-{n}")
        assert _served(db, staging_sql) == _served(fresh, staging_sql), done
        _assert_accounted(db)
        _assert_accounted(fresh)
        shutil.rmtree(fresh.parent)
    actions = {d.split()[0] for d in done}
    assert actions >= {"revise", "revert", "rename", "reissue", "delete", "add"}


#: When a row was ingested or built, by which run, and how many versions of it the warehouse has
#: seen: these differ between a warehouse with history and a fresh one, so are not compared.
WHEN = re.compile(r'"(\w*ingested_at|run_id|revision|n_revisions)"(, )?')


def _marts(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: sorted(
                con.execute(
                    WHEN.sub("", select_data_columns(con, t)).rstrip(", ") + f" from {t}"
                ).fetchall(),
                key=repr,
            )
            for t in MARTS
        }


def _build(dbt_build: DbtBuild, db: Path, *args: str) -> None:
    env = {**dbt_build.env, "HEALTHPLAN_WAREHOUSE": str(db)}
    result = run_dbt(
        dbt_build.project_dir, env, "run", "--exclude", "resource_type:seed", "--vars", VARS, *args
    )
    assert result.returncode == 0, result.stdout[-4000:]


def _empty_copy(dbt_build: DbtBuild, dest: Path) -> Path:
    """The fixture warehouse (seeds, relations) with no raw data: a clean landing zone's start."""
    dest.parent.mkdir(parents=True)
    shutil.copy(dbt_build.warehouse, dest)
    with duckdb.connect(str(dest)) as con:
        stored = [*STORED_BY_ARRIVAL.values(), *REGISTER_DDL]
        for table in (*stored, "quarantine", "ingested_files"):
            con.execute(f"delete from raw.{table}")
    return dest


def test_soak_marts_incremental_equal_a_fresh_full_build(dbt_build, seeds, tmp_path) -> None:
    """A few rounds through real dbt builds (incremental on one warehouse, full refresh of a
    fresh one): revise, revert to earlier bytes, rename (+ retract), delete (+ retract)."""
    rng = random.Random(2020)
    zone = Zone(tmp_path / "raw")
    db = _empty_copy(dbt_build, tmp_path / "inc" / "warehouse.duckdb")
    zone.write("counts_testville.csv", _counts(rng))
    zone.write("obs_0.csv", _observations(rng))
    zone.write("obs_1.csv", _observations(rng))
    ingest_all(db, zone.raw, "inc-0", seeds_dir=seeds)
    _build(dbt_build, db, "--full-refresh")
    first_counts = zone.versions["counts_testville.csv"][0]
    steps = [  # three rounds (each costs two dbt builds)
        lambda: (  # revise observations and counts
            zone.write("obs_0.csv", _observations(rng)),
            zone.write("counts_testville.csv", _counts(rng)),
        ),
        lambda: (  # restore the counts' earlier bytes; rename obs_1 (re-issue + retract old)
            zone.write("counts_testville.csv", first_counts),
            zone.write("renamed/obs_1.csv", (zone.raw / "obs_1.csv").read_bytes()),
            (zone.raw / "obs_1.csv").unlink(),
            _retract(db, zone, "obs_1.csv"),
        ),
        lambda: ((zone.raw / "obs_0.csv").unlink(), _retract(db, zone, "obs_0.csv")),  # delete
    ]
    for n, step in enumerate(steps, start=1):
        step()
        ingest_all(db, zone.raw, f"inc-{n}", seeds_dir=seeds)
        _build(dbt_build, db)  # incremental
        fresh = _empty_copy(dbt_build, tmp_path / f"fresh-{n}" / "warehouse.duckdb")
        ingest_all(fresh, zone.raw, f"fresh-{n}", seeds_dir=seeds)
        _build(dbt_build, fresh, "--full-refresh")
        inc, full = _marts(db), _marts(fresh)
        diff = {
            t: (
                sorted(set(inc[t]) - set(full[t]), key=repr)[:2],
                sorted(set(full[t]) - set(inc[t]), key=repr)[:2],
            )
            for t in MARTS
            if inc[t] != full[t]
        }
        assert not diff, f"round {n}: incremental vs fresh {diff}"
        _assert_accounted(db)
        shutil.rmtree(fresh.parent)
