"""What a run does after ingestion — skip, incremental ``dbt build`` or ``--full-refresh`` —
decided from the last build recorded in ``monitoring.dbt_build_state`` (``pipelines.run_state``)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.dbt import build_status
from pipelines.config import DBT_PROJECT_DIR
from pipelines.run_state import (
    BUILD_STATE_TABLE,
    DBT_INPUTS,
    BuildState,
    Decision,
    RunInputs,
    affected_regions,
    decide,
    raw_watermark,
    read_build_state,
    record_build_end,
    record_build_start,
    record_published,
    scope_tests_since,
)
from pipelines.run_state import dbt_fingerprint as dbt_inputs_fingerprint
from pipelines.validation_scope import ValidationScope, read_validation_scope, validation_scope

T0 = dt.datetime(2026, 1, 1, 8, 0, 0)
NOW = RunInputs("f1", "c1", "2026-01-01 07:00:00")


def _state(mode: str, status: str, fingerprint: str = "f1", published: bool = False) -> BuildState:
    return BuildState(
        "run-1", T0, T0, mode, status, fingerprint, "", "c1", NOW.raw_watermark,
        T0 if published else None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("last", "action", "why"),
    [
        (None, "full", "no dbt build recorded"),
        (_state("full", "succeeded", "f0"), "full", "inputs changed"),
        (_state("incremental", "succeeded", "f0"), "full", "inputs changed"),
        (_state("full", "failed"), "full", "did not complete: failed"),
        (_state("full", "running"), "full", "did not complete: running"),  # killed mid-build
        (_state("full", "partial"), "full", "did not complete: partial"),  # seeds not reloaded
        (_state("full", "succeeded"), "incremental", "unchanged"),  # not published yet
        (_state("incremental", "failed"), "incremental", "unchanged"),  # watermarks did not move
        (_state("incremental", "failed", published=True), "incremental", "unchanged"),
        (_state("full", "succeeded", published=True), "skip", "nothing new"),
        (_state("incremental", "succeeded", published=True), "skip", "nothing new"),
    ],
)
def test_decide(last: BuildState | None, action: str, why: str) -> None:
    decision = decide(last, NOW)
    assert decision.action == action
    assert why in decision.reason


@pytest.mark.parametrize(
    "now",
    [
        RunInputs("f1", "c1", "2026-01-01 07:00:01"),  # data ingested since
        RunInputs("f1", "c2", "2026-01-01 07:00:00"),  # validation/report/publish code changed
    ],
)
def test_anything_new_means_work(now: RunInputs) -> None:
    assert decide(_state("full", "succeeded", published=True), now).action == "incremental"


def test_a_missing_published_copy_or_a_forced_run_means_work() -> None:
    last = _state("full", "succeeded", published=True)
    assert decide(last, NOW, published_exists=False).action == "incremental"
    forced = decide(last, NOW, forced=True, forced_by="run tag x=true")
    assert forced.full_refresh and forced.reason == "run tag x=true"


def test_raw_watermark_is_the_newest_ingestion_of_any_raw_table(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert raw_watermark(con) is None
        con.execute("create schema raw")
        con.execute("create table raw.a (ingested_at timestamp)")
        con.execute("create table raw.b (ingested_at timestamp, x int)")
        con.execute("create table raw.c (other int)")
        con.execute("insert into raw.a values ('2026-01-01 08:00:00')")
        con.execute("insert into raw.b values ('2026-01-02 08:00:00', 1)")
        assert raw_watermark(con) == "2026-01-02 08:00:00"


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "dbt_project"
    dest.mkdir()
    for name in DBT_INPUTS:
        src = DBT_PROJECT_DIR / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy(src, dest / name)
    return dest


def test_fingerprint_changes_with_a_seed_a_model_or_the_year_only(project_copy: Path) -> None:
    before = dbt_inputs_fingerprint(project_copy, 2026)
    assert dbt_inputs_fingerprint(project_copy, 2026) == before  # deterministic
    assert dbt_inputs_fingerprint(project_copy, 2027) != before

    (project_copy / "target").mkdir()  # build output and logs are not inputs
    (project_copy / "target" / "manifest.json").write_text("{}", encoding="utf-8")
    (project_copy / "logs").mkdir()
    (project_copy / "logs" / "dbt.log").write_text("x", encoding="utf-8")
    assert dbt_inputs_fingerprint(project_copy, 2026) == before

    seed = project_copy / "seeds" / "units.csv"
    original = seed.read_text(encoding="utf-8")
    seed.write_text(original.replace("\n", "\n ", 1), encoding="utf-8")  # one cell changed
    assert dbt_inputs_fingerprint(project_copy, 2026) != before
    seed.write_text(original, encoding="utf-8")
    assert dbt_inputs_fingerprint(project_copy, 2026) == before

    model = next((project_copy / "models").rglob("fct_indicator_observation.sql"))
    model.write_text(model.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert dbt_inputs_fingerprint(project_copy, 2026) != before


def test_state_is_recorded_and_the_newest_build_decides(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert read_build_state(con) is None
        record_build_start(con, "run-a", NOW, Decision("full", "first"))
        record_build_end(con, "run-a", "succeeded")
        record_build_start(con, "run-b", NOW, Decision("incremental", "same inputs"))
        state = read_build_state(con)
        assert state is not None
        assert (state.run_id, state.mode, state.status) == ("run-b", "incremental", "running")
        assert (state.code_fingerprint, state.raw_watermark) == ("c1", NOW.raw_watermark)
        record_build_end(con, "run-b", "failed")
        record_published(con)
        newest = read_build_state(con)
        assert newest is not None and newest.published_at is not None
        rows = con.execute(
            f"select run_id, mode, status, reason from {BUILD_STATE_TABLE} order by started_at"
        ).fetchall()
    assert rows == [
        ("run-a", "full", "succeeded", "first"),
        ("run-b", "incremental", "failed", "same inputs"),
    ]


INCREMENTAL = Decision("incremental", "same inputs")


@pytest.mark.parametrize(
    ("last", "decision", "now", "regions", "scoped"),
    [
        (_state("incremental", "succeeded", published=True), INCREMENTAL, NOW, ["a"], True),
        (_state("full", "succeeded", published=True), INCREMENTAL, NOW, [], True),
        (_state("full", "succeeded", published=True), Decision("full", "x"), NOW, ["a"], False),
        (_state("full", "succeeded", published=True), INCREMENTAL, NOW, None, False),  # test all
        (_state("full", "succeeded"), INCREMENTAL, NOW, ["a"], False),  # never published
        (_state("full", "failed", published=True), INCREMENTAL, NOW, ["a"], False),
        (None, INCREMENTAL, NOW, ["a"], False),
        # the code that validates changed: earlier GX results may not stand
        (
            _state("full", "succeeded", published=True),
            INCREMENTAL,
            RunInputs("f1", "c2", NOW.raw_watermark),
            ["a"],
            False,
        ),
    ],
)
def test_gx_is_scoped_only_when_every_other_row_is_what_the_last_run_validated(
    last: BuildState | None,
    decision: Decision,
    now: RunInputs,
    regions: list[str] | None,
    scoped: bool,
) -> None:
    scope = validation_scope(last, decision, now, regions)
    assert (scope is not None) == scoped
    if scope is not None:
        assert scope == ValidationScope(tuple(regions or []), "run-1")


def test_the_gx_scope_is_recorded_with_the_build_and_read_once_it_succeeded(
    tmp_path: Path,
) -> None:
    scope = ValidationScope(("a", "b"), "run-a")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        record_build_start(con, "run-a", NOW, Decision("full", "first"))
        record_build_end(con, "run-a", "succeeded")
        record_build_start(con, "run-b", NOW, INCREMENTAL, scope)
        assert read_validation_scope(con, "run-b") is None  # still running
        record_build_end(con, "run-b", "succeeded")
        assert read_validation_scope(con, "run-b") == scope
        assert read_validation_scope(con, "run-a") is None  # a full build: every row
        assert read_validation_scope(con, "no-such-run") is None


def _run_results(path: Path, statuses: dict[str, str]) -> Path:
    results = [{"unique_id": uid, "status": status} for uid, status in statuses.items()]
    path.mkdir(parents=True, exist_ok=True)
    (path / "run_results.json").write_text(json.dumps({"results": results}), encoding="utf-8")
    return path


def test_build_status_reads_models_and_seeds_not_tests(tmp_path: Path) -> None:
    ok = {"seed.h.units": "success", "model.h.fct": "success", "test.h.unique_x": "fail"}
    assert build_status(_run_results(tmp_path / "a", ok), True, True) == "succeeded"
    assert build_status(_run_results(tmp_path / "a", ok), True, False) == "partial"
    assert build_status(_run_results(tmp_path / "a", ok), False, False) == "succeeded"
    bad = {**ok, "model.h.mart": "skipped"}
    assert build_status(_run_results(tmp_path / "b", bad), False, True) == "failed"
    assert build_status(tmp_path / "missing", False, True) == "failed"


@pytest.mark.integration
def test_changed_inputs_make_the_dbt_asset_run_full_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real materialisation (one seed only, to stay cheap) after the recorded inputs changed."""
    from orchestration.assets.dbt import dbt_models
    from orchestration.resources import WarehouseResource, dbt_resource

    warehouse = tmp_path / "healthplan.duckdb"
    monkeypatch.setenv("HEALTHPLAN_WAREHOUSE", str(warehouse))  # restored after the test
    with duckdb.connect(str(warehouse)) as con:  # a build recorded on other seeds
        stale = RunInputs("stale-fingerprint", "c", None)
        record_build_start(con, "old-run", stale, Decision("incremental", "old"))
        record_build_end(con, "old-run", "succeeded")
    instance = dg.DagsterInstance.ephemeral()
    selection = [dg.AssetKey(["reference", "icd10_cause_groups"])]
    result = dg.materialize(
        [dbt_models],
        selection=selection,
        resources={"dbt": dbt_resource(), "warehouse": WarehouseResource(warehouse=str(warehouse))},
        instance=instance,
        raise_on_error=False,
    )
    assert result.success
    messages = [e.user_message for e in instance.all_logs(result.run_id)]
    chosen = [m for m in messages if "dbt build --full-refresh against" in m]
    assert chosen and "dbt project inputs changed since run old-run" in chosen[0], messages
    with duckdb.connect(str(warehouse), read_only=True) as con:
        newest = read_build_state(con)
        assert con.execute("select count(*) from reference.icd10_cause_groups").fetchone()[0] > 0
    assert newest is not None and newest.run_id == result.run_id
    # a full rebuild of one seed leaves other tables on the old inputs: full again next time
    assert (newest.mode, newest.status) == ("full", "partial")
    assert newest.fingerprint == dbt_inputs_fingerprint(DBT_PROJECT_DIR)
    again = RunInputs(newest.fingerprint, str(newest.code_fingerprint), newest.raw_watermark)
    assert decide(newest, again).full_refresh


