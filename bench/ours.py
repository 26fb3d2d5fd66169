"""Run healthplan's own components as the user would, each in its own process.

Each function returns figures for the ``detail`` of a :class:`bench.measure.Stage`; failures raise
:class:`StageFailedError` with the tail of the component's log so the report says what went wrong.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from bench.workspace import VENV_BIN, Workspace
from pipelines.db import scalar as query_value


class StageFailedError(RuntimeError):
    """A component exited non-zero; the message carries the tail of its output."""


def run_logged(
    ws: Workspace,
    name: str,
    argv: list[str],
    ok_codes: tuple[int, ...] = (0,),
    env: dict[str, str] | None = None,
) -> tuple[float, int]:
    """Run ``argv`` in the workspace environment, logging to ``logs/<name>.log``.

    Returns wall seconds and the exit code; raises :class:`StageFailedError` unless the exit
    code is one of ``ok_codes``.
    """
    log = ws.logs / f"{name}.log"
    start = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.run(
            argv,
            cwd=ws.project,
            env={**ws.env(), **(env or {})},
            stdout=fh,
            stderr=subprocess.STDOUT,
            check=False,
        )
    wall = time.perf_counter() - start
    if proc.returncode not in ok_codes:
        tail = log.read_text(errors="replace")[-3000:]
        raise StageFailedError(
            f"{' '.join(argv[:3])} … exited {proc.returncode}; log {log}:\n{tail}"
        )
    return wall, proc.returncode


def python_stage(ws: Workspace, stage: str, log_name: str, **kwargs: Any) -> dict[str, Any]:
    """Run :mod:`bench._stage` for ``stage``; returns its JSON plus the process wall time."""
    argv = [sys.executable, "-m", "bench._stage", stage, json.dumps(kwargs, default=str)]
    # bench itself must be importable from the child: add the repo root after the project copy.
    env_root = Path(__file__).resolve().parent.parent
    log = ws.logs / f"{log_name}.log"
    start = time.perf_counter()
    env = ws.env()
    env["PYTHONPATH"] = env["PYTHONPATH"] + ":" + str(env_root)
    with log.open("w") as fh:
        proc = subprocess.run(
            argv, cwd=ws.project, env=env, stdout=subprocess.PIPE, stderr=fh, text=True
        )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise StageFailedError(f"{stage} exited {proc.returncode}; log {log}:\n{tail}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    out = json.loads(lines[-1]) if lines else {}
    out["process_s"] = wall
    return out


def ingest(ws: Workspace, run_id: str, log_name: str = "ingest") -> dict[str, Any]:
    """``pipelines.ingest.ingest_all`` over the workspace landing zone."""
    out = python_stage(ws, "ingest", log_name, db_path=ws.warehouse, raw_dir=ws.raw, run_id=run_id)
    out.update(ingested_files_summary(ws.warehouse, run_id))
    return out


def validate(ws: Workspace, run_id: str, log_name: str = "validate") -> dict[str, Any]:
    """``expectations.runner.run_target_validation`` on the workspace warehouse."""
    out = python_stage(
        ws,
        "validate",
        log_name,
        db_path=ws.warehouse,
        run_id=run_id,
        data_docs_dir=ws.reports / "data_docs",
    )
    out["validation_rows"] = scalar(
        ws.warehouse,
        "select count(*) from monitoring.validation_results where run_id = ?",
        [run_id],
    )
    return out


def report(ws: Workspace, run_id: str, log_name: str = "report") -> dict[str, Any]:
    """``pipelines.report.build_failure_report`` for ``run_id``."""
    return python_stage(
        ws, "report", log_name, db_path=ws.warehouse, run_id=run_id, out_dir=ws.reports
    )


def sensor_run(ws: Workspace, log_name: str = "sensor_run") -> dict[str, Any]:
    """One landing-zone sensor tick and the run it requests (see :func:`bench._stage.sensor_run`)."""
    return python_stage(ws, "sensor", log_name)


def schedule_run(ws: Workspace, log_name: str = "schedule_run") -> dict[str, Any]:
    """The daily schedule's request and its run (see :func:`bench._stage.schedule_run`)."""
    return python_stage(ws, "schedule", log_name)


