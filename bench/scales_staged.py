"""The per-stage breakdown: ingest → dbt build → GX validation → report, each next to its floor.

Each of our stages runs in its own process (:mod:`bench.ours`), each floor on one DuckDB
connection (:mod:`bench.floor`), under the scale's memory sampler.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from bench import floor, ours
from bench.dbt_path import wall_seconds
from bench.dbt_work import computed_indicator_nodes
from bench.measure import MemorySampler, Stage, measure
from bench.results import ScaleResult
from bench.run_facts import scalar
from bench.workspace import Workspace
from pipelines.db import connect_warehouse


def _floor_con(ws: Workspace) -> duckdb.DuckDBPyConnection:
    ws.floor_db.unlink(missing_ok=True)
    return connect_warehouse(ws.floor_db)


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
        by_layout: dict[str, float] = {}
        with measure(sampler, "ingest") as st:
            st.rows = floor.ingest(con, files, by_layout)
        st.detail["seconds_by_layout"] = {k: round(v, 3) for k, v in by_layout.items()}
        st.detail["contract_seconds_by_layout"] = _contract_floor(ws, files)
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


def _contract_floor(ws: Workspace, files: floor.RawFiles) -> dict[str, float]:
    """Seconds per layout (and of the checkpoint) of :func:`bench.floor.ingest_contract` over
    the computed indicators' input files, in a fresh database file beside the floor's."""
    path = ws.root / "floor_contract.duckdb"
    path.unlink(missing_ok=True)
    seconds: dict[str, float] = {}
    con = connect_warehouse(path)
    try:
        floor.ingest_contract(con, files, COMPUTED_INPUT_LAYOUTS, seconds)
    finally:
        con.close()
        path.unlink(missing_ok=True)
    return {k: round(v, 3) for k, v in seconds.items()}


def staged(
    sampler: MemorySampler, result: ScaleResult, ws: Workspace, run_id: str, spark: bool = False
) -> floor.RawFiles:
    """Ingest → dbt build → GX validation → report, one process each, each next to its floor;
    returns the landing zone's files as the floor classified them.

    With ``spark``, the same dbt build (models, no tests) also runs on local Spark over the
    Parquet lake of the same raw tables (row ``dbt_build_spark``; docs/scale-out.md)."""
    files = floors_before_build(sampler, result, ws)
    with measure(sampler, "ingest") as st:
        result.add(st)
        st.detail = ours.ingest(ws, run_id)
        st.rows = st.detail.get("rows_read")
    spans: dict[str, tuple[float, float]] = {}
    with measure(sampler, "dbt_build") as st:
        result.add(st)
        st.detail = ours.dbt(ws, "build", "dbt_build")
        st.rows = st.detail.get("rows_written")
        spans = st.detail.pop("node_spans", {})
    if st.detail.get("exit_code"):
        st.status = "error"
        st.detail["error"] = f"dbt build exit 1: failed {st.detail.get('failed_nodes')}"
    result.add(computed_stage(ws, result.stages["ingest"], spans))
    if spark:
        spark_build(sampler, result, ws)
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
    return files


def spark_build(sampler: MemorySampler, result: ScaleResult, ws: Workspace) -> Stage:
    """The ``dbt_build_spark`` row: the same dbt build (models and seeds) on local Spark over the
    Parquet lake of the workspace's raw tables, measured and added to ``result``."""
    with measure(sampler, "dbt_build_spark") as st:
        result.add(st)
        st.detail = ours.spark_dbt_build(ws)
        st.detail.pop("node_spans", None)
    if st.detail.get("exit_code"):
        st.status = "error"
        st.detail["error"] = f"dbt build on Spark failed: {st.detail.get('failed_nodes')}"
    return st


#: layouts of the files the computed indicators are made from (registers and count tables).
COMPUTED_INPUT_LAYOUTS = frozenset({"death_register", "birth_register", "counts"})


def ingest_seconds(detail: dict[str, Any], layouts: frozenset[str]) -> float:
    """Our ingestion seconds of the files of ``layouts``, and all of the call's time outside any
    file: the batch's one checkpoint (``pipelines.ingest.one_checkpoint``) folds every file's
    log into the database at the end, so no file's own seconds hold it. It is charged whole to
    these layouts: it also holds the observation files' share, which is small (at L, 3.4 s with
    them and without them: docs/benchmark.md). Without per-file timings, the whole call."""
    files = detail.get("files")
    call_s = float(detail.get("call_s") or 0.0)
    if not files:
        return call_s
    outside = max(call_s - sum(f["seconds"] for f in files), 0.0)
    return sum(f["seconds"] for f in files if f.get("layout") in layouts) + outside


