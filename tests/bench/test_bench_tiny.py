"""Smoke test of the benchmark harness: the tiny scale through every real component.

Runs ``healthplan generate`` (3 regions × 2 years), ingestion, ``dbt build``, GX validation and
the failure report each in its own process, next to the DuckDB floor, and checks the JSON the
benchmark writes: every stage, numeric figures, the floor ratio, and nothing lost on the way.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench import floor, scales, scales_generate, scales_job, scales_staged
from bench.ingest_goal import ingest_goal_note, measure_ingest_goal
from bench.measure import MemorySampler
from bench.results import STAGES, ScaleResult, table, write_json
from bench.run_fixed_costs import run_fixed_costs
from bench.workspace import Workspace

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("bench")
    result = scales.run_tiny(out)
    print(table(result))
    return json.loads(write_json(result, out).read_text()), out


def test_every_stage_has_figures_and_a_floor_ratio(tiny: tuple[dict, Path]) -> None:
    doc, _ = tiny
    assert list(doc["stages"]) == list(STAGES)
    for name, row in doc["stages"].items():
        ours = row["ours"]
        assert ours["status"] == "ok", (name, ours["detail"])
        assert ours["seconds"] > 0 and ours["peak_mb"] > 0, name
        if name == "generate":
            continue
        assert row["floor"]["status"] == "ok", (name, row["floor"]["detail"])
        assert row["floor"]["seconds"] > 0, name
        assert row["ratio"] == pytest.approx(ours["seconds"] / row["floor"]["seconds"]), name
    assert doc["peak_mb"] >= max(r["ours"]["peak_mb"] for r in doc["stages"].values())


def test_ingest_reads_every_generated_row(tiny: tuple[dict, Path]) -> None:
    doc, out = tiny
    manifest = scales_generate.generator_manifest(out / "work/tiny/data/landing")
    # The manifest also lists the reference files written outside the landing zone.
    generated = sum(n for name, n in manifest["files"].items() if not Path(name).is_absolute())
    ingest = doc["stages"]["ingest"]["ours"]
    assert ingest["rows"] == generated
    assert ingest["detail"]["rows_read"] == (
        ingest["detail"]["rows_loaded"] + ingest["detail"]["rows_quarantined"]
    )


def test_floor_computes_the_same_indicators_as_ours(tiny: tuple[dict, Path]) -> None:
    doc, _ = tiny
    agreement = doc["stages"]["computed_indicators"]["floor"]["detail"]["agreement_with_ours"]
    # Same registers, same definitions (Chiang II life table, 40q30): the same figures.
    for code in (
        "infant_mortality_rate",
        "under5_mortality_rate",
        "premature_ncd_mortality",
        "life_expectancy",
    ):
        assert agreement[code]["pairs"] == 3 * 2, code
        assert agreement[code]["max_abs_diff"] < 1e-6, code
    computed = doc["stages"]["computed_indicators"]["ours"]
    assert computed["rows"] > 0 and computed["detail"]["models"]
    # the models' wall-clock union: more than nothing, at most their summed execution times
    models_s = computed["detail"]["models_s"]
    assert 0 < models_s <= computed["detail"]["models_summed_execution_s"] + 1e-3
    # ingest is timed per file; the computed stage counts only the files the floor reads
    files = doc["stages"]["ingest"]["ours"]["detail"]["files"]
    assert sum(f["rows"] for f in files) == doc["stages"]["ingest"]["ours"]["rows"]
    inputs = [f for f in files if f["layout"] in scales_staged.COMPUTED_INPUT_LAYOUTS]
    assert inputs and len(inputs) < len(files)  # registers + counts, not the observation files
    # and the call's time outside any file (the batch's one checkpoint), charged to them whole
    outside = doc["stages"]["ingest"]["ours"]["detail"]["call_s"] - sum(f["seconds"] for f in files)
    assert outside >= 0
    assert computed["detail"]["ingest_s"] == pytest.approx(
        sum(f["seconds"] for f in inputs) + outside, abs=1e-3
    )
    assert doc["stages"]["gx_validation"]["ours"]["rows"] > 0


def test_a_runs_fixed_costs_are_each_timed_and_summed(tiny: tuple[dict, Path]) -> None:
    _, out = tiny
    root = out / "work" / "tiny"
    ws = Workspace(root=root, project=root / "project", raw_dir=root / "data" / "landing")
    fixed = run_fixed_costs(ws, repeats=1)
    parts = ("run_process_imports_s", "dbt_through_dagster_dbt_s")
    breakdown = ("dbt_version_s", "dbt_start_and_parse_s")
    assert all(fixed[name] > 0 for name in parts + breakdown), fixed
    assert fixed["lower_bound_s"] == pytest.approx(sum(fixed[name] for name in parts), abs=0.01)
    # dbt parse wrote into a temporary target folder, removed afterwards
    assert not list(root.glob("dbt-parse-*"))


def test_the_dbt_build_reports_the_chain_it_waited_on(tiny: tuple[dict, Path]) -> None:
    """A real build's critical path (bench/dbt_path.py) ends at its last node and fits its time."""
    doc, _ = tiny
    detail = doc["stages"]["dbt_build"]["ours"]["detail"]
    path = detail["dbt_critical_path"]
    names = [name for name, _, _ in path["nodes"]]
    assert len(names) >= 3 and len(set(names)) == len(names), names
    # nothing runs on the chain at the same time, so it cannot take longer than the build
    assert 0 < path["path_s"] + path["waited_s"] <= path["elapsed_s"] + 0.5, path
    assert path["elapsed_s"] == pytest.approx(detail["dbt_elapsed_s"], abs=0.01)


