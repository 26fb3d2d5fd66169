"""The main job as a measured stage, with the dbt work and ingestion it did (scales S, M and the
incremental runs)."""

from __future__ import annotations

import json
import time
from typing import Any

import duckdb

from bench import ours
from bench.dbt_path import critical_path, describe
from bench.dbt_work import rows_written, sql_share, sql_share_note, summarise_run_results
from bench.measure import MemorySampler, Stage, measure
from bench.results import ScaleResult
from bench.workspace import Workspace


def main_job_stage(sampler: MemorySampler, result: ScaleResult, ws: Workspace, name: str) -> Stage:
    started = time.time()
    with measure(sampler, name) as st:
        result.add(st)
        st.detail = ours.main_job(ws, name)
    st.detail.update(dbt_work_since(ws, started))
    if path := st.detail.get("dbt_critical_path"):
        result.notes.append(f"{name}: {describe(path)}")
    if share := st.detail.get("dbt_sql_share"):
        result.notes.append(sql_share_note(name, share))
    return st


def prepare_stage(sampler: MemorySampler, result: ScaleResult, ws: Workspace) -> Stage:
    """The project's dbt parse (``healthplan prepare``) as its own row, before a main job that
    measures a fresh warehouse rather than a fresh project: a scheduled run, like any run after
    the first on an unchanged project, does not parse (``orchestration.project.prepare_manifest``)."""
    with measure(sampler, "prepare") as st:
        result.add(st)
        st.detail = ours.prepare(ws)
    return st


def dbt_work_since(ws: Workspace, started: float) -> dict[str, Any]:
    """Aggregate every ``run_results.json`` dbt wrote under the project copy since ``started``."""
    merged: dict[str, Any] = {"dbt_invocations": 0, "dbt_rows_written": 0, "dbt_nodes": {}}
    fallback = ws.dbt_project / "target" / "manifest.json"
    for path in (ws.dbt_project / "target").rglob("run_results.json"):
        if path.stat().st_mtime < started:
            continue
        doc = json.loads(path.read_text())
        summary = summarise_run_results(doc)
        manifest = path.parent / "manifest.json"
        manifest = manifest if manifest.exists() else fallback
        if manifest.exists():
            nodes = json.loads(manifest.read_text())
            written = rows_written(ws.warehouse, nodes, doc)
            merged["dbt_rows_written"] += written.get("rows_written", 0)
            merged.setdefault("incremental_models", written.get("incremental_models"))
            # the longest invocation's (a main job runs one build)
            chain = critical_path(nodes, doc)
            if chain["elapsed_s"] > merged.get("dbt_critical_path", {}).get("elapsed_s", -1.0):
                merged["dbt_critical_path"] = chain
        merged["dbt_invocations"] += 1
        for key, value in sql_share(path.parent / "dbt.log", summary).items():
            share = merged.setdefault("dbt_sql_share", {})
            share[key] = round(share.get(key, 0) + value, 2)
        merged.setdefault("dbt_elapsed_s", 0.0)
        merged["dbt_elapsed_s"] += summary["dbt_elapsed_s"]
        for kind, statuses in summary["nodes"].items():
            for status, n in statuses.items():
                bucket = merged["dbt_nodes"].setdefault(kind, {})
                bucket[status] = bucket.get(status, 0) + n
    return merged


def last_run_files(ws: Workspace) -> dict[str, Any]:
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