def ingest_ratio_of(result: ScaleResult, layouts: frozenset[str]) -> float | None:
    """Our ingestion seconds ÷ the floor's read of the same files, for the files of ``layouts``.

    Ours: :func:`ingest_seconds`; the floor: its per-layout timings
    (``detail.seconds_by_layout``). ``None`` when either is missing."""
    ours, base = result.stages.get("ingest"), result.floors.get("ingest")
    if not ours or not base or ours.status != "ok" or base.status != "ok":
        return None
    ours_s = ingest_seconds(ours.detail or {}, layouts)
    floor_s = sum(v for k, v in base.detail.get("seconds_by_layout", {}).items() if k in layouts)
    return ours_s / floor_s if ours_s and floor_s else None


def ingest_contract_note(result: ScaleResult) -> str | None:
    """How close ingestion of the computed indicators' inputs can come to the floor's read while
    keeping the ingestion contract (:func:`bench.floor.ingest_contract`: each file hashed and
    loaded in its own transaction with its lineage, one checkpoint)."""
    base = result.floors.get("ingest")
    if not base or base.status != "ok":
        return None
    detail = base.detail or {}
    read = sum(
        v for k, v in detail.get("seconds_by_layout", {}).items() if k in COMPUTED_INPUT_LAYOUTS
    )
    contract = sum(detail.get("contract_seconds_by_layout", {}).values())
    if not read or not contract:
        return None
    return (
        f"registers and count tables under the ingestion contract at best (each file hashed and "
        f"loaded in its own transaction with its lineage, one checkpoint, no validation): "
        f"{contract:.1f} s = {contract / read:.2f}× the floor's read ({read:.1f} s)"
    )


def computed_bound_note(result: ScaleResult) -> str | None:
    """What the computed-indicator ratio can reach at best: our path persists its inputs (each
    file ingested, with lineage, in its own transaction) before any model runs, so it cannot beat
    the floor's own persisting read of the same files (``ingest`` floor, per layout) divided by
    the one-statement computed floor, even with every model free."""
    ingest, computed = result.floors.get("ingest"), result.floors.get("computed_indicators")
    if not ingest or not computed or {ingest.status, computed.status} != {"ok"}:
        return None  # a floor that failed bounds nothing
    if not computed.seconds:
        return None
    by_layout = (ingest.detail or {}).get("seconds_by_layout", {})
    read = sum(v for k, v in by_layout.items() if k in COMPUTED_INPUT_LAYOUTS)
    return (
        f"computed indicators at best: the floor's persisting read of the same files "
        f"({read:.1f} s) is already {read / computed.seconds:.2f}× the one-statement floor "
        f"({computed.seconds:.1f} s), before any model runs"
    )


def computed_stage(ws: Workspace, ingest: Stage, spans: dict[str, tuple[float, float]]) -> Stage:
    """Computed indicators = ingest (registers → counts) + the dbt models computing indicators.

    The models are those on a path from ``raw.count_observations`` to
    ``fct_indicator_observation`` in the manifest; their figure is the wall-clock time during
    which at least one of them ran (``run_results.json``'s timings), not their summed execution
    times, which count a core twice when two nodes share it (docs/benchmark.md, 13:00–15:00).
    """
    stage = Stage("computed_indicators")
    manifest_path = ws.dbt_project / "target" / "manifest.json"
    if ingest.status != "ok" or not spans or not manifest_path.exists():
        stage.status = "skipped"
        stage.detail["why"] = "needs a successful ingest and dbt build"
        return stage
    nodes = computed_indicator_nodes(json.loads(manifest_path.read_text()))
    ran = [spans[uid] for uid in nodes if uid in spans]
    model_s = wall_seconds(ran)
    # the floor reads the registers and the count files: so does this figure (observation
    # files feed no computed indicator)
    ingest_s = ingest_seconds(ingest.detail, COMPUTED_INPUT_LAYOUTS)
    stage.seconds = ingest_s + model_s
    stage.peak_mb = ingest.peak_mb
    stage.rows = scalar(
        ws.warehouse,
        "select count(*) from marts.fct_indicator_observation where value_source = 'computed'",
    )
    stage.detail = {
        "ingest_s": round(ingest_s, 3),
        "ingest_layouts": sorted(COMPUTED_INPUT_LAYOUTS),
        "models_s": round(model_s, 3),
        "models_summed_execution_s": round(sum(end - start for start, end in ran), 3),
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