def test_prepare_leaves_a_manifest_the_run_does_not_parse_again(tiny: tuple[dict, Path]) -> None:
    """M's main job measures a fresh warehouse, not a fresh project: the ``prepare`` row parses
    the copy, and the run's own preparation then finds the manifest parsed from the same inputs
    (``orchestration.project.prepare_manifest``) and leaves it as it is."""
    _, out = tiny
    root = out / "work" / "tiny"
    ws = Workspace(root=root, project=root / "project", raw_dir=root / "data" / "landing")
    shutil.rmtree(ws.dbt_project / "target")  # as a fresh warehouse leaves it before M's main job
    result = ScaleResult("tiny-prepare", params={}, out_dir=out)
    with MemorySampler() as sampler:
        stage = scales_job.prepare_stage(sampler, result, ws)
    assert stage.status == "ok" and stage.seconds and stage.seconds > 0
    manifest = ws.dbt_project / "target" / "manifest.json"
    parsed_at = manifest.stat().st_mtime_ns
    # the run's preparation, in the workspace's environment and project copy
    probe = "from orchestration.project import prepare_manifest; print(prepare_manifest())"
    subprocess.run([sys.executable, "-c", probe], cwd=ws.project, env=ws.env(), check=True)
    assert manifest.stat().st_mtime_ns == parsed_at


def test_the_ingest_goal_alternates_ours_and_the_floor_on_the_goals_files_alone(
    tiny: tuple[dict, Path],
) -> None:
    _, out = tiny
    root = out / "work/tiny"
    ws = Workspace(root=root, project=root / "project", raw_dir=root / "data" / "landing")
    with duckdb.connect() as con:
        files = floor.classify(con, ws.raw)
    assert files.observations  # the tiny landing zone has files the goal does not name
    measured = measure_ingest_goal(ws, files, repetitions=2)
    wanted = sorted(p.relative_to(ws.raw) for p in [*files.deaths, *files.births, *files.counts])
    landing = root / "ingest_goal" / "landing"
    linked = sorted(p.relative_to(landing) for p in landing.rglob("*") if p.is_file())
    assert linked == wanted and measured["files"] == len(wanted)
    reps = measured["repetitions"]
    assert [r["order"] for r in reps] == [["floor", "ours"], ["ours", "floor"]]
    for rep in reps:  # every file of the subset ingested, in a fresh warehouse each time
        assert rep["files"] == rep["loaded"] == len(wanted)
        assert rep["ours_s"] > 0 and rep["floor_s"] > 0
        assert rep["ratio"] == pytest.approx(rep["ours_s"] / rep["floor_s"])
    assert measured["ratio"] == pytest.approx(statistics.median(r["ratio"] for r in reps))
    note = ingest_goal_note(measured)
    assert f"median {measured['ratio']:.2f}×" in note and note.count(" s = ") == 2