@pytest.mark.parametrize(
    ("last", "action", "scoped"),
    [
        (_state("incremental", "succeeded", published=True), "incremental", True),
        (_state("full", "succeeded"), "incremental", True),
        (_state("incremental", "failed"), "incremental", False),  # models may lag behind
        (_state("full", "succeeded"), "full", False),
        (None, "full", False),
    ],
)
def test_tests_are_scoped_only_after_a_successful_build(
    last: BuildState | None, action: str, scoped: bool
) -> None:
    since = scope_tests_since(last, Decision(action, ""))
    assert (since == NOW.raw_watermark) if scoped else since is None


def test_affected_regions_are_the_new_rows_and_the_rows_their_arrival_withdrew(
    tmp_path: Path,
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema raw")
    con.execute("create table raw.ingested_files (file_path varchar, ingested_at timestamp)")
    for table in ("observations", "count_observations"):
        con.execute(
            f"create table raw.{table} (region_id varchar, file_path varchar, ingested_at timestamp)"
        )
    old, new = "2026-01-01 00:00:00", "2026-01-02 00:00:00"
    con.execute(
        "insert into raw.ingested_files values ('a.csv', ?), ('b.csv', ?), ('a.csv', ?), "
        "('c.csv', ?)",
        [old, old, new, new],
    )
    # a.csv arrived again (its new version drops region r2); c.csv is a new count file for r4
    con.execute(
        "insert into raw.observations values ('r1', 'a.csv', ?), ('r2', 'a.csv', ?), "
        "('r3', 'b.csv', ?), ('r1', 'a.csv', ?)",
        [old, old, old, new],
    )
    con.execute("insert into raw.count_observations values ('r4', 'c.csv', ?)", [new])
    assert affected_regions(con, "2026-01-01 12:00:00") == ["r1", "r2", "r4"]
    assert affected_regions(con, new) == []
