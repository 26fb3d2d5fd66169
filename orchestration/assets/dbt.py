"""dbt seeds, models and tests as Dagster assets and asset checks (dagster-dbt).

Each run asks :func:`pipelines.run_state.decide` what to do: nothing (no data ingested, no dbt
input and no code changed since the last published build: the asset yields nothing and Dagster
skips every step downstream), an incremental ``dbt build`` (the region-keyed models rebuild only
the regions with new raw data; docs/models.md#incremental-builds), or ``dbt build
--full-refresh`` (the dbt project inputs changed since the last complete build).
"""

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.keys import FULL_REFRESH_TAG, RAW_FILES
from orchestration.project import (
    PARTIAL_PARSE,
    dbt_project,
    manifest_path,
    parse_state,
    prepare_if_dev,
)
from orchestration.resources import WarehouseResource
from orchestration.row_counts import (
    ROW_COUNTS_ENV,
    with_row_counts,
    with_streamed_row_counts,
)
from pipelines import run_state, validation_scope

#: dbt source name (and schema) written only by ingestion (CONTRACTS §2).
RAW_SOURCE = "raw"


class HealthplanTranslator(DagsterDbtTranslator):
    """Asset keys ``<schema>/<name>`` as in DuckDB; every ``raw.*`` source is the ingestion asset."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Map sources in schema ``raw`` to the ingestion asset; others to ``schema/name``."""
        if dbt_resource_props["resource_type"] == "source":
            if RAW_SOURCE in (dbt_resource_props.get("source_name"), dbt_resource_props["schema"]):
                return RAW_FILES
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Group by layer: ``reference`` (seeds), ``staging``, ``intermediate``, ``marts``."""
        return dbt_resource_props.get("schema") or super().get_group_name(dbt_resource_props)


TRANSLATOR = HealthplanTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # Several raw.* tables map to the one ingestion asset.
        enable_duplicate_source_asset_keys=True,
    )
)

prepare_if_dev()  # `dagster dev`: re-parse edits; elsewhere only a missing manifest is parsed


@dbt_assets(
    manifest=manifest_path(),
    project=dbt_project,
    dagster_dbt_translator=TRANSLATOR,
    pool="duckdb",
)
def dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """``dbt build`` of the selected seeds and models, with their tests as asset checks."""
    # `warehouse` holds the writer lock and exported HEALTHPLAN_WAREHOUSE for the dbt profile.
    with warehouse.connect() as con:
        now = run_state.current_inputs(con, Path(dbt_project.project_dir))
        last = run_state.read_build_state(con)
        decision = run_state.decide(
            last,
            now,
            forced=context.run.tags.get(FULL_REFRESH_TAG) == "true",
            forced_by=f"run tag {FULL_REFRESH_TAG}=true",
            published_exists=warehouse.settings().published.exists(),
        )
        if decision.action == "skip":
            # Yield nothing: Dagster then skips every step downstream (GX, report, publish).
            context.log.info(f"dbt build skipped: {decision.reason}")
            return
        since = run_state.scope_tests_since(last, decision)
        regions = None if since is None else run_state.affected_regions(con, since)
        # GX re-validates only these regions when every other row is what the last run validated
        scope = validation_scope.validation_scope(last, decision, now, regions)
        run_state.record_build_start(con, context.run.run_id, now, decision, scope)
    mode = "dbt build --full-refresh" if decision.full_refresh else "incremental dbt build"
    context.log.info(f"{mode} against {warehouse.settings().warehouse}: {decision.reason}")
    if regions is not None:
        context.log.info(f"dbt tests scoped to {len(regions)} affected region(s): {regions[:20]}")
    args = ["build", *RUN_EXCLUDES, *(["--full-refresh"] if decision.full_refresh else [])]
    invocation = _invoke(dbt, args, context, regions)
    target_path = Path(invocation.target_path)
    try:
        events = _read_back_from_spark(invocation.stream(), warehouse, context)
        yield from with_test_scope(
            _counted(events, warehouse, target_path, context),
            regions,
            target_path,
            invocation.manifest,
        )
    finally:
        # If streaming fails (or the step is interrupted), dbt must not outlive the step: it would
        # keep writing the warehouse after this run released the writer lock.
        _stop(invocation.process)
        complete = set(context.selected_asset_keys) >= dbt_asset_keys()
        status = build_status(target_path, decision.full_refresh, complete)
        with warehouse.connect() as con:
            run_state.record_build_end(con, context.run.run_id, status)
        context.log.info(f"dbt build state recorded: {status}")
        prune_invocation_dirs(target_path.parent)


#: dbt unit tests check the models' SQL on fixed inputs, not the data, so a run's build leaves
#: them out, as dbt advises for production: they run in `make test` (tests/dbt builds with them)
#: and in any hand-run `dbt build`. At M they cost 3–4 s of every build, incremental or full.
RUN_EXCLUDES = ("--exclude-resource-type", "unit_test")
#: Environment variable through which a run scopes dbt's generic tests to the affected regions
#: (read by dbt_project/macros/test_scope.sql at execution, so dbt's parse state is unchanged).
TEST_REGIONS_ENV = "HEALTHPLAN_TEST_REGIONS"
#: Regions named in a check's ``regions_covered`` (the count is always given).
MAX_REGIONS_LISTED = 50


def _invoke(
    dbt: DbtCliResource,
    args: list[str],
    context: dg.AssetExecutionContext,
    regions: list[str] | None,
) -> Any:
    """Start ``dbt <args>`` in a fresh per-run target folder that starts from dbt's partial-parse
    state, with the test scope (``regions``; None: every row) in its environment.

    dagster-dbt gives every invocation a new target folder, where dbt finds no partial-parse
    state and re-parses the whole project (≈ 6 s at M); a state is copied in first
    (:func:`parse_state`), so dbt re-parses only files changed since (its own checks decide).
    """
    target = Path(dbt_project.project_dir) / "target"
    state = parse_state(target, Path(dbt_project.project_dir))
    run_target = target / f"dbt_models-{context.run.run_id[:8]}-{time.time_ns() % 10**9:09d}"
    run_target.mkdir(parents=True, exist_ok=True)
    if state is not None:
        shutil.copy2(state, run_target / PARTIAL_PARSE)
    (run_target / ROW_COUNTS_DIR).mkdir()
    env = {
        TEST_REGIONS_ENV: None if regions is None else json.dumps(regions),
        ROW_COUNTS_ENV: str(run_target / ROW_COUNTS_DIR),
    }
    # dagster-dbt copies os.environ when it starts dbt; the run executes in one process.
    previous = {name: os.environ.pop(name, None) for name in env}
    os.environ.update({name: value for name, value in env.items() if value is not None})
    try:
        return dbt.cli(args, context=context, target_path=run_target)
    finally:
        for name, value in previous.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


#: Folder of a run's dbt target where the models' post-hook writes row counts.
ROW_COUNTS_DIR = "row_counts"


def _counted(
    events: Iterator[Any],
    warehouse: WarehouseResource,
    target_path: Path,
    context: dg.AssetExecutionContext,
) -> Iterator[Any]:
    """dbt's events with the tables' row counts (orchestration/row_counts.py): as they arrive on
    DuckDB; on Spark held until the tables are read back into the DuckDB file."""
    settings = warehouse.settings()
    if settings.on_spark:
        return with_row_counts(events, settings.warehouse, context.asset_key_for_output)
    return with_streamed_row_counts(
        events, target_path / ROW_COUNTS_DIR, context.asset_key_for_output
    )


#: Marker that dbt_project/macros/test_scope.sql puts in the SQL of every test it scoped.
SCOPE_MARKER = "/* healthplan: test scope */"


def compiled_sql_path(target_path: Path, node: Mapping[str, Any]) -> Path:
    """Where dbt writes a node's compiled SQL, before it runs it (dbt-core's
    ``get_target_write_path``: ``compiled/<package>/<file>`` for a file of its own, else
    ``compiled/<package>/<file>/<node path>``, as for the generic tests of a YAML file)."""
    path, original = str(node["path"]), str(node["original_file_path"])
    relative = original if Path(path).name == Path(original).name else f"{original}/{path}"
    return target_path / "compiled" / str(node["package_name"]) / relative


def ran_scoped(target_path: Path, manifest: Mapping[str, Any], unique_id: str) -> bool:
    """Whether dbt ran test ``unique_id`` on the affected regions only: its compiled SQL, written
    before the test ran, carries :data:`SCOPE_MARKER` (False when there is none)."""
    node = manifest.get("nodes", {}).get(unique_id)
    if node is None:
        return False
    try:
        sql = compiled_sql_path(target_path, node).read_text(encoding="utf-8")
    except OSError:
        return False
    return SCOPE_MARKER in sql


def with_test_scope(
    events: Iterable[Any],
    regions: list[str] | None,
    target_path: Path,
    manifest: Mapping[str, Any],
) -> Iterator[Any]:
    """dbt's events as they arrive, each dbt test's check result saying which regions it covered.

    ``regions_covered``: ``all``, or the affected regions for a test dbt ran on them only
    (:func:`ran_scoped`; which tests qualify: dbt_project/macros/test_scope.sql). For the other
    regions the check's previous result stands: their rows were not rebuilt.
    """
    listed: dict[str, Any] = {
        **validation_scope.coverage_metadata(regions or [], MAX_REGIONS_LISTED),
        "test_scope": "affected regions only (the previous result stands for the others)",
    }
    every_row = {**validation_scope.coverage_metadata(None), "test_scope": "every row"}
    for event in events:
        if isinstance(event, dg.AssetCheckResult):
            unique_id = (event.metadata or {}).get("unique_id")
            uid = str(getattr(unique_id, "value", unique_id))
            scoped = regions is not None and ran_scoped(target_path, manifest, uid)
            event = event.with_metadata(
                {**(event.metadata or {}), **(listed if scoped else every_row)}
            )
        yield event


def _read_back_from_spark(
    events: Iterator[Any], warehouse: WarehouseResource, context: dg.AssetExecutionContext
) -> Iterator[Any]:
    """dbt's events, then (on Spark) the built tables read through Spark into the working file,
    so GX, the report, row counts and publish see what Spark computed (docs/scale-out.md)."""
    yield from events
    settings = warehouse.settings()
    if settings.on_spark:
        from pipelines.engine import SparkWarehouse, mirror_into_duckdb, open_warehouse

        spark = open_warehouse(settings)
        assert isinstance(spark, SparkWarehouse)
        copied = mirror_into_duckdb(spark, settings.warehouse)
        context.log.info(f"read {len(copied)} tables built on Spark into {settings.warehouse}")


#: dbt target folders of past runs kept for debugging (each holds a manifest copy and the log).
KEEP_INVOCATIONS = 10


def prune_invocation_dirs(target: Path, keep: int = KEEP_INVOCATIONS) -> None:
    """Delete all but the newest ``keep`` per-run dbt target folders (``dbt_models-*``)."""
    runs = sorted(target.glob("dbt_models-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def _stop(process: subprocess.Popen, grace: float = 30.0) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def dbt_asset_keys() -> set[dg.AssetKey]:
    """Keys of every dbt seed/model asset."""
    return set(dbt_models.keys)


def build_status(target_path: Path, full_refresh: bool, complete_selection: bool) -> str:
    """``succeeded`` when every seed and model of the invocation succeeded (failing data tests do
    not make tables stale); ``partial`` for a full rebuild of only some models; else ``failed``."""
    try:
        results = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "failed"
    built = [r for r in results["results"] if r["unique_id"].split(".")[0] in ("model", "seed")]
    if not built or any(r["status"] != "success" for r in built):
        return "failed"
    return "partial" if full_refresh and not complete_selection else "succeeded"
