# size: one module because its scenarios share one session-scoped warehouse and build on each
# other's state; split across files, `--dist loadfile` would build it once per xdist worker.
"""Real Dagster materialisations on a temporary warehouse and landing zone.

One session-scoped build (full refresh through the real dbt project and GX suites) is shared;
each test then drives a further run from it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from orch_helpers import ask, start_reader

from orchestration.keys import RAW_FILES
from pipelines.config import PROJECT_ROOT, Settings, load_settings
from pipelines.db import STORAGE_VERSION, storage_version
from pipelines.locking import is_locked

pytestmark = pytest.mark.integration

BASE_CSV = (
    "region,indicator,period,value,unit,source,data_nature\n"
    "江阴市,life_expectancy,2020,82.4,岁,plan baseline,official\n"
    "江阴市,infant_mortality_rate,2020,2.1,‰,plan baseline,official\n"
    "江阴市,life_expectancy,2022,82.9,岁,sample data,illustrative\n"
    # a second region, whose missed target an incremental run for jiangyin carries forward
    "南通市,life_expectancy,2020,81.0,岁,plan baseline,official\n"
)
NEW_CSV = (
    "region,indicator,period,value,unit,source,data_nature\n"
    "江阴市,life_expectancy,2023,83.1,岁,sample data,illustrative\n"
)
KILLED_PROBE_CSV = (
    "region,indicator,period,value,unit,source,data_nature\n"
    "江阴市,health_literacy_rate,2024,41.5,%,sample data,illustrative\n"
)
ENV_KEYS = (
    "HEALTHPLAN_WAREHOUSE",
    "HEALTHPLAN_RAW",
    "HEALTHPLAN_PUBLISHED",
    "HEALTHPLAN_REPORTS",
    "DAGSTER_HOME",
    "HEALTHPLAN_LOCK_TIMEOUT",
    "HEALTHPLAN_SENSOR_SETTLE_SECONDS",
)


@dataclass
class Built:
    settings: Settings
    instance: dg.DagsterInstance
    defs: dg.Definitions
    env: dict[str, str]
    first: dg.ExecuteInProcessResult


def _aged(path: Path, text: str, age: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))


def _run(built: Built, job: str, **kwargs: Any) -> dg.ExecuteInProcessResult:
    return built.defs.resolve_job_def(job).execute_in_process(
        instance=built.instance, raise_on_error=False, **kwargs
    )


def _all_range(instance: dg.DagsterInstance) -> dict[str, str]:
    from orchestration.landing import LANDING_FILES, RANGE_END_TAG, RANGE_START_TAG

    keys = instance.get_dynamic_partitions(LANDING_FILES.name)
    return {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}


def _query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("orchestration")
    env = {
        "HEALTHPLAN_WAREHOUSE": str(root / "wh" / "healthplan.duckdb"),
        "HEALTHPLAN_RAW": str(root / "raw"),
        "HEALTHPLAN_PUBLISHED": str(root / "published" / "healthplan.duckdb"),
        "HEALTHPLAN_REPORTS": str(root / "reports"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "HEALTHPLAN_LOCK_TIMEOUT": "120",
        "HEALTHPLAN_SENSOR_SETTLE_SECONDS": "0",
    }
    saved = {k: os.environ.get(k) for k in ENV_KEYS}
    os.environ.update(env)
    Path(env["DAGSTER_HOME"]).mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", env["DAGSTER_HOME"])
    _aged(root / "raw" / "jiangyin" / "base.csv", BASE_CSV, age=600)
    try:
        from orchestration.landing import LANDING_FILES
        from orchestration.project import prepare_manifest

        prepare_manifest()
        from orchestration.definitions import defs

        instance = dg.DagsterInstance.get()
        instance.add_dynamic_partitions(LANDING_FILES.name, ["jiangyin/base.csv"])
        built = Built(load_settings(), instance, defs, env, None)  # type: ignore[arg-type]
        built.first = _run(built, "full_refresh", tags=_all_range(instance))
        yield built
        instance.dispose()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _failures(result: dg.ExecuteInProcessResult) -> list[str]:
    return [
        f"{e.step_key}: {e.step_failure_data.error.message[:2000] if e.step_failure_data.error else ''}"
        for e in result.all_events
        if e.is_step_failure
    ]


def test_full_refresh_builds_validates_reports_and_publishes(built: Built) -> None:
    assert built.first.success, _failures(built.first)
    s = built.settings
    assert s.published.exists()
    rows = _query(
        s.published,
        "select year, value from marts.fct_indicator_observation "
        "where region_id = 'jiangyin' and indicator_code = 'life_expectancy' order by year",
    )
    assert (2020, 82.4) in [(y, round(v, 1)) for y, v in rows]
    assert _query(s.published, "select count(*) from monitoring.validation_results")[0][0] > 0
    # The run created the warehouse in the current storage format, and the copy keeps it.
    for db in (s.warehouse, s.published):
        with duckdb.connect(str(db), read_only=True) as con:
            assert storage_version(con) == f"{STORAGE_VERSION}+", db
    checks = {
        (str(e.asset_key.to_user_string()), e.check_name): e
        for e in built.first.get_asset_check_evaluations()
    }
    target_checks = [k for k in checks if k[1].startswith("finding_targets__")]
    assert target_checks, sorted(checks)
    # Missed health targets are findings: WARN, never the ERROR of a broken pipeline.
    missed = [checks[k] for k in target_checks if not checks[k].passed]
    assert missed and all(e.severity == dg.AssetCheckSeverity.WARN for e in missed)
    assert all(e.metadata["kind"].value == "finding" for e in missed)
    # dbt tables report their row counts.
    dbt_meta = {
        m.asset_key.to_user_string(): m.metadata
        for m in built.first.get_asset_materialization_events()
        for m in [m.event_specific_data.materialization]
    }
    counted = dbt_meta["intermediate/int_resolved_observations"]["dagster/row_count"].value
    assert (
        counted == _query(s.published, "select count(*) from marts.fct_indicator_observation")[0][0]
    )  # the table fct_indicator_observation projects
    for view in ("staging/stg_observations_as_of", "marts/fct_indicator_observation"):
        assert "dagster/row_count" not in dbt_meta[view]
    # ... counted by dbt's post-hook, so Dagster records each model's event while dbt still
    # runs, not all of them after it exits (orchestration/row_counts.py)
    first = min(
        e.timestamp
        for e in built.instance.all_logs(
            built.first.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
        )
        if e.step_key == "dbt_models"
    )
    assert first < _dbt_finished_at(built.first.run_id), "dbt's events were held until it exited"
    assert ("staging/stg_observations", "gx_structure") in checks
    assert checks[("staging/stg_observations", "gx_structure")].passed
    # The run's dbt build ran the data tests but not the unit tests (RUN_EXCLUDES).
    kinds = _dbt_result_kinds(built.first.run_id)
    assert kinds["test"] > 0 and kinds["model"] > 0 and "unit_test" not in kinds, kinds


def _dbt_finished_at(run_id: str) -> float:
    """When a run's dbt build wrote its run results (its end), as a POSIX timestamp."""
    doc = json.loads((_dbt_target(run_id) / "run_results.json").read_text(encoding="utf-8"))
    return datetime.fromisoformat(
        doc["metadata"]["generated_at"].replace("Z", "+00:00")
    ).timestamp()


