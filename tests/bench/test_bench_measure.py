"""The memory sampler sees child processes; dbt run results are summarised as work done."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench import dbt_work, run_facts
from bench.measure import MB, MemorySampler, measure
from bench.results import ScaleResult, table
from bench.scales_incremental import fixed_costs_note, tick_run_steps


def test_sampler_counts_child_process_memory() -> None:
    with MemorySampler(interval=0.02) as sampler:
        with measure(sampler, "child") as stage:
            base = sampler.sample()
            # A child that holds 300 MB for half a second.
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(0.5)",
                ],
                check=True,
            )
    assert stage.status == "ok"
    assert stage.seconds is not None and stage.seconds >= 0.5
    assert stage.peak_mb is not None and stage.peak_mb * MB >= base + 250 * MB


def test_measure_records_errors_without_raising() -> None:
    with MemorySampler() as sampler:
        with measure(sampler, "boom") as stage:
            time.sleep(0.01)
            raise ValueError("component missing")
    assert stage.status == "error"
    assert "component missing" in stage.detail["error"]
    assert stage.seconds is not None and stage.seconds >= 0.01


def test_run_results_summary_and_computed_chain() -> None:
    results = {
        "elapsed_time": 3.5,
        "results": [
            {
                "unique_id": "model.hp.int_rates",
                "status": "success",
                "execution_time": 1.0,
                "adapter_response": {"rows_affected": 10},
            },
            {
                "unique_id": "model.hp.fct_indicator_observation",
                "status": "success",
                "execution_time": 0.5,
                "adapter_response": {"rows_affected": 30},
            },
            {
                "unique_id": "test.hp.not_null_x",
                "status": "pass",
                "execution_time": 0.2,
                "adapter_response": {},
            },
        ],
    }
    summary = dbt_work.summarise_run_results(results)
    assert summary["nodes"] == {"model": {"success": 2}, "test": {"pass": 1}}
    assert summary["rows_affected"] == 40
    assert summary["execution_s_by_type"] == {"model": 1.5, "test": 0.2}
    manifest = {
        "child_map": {
            "source.hp.raw.count_observations": ["model.hp.stg_counts"],
            "source.hp.raw.observations": ["model.hp.stg_obs"],
            "model.hp.stg_counts": ["model.hp.int_rates"],
            "model.hp.stg_obs": ["model.hp.fct_indicator_observation"],
            "model.hp.int_rates": ["model.hp.fct_indicator_observation", "model.hp.other"],
        },
        "parent_map": {
            "model.hp.fct_indicator_observation": ["model.hp.int_rates", "model.hp.stg_obs"],
            "model.hp.int_rates": ["model.hp.stg_counts"],
            "model.hp.stg_counts": ["source.hp.raw.count_observations"],
            "model.hp.stg_obs": ["source.hp.raw.observations"],
        },
    }
    assert dbt_work.computed_indicator_nodes(manifest) == [
        "model.hp.fct_indicator_observation",
        "model.hp.int_rates",
        "model.hp.stg_counts",
    ]


def test_ratio_and_goal_in_table() -> None:
    from bench.measure import Stage

    result = ScaleResult("x")
    result.add(Stage("ingest", seconds=4.0, rows=100))
    result.add_floor(Stage("ingest", seconds=0.5))
    result.goal("fast", 4.0, 3.0, "s", "under three seconds")
    assert result.ratio("ingest") == 8.0
    doc = result.as_dict()
    assert doc["stages"]["ingest"]["ours"]["rows_per_second"] == 25.0
    assert doc["goals"][0]["met"] is False
    assert "MISSED" in table(result)


def test_step_seconds_from_a_dagster_log() -> None:
    log = "\n".join(
        [
            '… - STEP_SUCCESS - Finished execution of step "raw__landing_files" in 8.85s.',
            '… - STEP_SUCCESS - Finished execution of step "dbt_models" in 1m9s.',
            '… - STEP_SUCCESS - Finished execution of step "report" in 459ms.',
            '… - STEP_START - Started execution of step "dbt_models".',
        ]
    )
    assert run_facts.step_seconds(log) == {
        "raw__landing_files": 8.85,
        "dbt_models": 69.0,
        "report": 0.459,
    }


def test_latest_run_steps_from_the_dagster_instance(tmp_path: Path) -> None:
    import dagster as dg

    from bench.workspace import Workspace

    @dg.op
    def slow() -> int:
        import time

        time.sleep(0.2)
        return 1

    @dg.job
    def one_step() -> None:
        slow()

    ws = Workspace(root=tmp_path, project=tmp_path / "project")
    ws.dagster_home.mkdir(parents=True)
    (ws.dagster_home / "dagster.yaml").write_text("")
    assert run_facts.latest_run_steps(ws) == {}
    with dg.DagsterInstance.from_config(str(ws.dagster_home)) as instance:
        assert one_step.execute_in_process(instance=instance).success
    steps = run_facts.latest_run_steps(ws)
    assert list(steps) == ["slow"] and steps["slow"] >= 0.2


def test_a_tick_that_started_no_run_reports_no_steps() -> None:
    """The nothing-new tick's steps are its own run's, never the previous run's."""
    earlier = {"dbt_models": 26.3, "gx_quality_checks": 10.9}
    assert tick_run_steps({"run": None}, lambda: earlier) == {}
    assert tick_run_steps({"run": "a1b2"}, lambda: earlier) == earlier


def test_the_fixed_costs_note_adds_up_and_names_dagster_dbts_share() -> None:
    fixed = {
        "run_process_imports_s": 10.0,
        "dbt_through_dagster_dbt_s": 8.0,
        "dbt_version_s": 0.5,
        "dbt_start_and_parse_s": 5.0,
        "lower_bound_s": 18.0,
    }
    note = fixed_costs_note(fixed, 300.0)
    assert "18.0 s" in note and "6.0% of the full build" in note
    assert "dagster-dbt's own 2.5 s" in note and "5 % of it is 15.0 s" in note
