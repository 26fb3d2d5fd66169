"""The incremental scale: new files for one region arrive at M; then a run with nothing new."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench import ours
from bench.dbt_work import sql_share_note
from bench.incremental_files import write_incremental_file
from bench.measure import MB, MemorySampler, Stage, measure
from bench.results import ScaleResult
from bench.run_facts import latest_run_steps, scalar
from bench.run_fixed_costs import run_fixed_costs
from bench.scales_job import dbt_work_since, last_run_files
from bench.workspace import Workspace

#: The incremental scale's new files (kinds of :func:`write_incremental_file`), each measured by
#: its own sensor run, in this order.
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
        idle.detail["steps_s"] = tick_run_steps(idle.detail, lambda: latest_run_steps(ws))
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
    _fixed_costs(ws, full, inc)
    inc.peak_mb = round(sampler.peak / MB, 1)
    return inc


def tick_run_steps(
    tick: dict[str, Any], latest_steps: Callable[[], dict[str, float]]
) -> dict[str, float]:
    """The step seconds of the run a tick started (``tick["run"]``), none when it started none:
    the latest run in the instance is then an earlier one, whose steps are not the tick's."""
    return latest_steps() if tick.get("run") else {}


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
    job.detail.update(dbt_work_since(ws, started))
    if share := job.detail.get("dbt_sql_share"):
        inc.notes.append(sql_share_note(name, share))
    job.detail["ingested_files_last_run"] = last_run_files(ws)
    job.detail["steps_s"] = latest_run_steps(ws)
    # What the run's GX steps validated: the regions re-validated (the others' earlier results
    # were carried forward; null: every row), as its dbt build recorded it.
    job.detail["gx_regions_validated"] = scalar(
        ws.warehouse,
        "select validation_regions from monitoring.dbt_build_state "
        "order by started_at desc limit 1",
    )
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


def _fixed_costs(ws: Workspace, full: Stage, inc: ScaleResult) -> None:
    """What any run that builds and validates pays before its data work
    (:mod:`bench.run_fixed_costs`), against the 5 % a new file's run may take."""
    fixed = run_fixed_costs(ws)
    inc.params["run_fixed_costs"] = fixed
    if full.status != "ok" or not full.seconds:
        return
    inc.notes.append(fixed_costs_note(fixed, float(full.seconds)))


def fixed_costs_note(fixed: dict[str, float], full_seconds: float) -> str:
    """The fixed costs (:func:`bench.run_fixed_costs.run_fixed_costs`) against the full build."""
    lower = fixed["lower_bound_s"]
    imports, dbt = fixed["run_process_imports_s"], fixed["dbt_through_dagster_dbt_s"]
    inside = fixed["dbt_version_s"] + fixed["dbt_start_and_parse_s"]
    return (
        f"fixed costs of any run that builds and validates: {lower:.1f} s (the run process's "
        f"imports {imports:.1f} s; dbt started through dagster-dbt {dbt:.1f} s, of which dbt "
        f"--version {fixed['dbt_version_s']:.1f} s, dbt's start and partial parse "
        f"{fixed['dbt_start_and_parse_s']:.1f} s, dagster-dbt's own {max(dbt - inside, 0):.1f} s) "
        f"= {lower / full_seconds:.1%} of the full build; 5 % of it is {0.05 * full_seconds:.1f} s"
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
