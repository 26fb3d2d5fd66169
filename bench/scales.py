"""The benchmark scales (S, M, L, incremental, and a tiny one for the smoke test).

Every scale runs our components as the user would (each in its own process) and, in the same
run, the DuckDB floor over the same files (:mod:`bench.floor`), under one memory sampler.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from bench import floor, ours
from bench.measure import MB, MemorySampler, Stage, measure
from bench.results import ScaleResult
from bench.targets import apply_generated_reference
from bench.workspace import Workspace, create_workspace
from pipelines.config import PROJECT_ROOT


@dataclass(frozen=True)
class GenParams:
    """Arguments of ``healthplan generate`` for one scale."""

    regions: int
    years: str
    deaths_per_year: int
    births_per_year: int
    formats: str = "csv,parquet"
    seed: int = 20261126

    def argv(self) -> list[str]:
        return [
            "--formats",
            self.formats,
            "--regions",
            str(self.regions),
            "--years",
            self.years,
            "--deaths-per-year",
            str(self.deaths_per_year),
            "--births-per-year",
            str(self.births_per_year),
            "--seed",
            str(self.seed),
        ]

    def key(self) -> str:
        return (
            f"r{self.regions}_y{self.years}_d{self.deaths_per_year}"
            f"_b{self.births_per_year}_{self.formats.replace(',', '-')}_s{self.seed}"
        )


TINY = GenParams(regions=3, years="2019-2020", deaths_per_year=2_000, births_per_year=1_500)
#: Registers of 1M deaths + 1M births a year give every computed indicator a value at M too.
M = GenParams(
    regions=2_900, years="2016-2025", deaths_per_year=1_000_000, births_per_year=1_000_000
)


def l_params(years: int) -> GenParams:
    """Scale L: 2,900 regions, ``years`` years ending 2025, 10M deaths + 10M births a year."""
    return GenParams(
        regions=2_900,
        years=f"{2026 - years}-2025",
        deaths_per_year=10_000_000,
        births_per_year=10_000_000,
        formats="parquet",
    )


# --------------------------------------------------------------------------- helpers


def _run_id(scale: str, what: str) -> str:
    return f"bench-{scale}-{what}-{int(time.time())}"


def generate(
    sampler: MemorySampler,
    result: ScaleResult,
    ws: Workspace,
    params: GenParams,
    data: Path,
    targets_per_region: bool = False,
) -> None:
    """Generate ``params`` into ``data`` unless the same parameters already produced it there.

    The generator writes the landing zone to ``data/landing`` (the workspace's ``raw``) and seed
    rows for its synthetic regions to ``data/reference`` (outside the landing zone), which are
    appended to the workspace's seeds here.
    """
    marker = data / ".bench-generated.json"
    if marker.exists() and json.loads(marker.read_text()).get("key") == params.key():
        stage = result.add(Stage("generate", status="skipped"))
        stage.detail = {"reused": str(data), **json.loads(marker.read_text())}
    else:
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        with measure(sampler, "generate") as stage:
            result.add(stage)
            stage.detail = ours.generate(
                ws, params.argv(), data / "landing", data / "reference", "generate"
            )
            manifest = generator_manifest(data / "landing")
            if manifest:
                stage.rows = manifest.get("rows")
            marker.write_text(json.dumps({"key": params.key(), **stage.detail}))
    result.params["seed_override"] = apply_generated_reference(
        ws.seeds, data / "reference", targets_per_region=targets_per_region
    )


def generator_manifest(landing: Path) -> dict[str, Any]:
    """The generator's manifest of what it wrote (rows per file), ``{}`` if there is none."""
    for name in (".generate-manifest.json", "_generate_manifest.json"):
        if (landing / name).exists():
            return json.loads((landing / name).read_text(encoding="utf-8"))
    return {}


def _floor_con(ws: Workspace) -> duckdb.DuckDBPyConnection:
    ws.floor_db.unlink(missing_ok=True)
    return duckdb.connect(str(ws.floor_db))


def floors_before_build(
    sampler: MemorySampler, result: ScaleResult, ws: Workspace
) -> floor.RawFiles:
    """Floors that read only the landing zone: ingest, computed indicators, assessment."""
    con = _floor_con(ws)
    try:
        files = floor.classify(con, ws.raw)
        result.params["floor_files"] = {
            k: len(v) for k, v in vars(files).items() if isinstance(v, list)
        }
        with measure(sampler, "ingest") as st:
            st.rows = floor.ingest(con, files)
        result.add_floor(st)
        with measure(sampler, "computed_indicators") as rates:
            rates.rows = floor.rates(con, files)
        if not (files.deaths and files.births):
            rates.status = "skipped"
            rates.detail["why"] = "the floor computes indicators from registers; none here"
        result.add_floor(rates)
        with measure(sampler, "assessment") as assess:
            assess.rows = floor.assessment(con, files, ws.seeds)
        result.add_floor(
            Stage(
                "dbt_build",
                seconds=(rates.seconds or 0) + (assess.seconds or 0),
                rows=(rates.rows or 0) + (assess.rows or 0),
                peak_mb=max(rates.peak_mb or 0, assess.peak_mb or 0),
                detail={"rates_s": rates.seconds, "assessment_s": assess.seconds},
            )
        )
        result.floors.pop("assessment", None)
        result.params["floor_assessment_rows"] = assess.rows
    finally:
        con.close()
    return files


def staged(
    sampler: MemorySampler, result: ScaleResult, ws: Workspace, run_id: str, spark: bool = False
) -> None:
    """Ingest → dbt build → GX validation → report, one process each, each next to its floor.

    With ``spark``, the same dbt build (models, no tests) also runs on local Spark over the
    Parquet lake of the same raw tables (row ``dbt_build_spark``; docs/scale-out.md)."""
    floors_before_build(sampler, result, ws)
    with measure(sampler, "ingest") as st:
        result.add(st)
        st.detail = ours.ingest(ws, run_id)
        st.rows = st.detail.get("rows_read")
    node_seconds: dict[str, float] = {}
    with measure(sampler, "dbt_build") as st:
        result.add(st)
        st.detail = ours.dbt(ws, "build", "dbt_build")
        st.rows = st.detail.get("rows_written")
        node_seconds = st.detail.pop("node_seconds", {})
    if st.detail.get("exit_code"):
        st.status = "error"
        st.detail["error"] = f"dbt build exit 1: failed {st.detail.get('failed_nodes')}"
    result.add(computed_stage(ws, result.stages["ingest"], node_seconds))
    if spark:
        with measure(sampler, "dbt_build_spark") as st:
            result.add(st)
            st.detail = ours.spark_dbt_build(ws)
            st.detail.pop("node_seconds", None)
        if st.detail.get("exit_code"):
            st.status = "error"
            st.detail["error"] = f"dbt build on Spark failed: {st.detail.get('failed_nodes')}"
    with measure(sampler, "gx_validation") as st:
        result.add(st)
        st.detail = ours.validate(ws, run_id)
        st.rows = st.detail.get("validation_rows")
    with measure(sampler, "report") as st:
        result.add(st)
        st.detail = ours.report(ws, run_id)
    con = duckdb.connect(str(ws.floor_db))
    try:
        with measure(sampler, "gx_validation") as st:
            st.rows = floor.validation(con, ws.warehouse)
        result.add_floor(st)
        with measure(sampler, "report") as st:
            st.rows = floor.report(con, ws.warehouse, run_id, ws.root / "floor_report.csv")
        result.add_floor(st)
        rates = result.floors["computed_indicators"]
        try:
            if rates.status == "ok":
                rates.detail["agreement_with_ours"] = floor.agreement(con, ws.warehouse)
        except duckdb.Error as exc:
            result.notes.append(f"floor/ours agreement not computed: {exc}"[:300])
    finally:
        floor.detach(con)
        con.close()
    _sum_end_to_end(result, ("ingest", "dbt_build", "gx_validation", "report"))


#: layouts of the files the computed indicators are made from (registers and count tables).
COMPUTED_INPUT_LAYOUTS = frozenset({"death_register", "birth_register", "counts"})


def computed_stage(ws: Workspace, ingest: Stage, node_seconds: dict[str, float]) -> Stage:
    """Computed indicators = ingest (registers → counts) + the dbt models computing indicators.

    The models are those on a path from ``raw.count_observations`` to
    ``fct_indicator_observation`` in the manifest; their seconds come from ``run_results.json``.
    """
    stage = Stage("computed_indicators")
    manifest_path = ws.dbt_project / "target" / "manifest.json"
    if ingest.status != "ok" or not node_seconds or not manifest_path.exists():
        stage.status = "skipped"
        stage.detail["why"] = "needs a successful ingest and dbt build"
        return stage
    nodes = ours.computed_indicator_nodes(json.loads(manifest_path.read_text()))
    model_s = sum(node_seconds.get(uid, 0.0) for uid in nodes)
    # the floor reads the registers and the count files: so does this figure (observation
    # files feed no computed indicator); without per-file timings, the whole ingest call
    files = ingest.detail.get("files")
    if files:
        ingest_s = sum(f["seconds"] for f in files if f.get("layout") in COMPUTED_INPUT_LAYOUTS)
    else:
        ingest_s = float(ingest.detail.get("call_s") or 0.0)
    stage.seconds = ingest_s + model_s
    stage.peak_mb = ingest.peak_mb
    stage.rows = ours.scalar(
        ws.warehouse,
        "select count(*) from marts.fct_indicator_observation where value_source = 'computed'",
    )
    stage.detail = {
        "ingest_s": round(ingest_s, 3),
        "ingest_layouts": sorted(COMPUTED_INPUT_LAYOUTS),
        "models_s": round(model_s, 3),
        "models": [uid.split(".")[-1] for uid in nodes],
    }
    return stage


def _sum_end_to_end(result: ScaleResult, names: tuple[str, ...]) -> None:
    ours_s = [result.stages[n] for n in names if n in result.stages]
    floors = [result.floors[n] for n in names if n in result.floors]
    ok = all(s.status == "ok" for s in ours_s) and len(ours_s) == len(names)
    result.add(
        Stage(
            "end_to_end",
            seconds=sum(s.seconds or 0 for s in ours_s),
            peak_mb=max((s.peak_mb or 0 for s in ours_s), default=None),
            status="ok" if ok else "error",
            detail={"sum_of": list(names)},
        )
    )
    result.add_floor(
        Stage(
            "end_to_end",
            seconds=sum(s.seconds or 0 for s in floors),
            peak_mb=max((s.peak_mb or 0 for s in floors), default=None),
            detail={"sum_of": [s.name for s in floors]},
        )
    )


def _finish(sampler: MemorySampler, result: ScaleResult) -> ScaleResult:
    result.peak_mb = round(sampler.peak / MB, 1)
    return result


# --------------------------------------------------------------------------- scales


def run_tiny(out: Path) -> ScaleResult:
    """A tiny generated scale (3 regions × 2 years) for the smoke test: every stage, fast."""
    result = ScaleResult("tiny", params={"generate": TINY.argv()}, out_dir=out)
    with MemorySampler() as sampler:
        root = out / "work" / "tiny"
        ws = create_workspace(root, raw_dir=root / "data" / "landing")
        generate(sampler, result, ws, TINY, root / "data", targets_per_region=True)
        staged(sampler, result, ws, _run_id("tiny", "staged"))
    return _finish(sampler, result)


def run_s(out: Path) -> ScaleResult:
    """S: the shipped sample data; the main job fresh, then again with nothing new."""
    result = ScaleResult("S", params={"raw": "raw/ (shipped sample data)"}, out_dir=out)
    with MemorySampler() as sampler:
        ws = create_workspace(out / "work" / "S")
        shutil.copytree(PROJECT_ROOT / "raw", ws.raw, dirs_exist_ok=True)
        first = _main_job(sampler, result, ws, "main_job_first")
        rerun = _main_job(sampler, result, ws, "main_job_rerun")
        rerun.detail["ingested_files_last_run"] = _last_run_files(ws)
        if first.status == "ok" and rerun.status == "ok" and first.seconds and rerun.seconds:
            result.goal(
                "S_rerun_over_first",
                rerun.seconds / first.seconds,
                1 / 3,
                "×",
                "a rerun with nothing new finishes in under a third of the first run's time",
            )
        # The per-stage breakdown and floors, on a fresh warehouse over the same files.
        ws.reset_warehouse()
        staged(sampler, result, ws, _run_id("S", "staged"))
    return _finish(sampler, result)


def _main_job(sampler: MemorySampler, result: ScaleResult, ws: Workspace, name: str) -> Stage:
    started = time.time()
    with measure(sampler, name) as st:
        result.add(st)
        st.detail = ours.main_job(ws, name)
    st.detail.update(_dbt_work_since(ws, started))
    return st


def _dbt_work_since(ws: Workspace, started: float) -> dict[str, Any]:
    """Aggregate every ``run_results.json`` dbt wrote under the project copy since ``started``."""
    merged: dict[str, Any] = {"dbt_invocations": 0, "dbt_rows_written": 0, "dbt_nodes": {}}
    fallback = ws.dbt_project / "target" / "manifest.json"
    for path in (ws.dbt_project / "target").rglob("run_results.json"):
        if path.stat().st_mtime < started:
            continue
        doc = json.loads(path.read_text())
        summary = ours.summarise_run_results(doc)
        manifest = path.parent / "manifest.json"
        manifest = manifest if manifest.exists() else fallback
        if manifest.exists():
            written = ours.rows_written(ws.warehouse, json.loads(manifest.read_text()), doc)
            merged["dbt_rows_written"] += written.get("rows_written", 0)
            merged.setdefault("incremental_models", written.get("incremental_models"))
        merged["dbt_invocations"] += 1
        merged.setdefault("dbt_elapsed_s", 0.0)
        merged["dbt_elapsed_s"] += summary["dbt_elapsed_s"]
        for kind, statuses in summary["nodes"].items():
            for status, n in statuses.items():
                bucket = merged["dbt_nodes"].setdefault(kind, {})
                bucket[status] = bucket.get(status, 0) + n
    return merged


def _last_run_files(ws: Workspace) -> dict[str, Any]:
    """What ``raw.ingested_files`` recorded for the most recent run (did it ingest anything?)."""
    try:
        with duckdb.connect(str(ws.warehouse), read_only=True) as con:
            rows = con.execute(
                """select status, count(*), coalesce(sum(rows_loaded), 0)
                   from raw.ingested_files
                   where run_id = (select arg_max(run_id, ingested_at) from raw.ingested_files)
                   group by status"""
            ).fetchall()
    except duckdb.Error as exc:
        return {"error": str(exc)[:300]}
    return {status: {"files": n, "rows_loaded": int(r)} for status, n, r in rows}


def run_m(
    out: Path,
    *,
    report_m: bool = True,
    breakdown: bool = True,
    incremental: bool = True,
    spark: bool = True,
) -> list[ScaleResult]:
    """M: ≈2,900 regions × every indicator × 10 years, every target applied to every region.

    The per-stage breakdown (with floors) runs on a fresh warehouse, then the main job runs end
    to end on another fresh warehouse; the incremental scale continues from that warehouse.
    """
    results: list[ScaleResult] = []
    m = ScaleResult("M", params={"generate": M.argv()}, out_dir=out)
    with MemorySampler() as sampler:
        data = out / "data" / M.key()
        ws = create_workspace(out / "work" / "M", raw_dir=data / "landing")
        generate(sampler, m, ws, M, data, targets_per_region=True)
        # a previous run's incremental file must not become part of the full build
        shutil.rmtree(ws.raw / INCREMENTAL_DIR, ignore_errors=True)
        if breakdown:
            staged(sampler, m, ws, _run_id("M", "staged"), spark=spark)
            ws.reset_warehouse()
        job = _main_job(sampler, m, ws, "main_job")
        m.params["assessments"] = ours.scalar(
            ws.warehouse, "select count(*) from marts.fct_target_assessment where is_latest"
        )
        if job.status == "ok":
            m.goal("M_end_to_end_s", job.seconds, 300, "s", "M end to end under 5 minutes")
        gx = m.stages.get("gx_validation")
        if gx and gx.status == "ok":
            m.goal("M_gx_validation_s", gx.seconds, 60, "s", "GX validation under 60 seconds")
        gx_step = (job.detail or {}).get("steps_s", {}).get("gx_target_validation")
        if job.status == "ok" and gx_step is not None:
            m.goal(
                "M_gx_target_step_s",
                gx_step,
                60,
                "s",
                "GX validation of the target assessments (the main job's step) under 60 seconds",
            )
        m.peak_mb = round(sampler.peak / MB, 1)
        if report_m:
            results.append(m)
        if incremental:
            results.append(run_incremental(sampler, ws, job))
    return results


#: landing-zone folder of the incremental scale's new file (removed before every full M run).
INCREMENTAL_DIR = "incremental"


#: The incremental scale's new files, each measured by its own sensor run, in this order:
#: name → (what it is, its writer).
INCREMENTAL_KINDS = ("observation", "register", "count")


def run_incremental(sampler: MemorySampler, ws: Workspace, full: Stage) -> ScaleResult:
    """New files for one region arrive at M: the sensor's run for each, timed; then nothing new.

    For each of an observation file, a death register and a population count file (one region,
    one year later): one tick of the landing-zone sensor, then the run it requests
    (``ingest_new_files``: the new file and everything downstream of raw data), executed
    in-process as the daemon would; its wall time is the time from the sensor's request to
    updated marts, report and published copy. Work done is compared with the full main job
    ``full``: dbt models/seeds executed, rows dbt wrote, wall. Last, the daily schedule's run
    with nothing new (goal: no dbt, GX, report or publish work, < 2 % of the full build).
    """
    inc = ScaleResult(
        "incremental",
        params={"base": "M warehouse after the main job"},
        out_dir=ws.root.parent.parent,
    )
    for kind in INCREMENTAL_KINDS:
        _incremental_file(sampler, ws, full, inc, kind)
    with measure(sampler, "schedule_run_nothing_new") as idle:
        inc.add(idle)
        idle.detail = ours.schedule_run(ws)
    if idle.status == "ok" and full.status == "ok" and full.seconds:
        idle.detail["steps_s"] = ours.latest_run_steps(ws)
        inc.params.setdefault("work", {})["nothing_new"] = idle.detail
        # No run started (the tick skipped): what the daemon pays is the tick's evaluation (its
        # code location is loaded once, not per tick); else the whole process.
        tick = float(idle.detail["schedule_tick_s"])
        spent = tick if idle.detail.get("run") is None else float(idle.seconds or 0)
        idle.detail["nothing_new_s"] = spent
        ratio = spent / full.seconds
        if idle.detail.get("work_steps"):
            ratio = max(ratio, 1.0)  # any dbt/GX/report/publish step run misses the goal
        inc.goal("nothing_new_wall_ratio", ratio, 0.02, "×", "a run with nothing new < 2 % of full")
    inc.peak_mb = round(sampler.peak / MB, 1)
    return inc


def _incremental_file(
    sampler: MemorySampler, ws: Workspace, full: Stage, inc: ScaleResult, kind: str
) -> None:
    """Drop one ``kind`` file for one region, run the sensor's request, add its figures."""
    new_file = write_incremental_file(ws, kind)
    inc.params[f"new_file_{kind}"] = str(new_file.relative_to(ws.raw))
    name = "sensor_run_one_new_file" if kind == "observation" else f"sensor_run_one_{kind}_file"
    started = time.time()
    with measure(sampler, name) as job:
        inc.add(job)
        job.detail = ours.sensor_run(ws, log_name=f"sensor_run_{kind}")
    job.detail.update(_dbt_work_since(ws, started))
    job.detail["ingested_files_last_run"] = _last_run_files(ws)
    job.detail["steps_s"] = ours.latest_run_steps(ws)
    if job.status != "ok" or full.status != "ok":
        return
    full_nodes = _executed(full.detail.get("dbt_nodes", {}))
    inc_nodes = _executed(job.detail.get("dbt_nodes", {}))
    full_rows = full.detail.get("dbt_rows_written") or 0
    inc_rows = job.detail.get("dbt_rows_written") or 0
    ratios: dict[str, float | None] = {
        "wall_ratio": job.seconds / full.seconds if job.seconds and full.seconds else None,
        "dbt_nodes_ratio": inc_nodes / full_nodes if full_nodes else None,
        "dbt_rows_ratio": inc_rows / full_rows if full_rows else None,
    }
    inc.params.setdefault("work", {})[kind] = {
        **ratios,
        "full": {"seconds": full.seconds, "dbt_nodes": full_nodes, "dbt_rows": full_rows},
        "incremental": {"seconds": job.seconds, "dbt_nodes": inc_nodes, "dbt_rows": inc_rows},
    }
    prefix = "incremental" if kind == "observation" else f"incremental_{kind}"
    for key in ("dbt_rows_ratio", "dbt_nodes_ratio", "wall_ratio"):
        ratio = ratios[key]
        if ratio is not None:
            inc.goal(
                f"{prefix}_{key}", ratio, 0.05, "×", f"work for one new {kind} file < 5 % of full"
            )


def _executed(nodes: dict[str, dict[str, int]]) -> int:
    """dbt models and seeds that did work (tests excluded; skipped / no-op not counted)."""
    return sum(
        n
        for kind, statuses in nodes.items()
        if kind in {"model", "seed", "snapshot"}
        for status, n in statuses.items()
        if status in {"success", "error"}
    )


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


def run_l(out: Path, years: int) -> ScaleResult:
    """L: ``years`` × (10M death + 10M birth records) at record level, Parquet, + populations.

    Every computed indicator for every region and year; goals: peak memory < 8 GB and computed
    indicators within 2× the DuckDB floor.
    """
    params = l_params(years)
    result = ScaleResult("L", params={"generate": params.argv(), "years": years}, out_dir=out)
    with MemorySampler(interval=0.1) as sampler:
        data = out / "data" / params.key()
        ws = create_workspace(out / "work" / "L", raw_dir=data / "landing")
        generate(sampler, result, ws, params, data)
        staged(sampler, result, ws, _run_id("L", "staged"))
        warehouse_peak = max(
            (s.peak_mb or 0 for n, s in result.stages.items() if n != "generate"), default=0
        )
        result.goal(
            "L_peak_memory_mb",
            warehouse_peak,
            8192,
            "MB",
            "peak memory of the process tree (ingest → report) under 8 GB",
        )
        ratio = result.ratio("computed_indicators")
        if ratio is not None:
            result.goal(
                "L_computed_over_floor",
                ratio,
                2.0,
                "×",
                "computed indicators within 2× the DuckDB floor",
            )
    return _finish(sampler, result)