def _dbt_target(run_id: str) -> Path:
    """The target folder of a run's dbt build."""
    target = PROJECT_ROOT / "dbt_project" / "target"
    folders = list(target.glob(f"dbt_models-{run_id[:8]}-*"))
    assert len(folders) == 1, folders
    return folders[0]


def _dbt_result_kinds(run_id: str) -> Counter[str]:
    """Resource types of the results of a run's dbt build (read from its own target folder)."""
    doc = json.loads((_dbt_target(run_id) / "run_results.json").read_text(encoding="utf-8"))
    return Counter(r["unique_id"].split(".")[0] for r in doc["results"])


def _snapshot(db: Path) -> dict[str, Any]:
    """Row counts of raw and marts, and the content of every intermediate and marts table (but
    the build watermark; doubles to 12 significant digits, as tests/dbt compare them). One
    read-only connection for all of it: opening the file per query cost seconds per snapshot."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'intermediate', 'marts') order by 1, 2"
        ).fetchall()
        counts, content = {}, {}
        for schema, name in tables:
            table = f"{schema}.{name}"
            counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
            if schema == "raw":
                continue
            columns = [
                f"printf('%.12g', \"{c}\" + 0.0)" if t in ("DOUBLE", "FLOAT") else f'"{c}"'
                for c, t in con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, name],
                ).fetchall()
                if c != "built_through_ingested_at"
            ]
            rows = con.execute(f"select {', '.join(columns)} from {table}").fetchall()
            content[table] = sorted(map(str, rows))
    return {"counts": counts, "content": content}


def _executed_steps(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.step_key for e in result.all_events if e.is_step_success and e.step_key}


@pytest.mark.parametrize(
    ("job", "trigger"), [("full_refresh", "schedule"), ("ingest_new_files", "sensor")]
)
def test_a_run_with_nothing_new_changes_nothing_and_runs_no_dbt_node(
    built: Built, job: str, trigger: str
) -> None:
    s = built.settings
    before = _snapshot(s.warehouse)
    published = s.published.stat().st_mtime_ns
    builds = _query(s.warehouse, "select count(*) from monitoring.dbt_build_state")
    again = _run(built, job, tags=_all_range(built.instance) | {"healthplan/trigger": trigger})
    assert again.success, _failures(again)
    assert _snapshot(s.warehouse) == before
    ingest = again.asset_materializations_for_node("raw__landing_files")
    meta = ingest[0].metadata
    assert meta["run_rows_loaded"].value == 0 and meta["run_files_loaded"].value == 0
    # Each partition carries its own file's figures (an observation per file), not the totals.
    observed = {
        o.partition: o.metadata for o in again.asset_observations_for_node("raw__landing_files")
    }
    assert len(observed) == meta["run_files"].value >= 1
    assert all(m["file_path"].value == key for key, m in observed.items())
    assert all(m["file_rows_loaded"].value == 0 for m in observed.values())
    # A run of one file: its materialization carries that file's figures too.
    (only,) = built.first.asset_observations_for_node("raw__landing_files")
    first = built.first.asset_materializations_for_node("raw__landing_files")[0].metadata
    assert first["file_rows_read"].value == only.metadata["file_rows_read"].value > 0
    # Ingestion ran; the dbt step decided there was nothing to build; GX, report, publish skipped.
    assert _executed_steps(again) == {"raw__landing_files", "dbt_models"}
    assert {m.asset_key for m in _materializations(again)} == {RAW_FILES}
    messages = [e.user_message for e in built.instance.all_logs(again.run_id)]
    assert any("dbt build skipped: nothing new since run" in m for m in messages)
    assert _query(s.warehouse, "select count(*) from monitoring.dbt_build_state") == builds
    assert s.published.stat().st_mtime_ns == published


def test_the_schedule_skips_its_tick_when_nothing_is_new(built: Built) -> None:
    """Nothing new: no run at all (the tick's own skip); a new landing file: a run."""
    import datetime as dt

    from orchestration.schedules import daily_full_refresh

    def tick() -> Any:
        context = dg.build_schedule_context(
            instance=built.instance, scheduled_execution_time=dt.datetime.now(dt.UTC)
        )
        return daily_full_refresh(context)

    idle = tick()
    assert isinstance(idle, dg.SkipReason), idle
    assert "no new or changed landing file; nothing new since run" in (idle.skip_message or "")
    extra = built.settings.raw / "jiangyin" / "schedule_probe.csv"
    _aged(extra, NEW_CSV.replace("2023", "2019"), age=60)
    try:
        assert isinstance(tick(), dg.RunRequest)
    finally:
        extra.unlink()
    assert isinstance(tick(), dg.SkipReason)


def _materializations(result: dg.ExecuteInProcessResult) -> list[dg.AssetMaterialization]:
    return [
        e.event_specific_data.materialization for e in result.get_asset_materialization_events()
    ]


def _regions_covered(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """Check name → the regions its dbt test covered (``all`` or the run's affected regions)."""
    return {
        e.event_specific_data.asset_check_key.name: e.event_specific_data.metadata[
            "regions_covered"
        ].value
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and "regions_covered" in e.event_specific_data.metadata
    }


#: dbt tests of the sensor's run for jiangyin: what each covered. Row-wise tests of a
#: region-keyed model are scoped, and so is a singular test grouped by region (macro
#: singular_test_scope); a test on a region-free key is not.
DBT_COVERED = {
    "not_null_fct_indicator_observation_value": "jiangyin",
    "unique_fct_indicator_observation_observation_key": "jiangyin",
    "assert_one_preferred_value_per_year": "jiangyin",
    "unique_dim_period_year": "all",
}

#: GX checks of the sensor's run for jiangyin: what each covered.
GX_COVERED = {
    "gx_quality__stg_observations": "jiangyin",
    "finding_targets__jy_fyp14": "jiangyin",
    "gx_quality__target_coverage": "all",  # one row per target, counted over every region
}


def test_sensor_run_reaches_marts_while_a_reader_holds_the_published_copy(built: Built) -> None:
    from orchestration.landing import LANDING_FILES
    from orchestration.sensors import landing_zone_sensor

    s = built.settings
    sql = (
        "select count(*) from marts.fct_indicator_observation "
        "where region_id = 'jiangyin' and indicator_code = 'life_expectancy' and year = 2023"
    )
    cursor = landing_zone_sensor(dg.build_sensor_context(instance=built.instance)).cursor
    reader = start_reader(s.published, sql)
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().split() == ["ready", "0"]
        _aged(s.raw / "jiangyin" / "new_2023.csv", NEW_CSV, age=60)
        tick = landing_zone_sensor(dg.build_sensor_context(instance=built.instance, cursor=cursor))
        assert len(tick.run_requests) == 1
        for request in tick.dynamic_partitions_requests:
            built.instance.add_dynamic_partitions(LANDING_FILES.name, request.partition_keys)
        request = tick.run_requests[0]
        result = _run(built, request.job_name, tags=request.tags)
        assert result.success, _failures(result)
        # Only what is downstream of raw data was rebuilt: no seed was re-materialised.
        materialized = {
            m.asset_key.path[0]
            for m in result.get_asset_materialization_events()
            for m in [m.event_specific_data.materialization]
        }
        assert "reference" not in materialized and "marts" in materialized
        assert _query(s.warehouse, sql)[0][0] == 1
        # ...and incrementally: the dbt inputs did not change since the full build
        mode = _query(
            s.warehouse,
            "select mode, status from monitoring.dbt_build_state where run_id = ?",
            [result.run_id],
        )
        assert mode == [("incremental", "succeeded")]
        # Its dbt tests covered the affected region only, and each check says so; the region is
        # the one dbt rebuilt (the rows carrying this build's watermark).
        rebuilt = _query(
            s.warehouse,
            "select distinct region_id from marts.fct_indicator_observation "
            "where built_through_ingested_at = "
            "(select max(built_through_ingested_at) from marts.fct_indicator_observation)",
        )
        covered = _regions_covered(result)
        assert set(covered.values()) == {"all", "jiangyin"}
        assert {r for (r,) in rebuilt} == {"jiangyin"}
        assert {k: covered[k] for k in DBT_COVERED} == DBT_COVERED
        # GX re-validated that region only, in every region-local suite, and says so
        assert {k: covered[k] for k in GX_COVERED} == GX_COVERED
        assert ask(reader, "q") == "0"  # the open connection still sees the old snapshot
        assert ask(reader, "r") == "1"  # a new connection sees the swapped-in state
    finally:
        ask(reader, "x")
        reader.wait(timeout=30)


def _result_rows(db: Path, run_id: str) -> list[tuple]:
    """The run's `monitoring.validation_results` rows, as the report and the alerts read them
    (but the run's own time; a data-quality summary row of a scoped run says where its row count
    stops, so its message is left out)."""
    from expectations.results_store import COLUMNS

    picked = [c for c in COLUMNS if c not in ("run_id", "validated_at", "message")]
    message = (
        "case when row_kind = 'expectation' and starts_with(suite_name, 'quality__') "
        "then null else message end"
    )
    return sorted(
        map(
            str,
            _query(
                db,
                f"select {', '.join(picked)}, {message} from monitoring.validation_results "
                "where run_id = ?",
                [run_id],
            ),
        )
    )


def _report_rows(db: Path, run_id: str) -> list[dict[str, Any]]:
    """The failure report's rows of run ``run_id`` (a streak starting at this validation shown
    as such, not by its time)."""
    from pipelines.report import load_report_data

    con = duckdb.connect(str(db), read_only=True)
    try:
        data = load_report_data(con, run_id)
    finally:
        con.close()
    assert data.run_id == run_id
    rows = [r.as_dict() for r in data.rows]
    for row in rows:
        if row["failing_since"] == data.validated_at:
            row["failing_since"] = "this validation"
    return rows


def test_an_incremental_runs_gx_results_equal_a_full_validation(
    built: Built, tmp_path: Path
) -> None:
    """The sensor's run above re-validated jiangyin only and carried nantong's results forward;
    a full GX validation of the same warehouse, in the same place in its history, records the
    same results, and the failure report reads the same rows."""
    from expectations.runner import run_quality_validation, run_target_validation

    s = built.settings
    ((run_id, regions, baseline),) = _query(
        s.warehouse,
        "select run_id, validation_regions, validation_baseline_run_id "
        "from monitoring.dbt_build_state order by started_at desc limit 1",
    )
    assert regions == '["jiangyin"]' and baseline == built.first.run_id
    scoped = _result_rows(s.warehouse, run_id)
    # the carried-forward part is not empty: nantong's missed target stands
    assert any("'nantong'" in r and "'element'" in r for r in scoped), scoped[:5]
    # The same warehouse with that run's validation undone, then validated in full.
    copy = tmp_path / "full.duckdb"
    shutil.copyfile(s.warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        for table in ("validation_results", "validation_runs"):
            con.execute(f"delete from monitoring.{table} where run_id = ?", [run_id])
        con.execute(
            "update monitoring.validation_results set last_run_id = null, "
            "last_validated_at = null, n_runs = null where last_run_id = ?",
            [run_id],
        )
    finally:
        con.close()
    run_target_validation(copy, run_id)
    run_quality_validation(copy, run_id)
    assert _result_rows(copy, run_id) == scoped
    assert _report_rows(copy, run_id) == _report_rows(s.warehouse, run_id)


DEATHS_CSV = (
    "region,death_date,age,sex,icd10,maternal\n"
    "江阴市,2023-02-11,0,male,P07.3,0\n"
    "江阴市,2023-05-20,71,female,I21.9,0\n"
    "江阴市,2023-08-02,64,male,C34.9,0\n"
)
COUNTS_CSV = (
    "region,period,measure,age_group,sex,cause_group,value,source,data_nature\n"
    "江阴市,2023,population,all,all,all,1780000,Example (invented),illustrative\n"
    "江阴市,2023,live_births,all,all,all,11200,Example (invented),illustrative\n"
)


@pytest.mark.parametrize(
    ("name", "text"), [("deaths_2023.csv", DEATHS_CSV), ("counts_2023.csv", COUNTS_CSV)]
)
def test_a_register_or_count_file_is_built_incrementally_for_its_region(
    built: Built, name: str, text: str
) -> None:
    """The sensor's run for a register or a count file of one region: an incremental build whose
    region-local tests covered that region only (the last test of this module rebuilds in full
    and requires the same tables)."""
    from orchestration.landing import LANDING_FILES
    from orchestration.sensors import evaluate_landing_zone

    s = built.settings
    if name.startswith("deaths"):  # a register names its source in a sidecar
        sidecar = 'source: "Example register (invented)"\ndata_nature: illustrative\n'
        _aged(s.raw / "jiangyin" / f"{name}.source.yml", sidecar, age=60)
    _aged(s.raw / "jiangyin" / name, text, age=60)
    tick = evaluate_landing_zone(built.instance, None, s.raw)
    assert len(tick.run_requests) == 1, tick.skip_reason
    for request in tick.dynamic_partitions_requests:
        built.instance.add_dynamic_partitions(LANDING_FILES.name, request.partition_keys)
    result = _run(built, tick.run_requests[0].job_name, tags=tick.run_requests[0].tags)
    assert result.success, _failures(result)
    assert _query(
        s.warehouse,
        "select mode, status from monitoring.dbt_build_state where run_id = ?",
        [result.run_id],
    ) == [("incremental", "succeeded")]
    assert (
        _query(
            s.warehouse,
            "select count(*) from raw.count_observations where file_path = ?",
            [f"jiangyin/{name}"],
        )[0][0]
        > 0
    )
    covered = set(_regions_covered(result).values())
    assert covered == {"all", "jiangyin"}


def test_failing_step_records_an_alert_and_keeps_the_published_copy(built: Built) -> None:
    from orchestration.resources import WarehouseResource

    s = built.settings
    before = s.published.stat().st_mtime_ns, s.published.read_bytes()
    broken = WarehouseResource(published=str(s.warehouse))  # publishing onto itself must fail
    result = _run_with(built, broken)
    assert not result.success
    alerts = _query(
        s.warehouse,
        "select job_name, step_key, error_type, message from monitoring.alerts where run_id = "
        f"'{result.run_id}'",
    )
    assert alerts == [("full_refresh", "published__warehouse", "PublishError", alerts[0][3])]
    assert "must differ" in alerts[0][3]
    assert (s.published.stat().st_mtime_ns, s.published.read_bytes()) == before


def _run_with(built: Built, warehouse: Any) -> dg.ExecuteInProcessResult:
    """Run only the publish step of the real definitions with the warehouse resource replaced."""
    from orchestration.jobs import full_refresh_job
    from orchestration.keys import PUBLISHED

    defs = built.defs
    patched = dg.Definitions(
        assets=list(defs.assets or []),
        asset_checks=list(defs.asset_checks or []),
        jobs=[full_refresh_job],
        resources={**(defs.resources or {}), "warehouse": warehouse},
        executor=dg.in_process_executor,
    )
    return patched.resolve_job_def("full_refresh").execute_in_process(
        instance=built.instance, raise_on_error=False, asset_selection=[PUBLISHED]
    )


def test_two_concurrent_cli_runs_never_both_write(built: Built) -> None:
    env = {**os.environ, **built.env}
    args = ["ingest", "--only"]
    # The second CLI is started first and pre-imported, then released the moment the first holds
    # the lock: interpreter start-up must not let the first finish before the second asks.
    warm = (
        "import sys, dagster, orchestration.definitions\n"
        "from orchestration.cli import main\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        f"sys.exit(main({[*args, '--wait', '0']!r}))\n"
    )
    second = subprocess.Popen(
        [sys.executable, "-c", warm],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert second.stdout is not None and second.stdout.readline().strip() == "ready"
    cli = [str(Path(sys.executable).parent / "healthplan"), *args]
    first = subprocess.Popen(
        cli + ["--wait", "60"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not is_locked(built.settings.lock_file):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        _, second_err = second.communicate("go\n", timeout=120)
        assert second.returncode == 3, second_err[-3000:]
        assert f"pid {first.pid}" in second_err and "healthplan ingest" in second_err
    finally:
        if second.poll() is None:
            second.kill()
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err[-3000:]


def _kill_once_dbt_builds(run: subprocess.Popen) -> None:
    """SIGKILL ``run`` mid-run: once its dbt build (a child process of the CLI) is running."""
    import signal

    import psutil

    deadline = time.monotonic() + 180
    while True:
        # asked first: a run that has ended is a zombie, whose children psutil cannot list
        assert run.poll() is None, "the run ended before its dbt build started"
        try:
            children = psutil.Process(run.pid).children(recursive=True)
            commands = [" ".join(c.cmdline()) for c in children]
        except psutil.NoSuchProcess:  # it ended (or a child did) meanwhile: asked again
            commands = []
        if any("dbt" in cmd and "build" in cmd for cmd in commands):
            break
        assert time.monotonic() < deadline, "no dbt build started within 180 s"
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)  # the main process only: its dbt child must die too
    run.wait()


def test_killed_run_leaves_published_copy_and_recovers_by_rerunning(built: Built) -> None:
    env = {**os.environ, **built.env}
    exe = str(Path(sys.executable).parent / "healthplan")
    s = built.settings
    # a new file, so the run has dbt work to be killed in (with nothing new a run now ends in
    # about a second, and a kill after a fixed sleep could land after it finished)
    _aged(s.raw / "jiangyin" / "killed_probe.csv", KILLED_PROBE_CSV, age=60)
    before = s.published.read_bytes()
    run = subprocess.Popen(
        [exe, "ingest", "--wait", "120"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so dbt children die with it
    )
    _kill_once_dbt_builds(run)
    assert s.published.read_bytes() == before
    assert not list(s.published.parent.glob(".publish-tmp-*"))
    # Re-running recovers: the lock is free, the dead run's pool slot is released, and the file
    # the dead run had landed (but not built) reaches the marts and the published copy.
    rerun = subprocess.run(
        [exe, "ingest", "--wait", "60"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    probe = (
        "select value from marts.fct_indicator_observation "
        "where file_path = 'jiangyin/killed_probe.csv'"
    )
    assert _query(s.warehouse, probe) == [(41.5,)]
    assert _query(s.published, probe) == [(41.5,)]
    killed = [
        r
        for r in built.instance.get_runs(
            filters=dg.RunsFilter(tags={"healthplan/pid": str(run.pid)})
        )
    ]
    assert killed, "the killed process had created its run"
    assert all(r.status != dg.DagsterRunStatus.STARTED for r in killed)
    # …and the death raised an alert at the next start, naming what the dead run was doing
    ((message,),) = _query(
        s.warehouse,
        "select message from monitoring.alerts where error_type = 'RunInterrupted' "
        "and message like ?",
        [f"%pid {run.pid} %"],
    )
    assert "healthplan ingest" in message
    assert all(r.run_id in message and "job ingest_new_files" in message for r in killed)


def test_structural_failure_blocks_publishing(built: Built) -> None:
    s = built.settings
    before = s.published.read_bytes()
    backup = s.warehouse.with_suffix(".backup")
    shutil.copyfile(s.warehouse, backup)
    con = duckdb.connect(str(s.warehouse))
    try:
        # A duplicate assessment key: the kind of structural break that must never be published.
        con.execute(
            "insert into marts.fct_target_assessment "
            "select * from marts.fct_target_assessment where is_latest limit 1"
        )
    finally:
        con.close()
    try:
        result = _run(built, "revalidate_and_report")
        assert not result.success
        structure = [
            e
            for e in result.get_asset_check_evaluations()
            if e.check_name == "gx_structure"
            and e.asset_key == dg.AssetKey(["marts", "fct_target_assessment"])
        ]
        assert structure and not structure[0].passed
        assert structure[0].severity == dg.AssetCheckSeverity.ERROR
        published_steps = [
            e
            for e in result.all_events
            if e.step_key == "published__warehouse" and e.is_step_success
        ]
        assert not published_steps
        assert s.published.read_bytes() == before
        alerts = _query(
            s.warehouse,
            f"select step_key from monitoring.alerts where run_id = '{result.run_id}'",
        )
        assert ("gx_quality_checks",) in alerts
    finally:
        Path(f"{s.warehouse}.wal").unlink(missing_ok=True)
        os.replace(backup, s.warehouse)  # a clean state for the other tests


def test_run_force_rebuilds_every_model_in_full(built: Built) -> None:
    s = built.settings
    env = {**os.environ, **built.env}
    exe = str(Path(sys.executable).parent / "healthplan")
    before = _snapshot(s.warehouse)
    forced = subprocess.run(
        [exe, "run", "--force", "--wait", "120"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert forced.returncode == 0, forced.stderr[-3000:]
    newest = _query(
        s.warehouse,
        "select mode, status, reason from monitoring.dbt_build_state "
        "order by started_at desc limit 1",
    )
    assert newest[0][:2] == ("full", "succeeded")
    assert "healthplan/dbt_full_refresh" in newest[0][2]
    # A full rebuild of the data that arrived incrementally (an observation, a register and a
    # count file, earlier in this module): the same tables, row for row.
    assert _snapshot(s.warehouse) == before