def main_job(ws: Workspace, log_name: str = "main_job") -> dict[str, Any]:
    """The main job exactly as ``make run`` runs it: ``healthplan run``.

    Returns the process wall time and the Dagster step durations read from its log.
    """
    wall, _ = run_logged(ws, log_name, [str(VENV_BIN / "healthplan"), "run"])
    # the terminal log shows INFO and up only; the Dagster instance has every step's times
    steps = latest_run_steps(ws) or step_seconds(
        (ws.logs / f"{log_name}.log").read_text(errors="replace")
    )
    return {
        "process_s": wall,
        "steps_s": steps,
        "outside_steps_s": round(wall - sum(steps.values()), 2),
    }


def latest_run_steps(ws: Workspace) -> dict[str, float]:
    """Step durations of the newest run in the workspace's Dagster instance (``{}`` if none)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(ws.dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        return {
            s.step_key: round(s.end_time - s.start_time, 3)
            for s in instance.get_run_step_stats(runs[0].run_id)
            if s.start_time is not None and s.end_time is not None
        }


_STEP = re.compile(r'Finished execution of step "([^"]+)" in ([0-9hms.]+)')
_PART = re.compile(r"([0-9.]+)(ms|h|m|s)")


def step_seconds(log: str) -> dict[str, float]:
    """Dagster step durations from a run's log (``… step "x" in 1m9s`` → ``{"x": 69.0}``)."""
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    out: dict[str, float] = {}
    for step, text in _STEP.findall(log):
        seconds = sum(float(n) * scale[u] for n, u in _PART.findall(text))
        out[step] = round(out.get(step, 0.0) + seconds, 3)
    return out


def generate(
    ws: Workspace, args: list[str], out_dir: Path, reference_out: Path, log_name: str
) -> dict[str, Any]:
    """``healthplan generate <args> --out <out_dir> --reference-out <reference_out>``.

    Returns the process wall time and the files and bytes written to the landing zone.
    """
    argv = [str(VENV_BIN / "healthplan"), "generate", *args]
    argv += ["--out", str(out_dir), "--reference-out", str(reference_out)]
    wall, _ = run_logged(ws, log_name, argv)
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    return {
        "process_s": wall,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
    }


