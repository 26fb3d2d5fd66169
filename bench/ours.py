"""Run healthplan's own components as the user would, each in its own process.

Each function returns figures for the ``detail`` of a :class:`bench.measure.Stage`; failures raise
:class:`StageFailedError` with the tail of the component's log so the report says what went wrong.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.dbt_path import critical_path
from bench.dbt_work import rows_written, summarise_run_results
from bench.run_facts import ingested_files_summary, latest_run_steps, scalar, step_seconds
from bench.workspace import VENV_BIN, Workspace


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
    log = ws.logs / f"{log_name}.log"
    start = time.perf_counter()
    env = ws.env(with_bench=True)
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


def prepare(ws: Workspace, log_name: str = "prepare") -> dict[str, Any]:
    """``healthplan prepare``: dbt parses the project copy into its manifest, as ``make dev``,
    ``make test`` and the first run of a new or changed project do. A run after it finds the
    manifest parsed from the same inputs and does not parse again."""
    wall, _ = run_logged(ws, log_name, [str(VENV_BIN / "healthplan"), "prepare"])
    return {"process_s": wall}


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
        nodes = json.loads(manifest.read_text()) if manifest.exists() else {}
        if nodes:
            out["dbt_critical_path"] = critical_path(nodes, doc)
        if nodes and not (env or {}).get("HEALTHPLAN_ENGINE", "").startswith("spark"):
            out.update(rows_written(ws.warehouse, nodes, doc))
    return out


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