def dbt(
    ws: Workspace, command: str, log_name: str, *extra: str, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """``dbt <command>`` on the workspace's project copy; figures from ``run_results.json``.

    ``env`` adds variables (``HEALTHPLAN_ENGINE=spark`` … for the Spark row)."""
    target = ws.dbt_project / "target"
    argv = [
        str(VENV_BIN / "dbt"),
        command,
        "--project-dir",
        str(ws.dbt_project),
        "--profiles-dir",
        str(ws.dbt_project),
        "--target-path",
        str(target),
        *extra,
    ]
    (target / "run_results.json").unlink(missing_ok=True)
    # Exit code 1 = some node failed (e.g. a data test): the figures still count, and the
    # failing nodes are reported; 2 = dbt could not run at all.
    wall, code = run_logged(ws, log_name, argv, ok_codes=(0, 1), env=env)
    out: dict[str, Any] = {"process_s": wall, "exit_code": code}
    results = target / "run_results.json"
    if command in {"build", "run", "seed", "test"} and results.exists():
        doc = json.loads(results.read_text())
        out.update(summarise_run_results(doc))
        out["startup_and_parse_s"] = round(wall - out.get("dbt_elapsed_s", 0.0), 2)
        out["failed_nodes"] = [
            r["unique_id"] for r in doc.get("results", []) if r.get("status") in {"error", "fail"}
        ]
        manifest = target / "manifest.json"
        if manifest.exists() and not (env or {}).get("HEALTHPLAN_ENGINE", "").startswith("spark"):
            out.update(rows_written(ws.warehouse, json.loads(manifest.read_text()), doc))
    return out


def summarise_run_results(results: dict[str, Any]) -> dict[str, Any]:
    """Work done by a dbt invocation: nodes by type and status, execution seconds, rows."""
    by_type: dict[str, dict[str, int]] = {}
    exec_s: dict[str, float] = {}
    rows = 0
    timings: dict[str, float] = {}
    for node in results.get("results", []):
        kind = node["unique_id"].split(".")[0]
        status = str(node.get("status"))
        by_type.setdefault(kind, {}).setdefault(status, 0)
        by_type[kind][status] += 1
        exec_s[kind] = exec_s.get(kind, 0.0) + float(node.get("execution_time") or 0.0)
        timings[node["unique_id"]] = float(node.get("execution_time") or 0.0)
        affected = (node.get("adapter_response") or {}).get("rows_affected")
        if isinstance(affected, int) and affected > 0:
            rows += affected
    return {
        "dbt_elapsed_s": float(results.get("elapsed_time") or 0.0),
        "nodes": by_type,
        "execution_s_by_type": {k: round(v, 2) for k, v in exec_s.items()},
        "rows_affected": rows,
        "node_seconds": timings,
    }


def rows_written(db: Path, manifest: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Rows a dbt invocation wrote: seeds' inserted rows + the size of every table it rebuilt.

    dbt-duckdb reports ``rows_affected`` for seeds only; a model materialised as a table is
    rewritten whole, so its row count is what the run wrote. Views write nothing. An incremental
    model with a ``built_through_ingested_at`` column counts the rows carrying the build's
    watermark, the newest raw ``ingested_at`` (those the build wrote); other incremental models are counted whole (an upper
    bound) and listed in ``incremental_counted_whole``.
    """
    nodes = manifest.get("nodes", {})
    seeds = 0
    tables: dict[str, int] = {}
    incremental: list[str] = []
    counted_whole: list[str] = []
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return {}
    with con:
        for r in results.get("results", []):
            uid = r["unique_id"]
            if r.get("status") != "success":
                continue
            affected = (r.get("adapter_response") or {}).get("rows_affected")
            if uid.startswith("seed.") and isinstance(affected, int):
                seeds += affected
                continue
            node = nodes.get(uid, {})
            materialized = node.get("config", {}).get("materialized")
            if not uid.startswith("model.") or materialized not in {"table", "incremental"}:
                continue
            name = f"{node.get('schema')}.{node.get('alias') or node.get('name')}"
            sql = f"select count(*) from {name}"
            if materialized == "incremental":
                incremental.append(uid.split(".")[-1])
                if WATERMARK_COLUMN in _columns(con, name):
                    # the rows this build wrote carry its watermark (the newest raw ingestion);
                    # rows kept from earlier builds carry older ones
                    sql += f" where {WATERMARK_COLUMN} = ({RAW_WATERMARK_SQL})"
                elif name in WATERMARK_PROXY:
                    # same regions as the model it is built from (its watermark is in a table)
                    proxy = WATERMARK_PROXY[name]
                    sql += (
                        f" where region_id in (select region_id from {proxy} "
                        f"where {WATERMARK_COLUMN} = ({RAW_WATERMARK_SQL}))"
                    )
                else:
                    counted_whole.append(uid.split(".")[-1])  # an upper bound
            try:
                tables[name] = query_value(con, sql)
            except duckdb.Error:
                continue
    return {
        "seed_rows": seeds,
        "table_rows": sum(tables.values()),
        "rows_written": seeds + sum(tables.values()),
        "tables_rebuilt": len(tables),
        "incremental_models": incremental,
        "incremental_counted_whole": counted_whole,
    }


#: Column of the region-incremental models: the newest raw ingestion their build had seen.
WATERMARK_COLUMN = "built_through_ingested_at"
#: A build's watermark: the newest raw ingestion when it ran (raw does not change during dbt).
RAW_WATERMARK_SQL = (
    "select greatest((select max(ingested_at) from raw.observations), "
    "(select max(ingested_at) from raw.count_observations))"
)
#: Incremental models whose watermark lives in a table: the model whose rebuilt regions they share.
WATERMARK_PROXY = {"marts.fct_target_assessment": "intermediate.int_assessment_verdict"}


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    try:
        return {c.lower() for c in con.sql(f"select * from {name} limit 0").columns}
    except duckdb.Error:
        return set()


def computed_indicator_nodes(manifest: dict[str, Any]) -> list[str]:
    """Models on a path from the count/register raw sources to ``fct_indicator_observation``.

    These are the models that compute indicators (rates, SDG 3.4.1, life tables) from counts;
    their summed execution time is the "computed indicators" stage.
    """
    child_map: dict[str, list[str]] = manifest.get("child_map", {})
    parent_map: dict[str, list[str]] = manifest.get("parent_map", {})
    sources = [
        uid
        for uid in child_map
        if uid.startswith("source.") and uid.endswith(".count_observations")
    ]
    fct = [uid for uid in parent_map if uid.endswith(".fct_indicator_observation")]
    down = _closure(sources, child_map)
    up = _closure(fct, parent_map)
    return sorted(uid for uid in down & up if uid.startswith("model."))


def _closure(start: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        uid = todo.pop()
        if uid in seen:
            continue
        seen.add(uid)
        todo.extend(edges.get(uid, []))
    return seen


def scalar(db: Path, sql: str, params: list[Any] | None = None) -> Any:
    """One value from the warehouse over a read-only connection (``None`` if it fails)."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute(sql, params or []).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def ingested_files_summary(db: Path, run_id: str) -> dict[str, Any]:
    """Files and rows ``raw.ingested_files`` recorded for ``run_id``."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(
                "select status, count(*), coalesce(sum(rows_read), 0),"
                " coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)"
                " from raw.ingested_files where run_id = ? group by status",
                [run_id],
            ).fetchall()
    except duckdb.Error as exc:
        return {"ingested_files_error": str(exc)[:300]}
    files = {status: n for status, n, *_ in rows}
    return {
        "files_by_status": files,
        "rows_read": int(sum(r[2] for r in rows)),
        "rows_loaded": int(sum(r[3] for r in rows)),
        "rows_quarantined": int(sum(r[4] for r in rows)),
    }


def spark_dbt_build(ws: Workspace, log_name: str = "dbt_build_spark") -> dict[str, Any]:
    """The same ``dbt build`` on local Spark (``local[2]``) over the Parquet lake of the
    workspace's raw tables (docs/scale-out.md): lake export, then dbt in its own JVM."""
    from pipelines.lake import sync_lake

    lake, spark_dir = ws.root / "lake", ws.root / "spark"
    shutil.rmtree(spark_dir, ignore_errors=True)  # a fresh Spark warehouse: a full build
    start = time.perf_counter()
    sync_lake(ws.warehouse, lake)
    lake_s = round(time.perf_counter() - start, 2)
    env = {
        "HEALTHPLAN_ENGINE": "spark",
        "HEALTHPLAN_LAKE": str(lake),
        "HEALTHPLAN_SPARK_DIR": str(spark_dir),
        # local[2] runs every task in the driver JVM: give it what an M build needs
        "HEALTHPLAN_SPARK_DRIVER_MEMORY": os.environ.get("HEALTHPLAN_SPARK_DRIVER_MEMORY", "6g"),
    }
    exclude = ("--exclude", "resource_type:test", "resource_type:unit_test")
    out = dbt(ws, "build", log_name, *exclude, env=env)
    out["lake_export_s"] = lake_s
    return out
