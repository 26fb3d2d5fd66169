"""dbt seeds, models and tests as Dagster assets and asset checks (dagster-dbt).

Each run decides between an incremental ``dbt build`` (the region-keyed models rebuild only the
regions with new raw data; docs/models.md#incremental-builds) and ``dbt build --full-refresh``:
a full rebuild whenever the dbt project inputs that are not raw data (seeds, models, macros,
tests, dbt_project.yml, the assessment year, the dbt/DuckDB versions) differ from those of the
last complete build, recorded in ``monitoring.dbt_build_state``.
"""

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.keys import FULL_REFRESH_TAG, RAW_FILES
from orchestration.project import dbt_project, manifest_path, prepare_manifest
from orchestration.resources import WarehouseResource
from orchestration.row_counts import with_row_counts
from pipelines.run_state import CODE_SUFFIXES, hash_tree

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

if not manifest_path().exists():  # fresh clone imported without `healthplan prepare`
    prepare_manifest()


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
    fingerprint = dbt_inputs_fingerprint(Path(dbt_project.project_dir))
    with warehouse.connect() as con:
        forced = context.run.tags.get(FULL_REFRESH_TAG) == "true"
        decision = decide_build(read_build_state(con), fingerprint, forced=forced)
        record_build_start(con, context.run.run_id, fingerprint, decision)
    mode = "dbt build --full-refresh" if decision.full_refresh else "incremental dbt build"
    context.log.info(f"{mode} against {warehouse.settings().warehouse}: {decision.reason}")
    args = ["build", "--full-refresh"] if decision.full_refresh else ["build"]
    invocation = dbt.cli(args, context=context)
    try:
        # Row counts attached once dbt has exited (DuckDB: see orchestration/row_counts.py).
        yield from with_row_counts(
            _read_back_from_spark(invocation.stream(), warehouse, context),
            warehouse.settings().warehouse,
            context.asset_key_for_output,
        )
    finally:
        # If streaming fails (or the step is interrupted), dbt must not outlive the step: it would
        # keep writing the warehouse after this run released the writer lock.
        _stop(invocation.process)
        complete = set(context.selected_asset_keys) >= dbt_asset_keys()
        status = build_status(Path(invocation.target_path), decision.full_refresh, complete)
        with warehouse.connect() as con:
            record_build_end(con, context.run.run_id, status)
        context.log.info(f"dbt build state recorded: {status}")
        prune_invocation_dirs(Path(invocation.target_path).parent)


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


#: Where each dbt build of a Dagster run is recorded (one row per build; the newest decides).
BUILD_STATE_TABLE = "monitoring.dbt_build_state"
#: dbt project inputs, other than raw data, that the incremental models' content depends on.
DBT_INPUTS = ("seeds", "models", "macros", "tests", "dbt_project.yml")
#: Packages whose version can change what a model computes.
ENGINE_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")


def dbt_inputs_fingerprint(project_dir: Path, assessment_year: int | None = None) -> str:
    """sha256 over the dbt project inputs that are not raw data, the assessment year and versions.

    ``assessment_year`` defaults to the current UTC year: dbt's own default (``run_started_at``)
    when var ``assessment_year`` is not set, as in the Dagster runs.
    """
    digest = hashlib.sha256()
    digest.update(f"assessment_year={assessment_year or dt.datetime.now(dt.UTC).year}".encode())
    for package in ENGINE_PACKAGES:
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=absent".encode())
    for rel in DBT_INPUTS:
        path = project_dir / rel
        if path.exists():
            hash_tree(digest, path, project_dir, CODE_SUFFIXES)
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildState:
    """One recorded dbt build (a row of ``monitoring.dbt_build_state``)."""

    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    mode: str  # full | incremental
    status: str  # running | succeeded | partial | failed
    fingerprint: str
    reason: str


@dataclass(frozen=True)
class BuildDecision:
    """Full or incremental, and why (logged and recorded)."""

    full_refresh: bool
    reason: str


def decide_build(last: BuildState | None, fingerprint: str, forced: bool = False) -> BuildDecision:
    """Full rebuild unless the last recorded build ran on the same inputs and left full tables.

    An incremental build that failed needs no full rebuild: its models' watermarks did not move,
    so the next incremental build redoes their regions. A full rebuild that did not complete
    (failed, killed, or only a subset of the models — e.g. ``ingest_new_files`` does not reload
    seeds) leaves tables of mixed inputs, so the next build is full again.
    """
    if forced:
        return BuildDecision(True, f"run tag {FULL_REFRESH_TAG}=true")
    if last is None:
        return BuildDecision(True, f"no dbt build recorded in {BUILD_STATE_TABLE}")
    if last.mode == "full" and last.status != "succeeded":
        return BuildDecision(
            True, f"the last full rebuild (run {last.run_id}) did not complete: {last.status}"
        )
    if last.fingerprint != fingerprint:
        return BuildDecision(
            True,
            f"dbt project inputs changed since run {last.run_id} (seeds, models, macros, tests, "
            "dbt_project.yml, assessment year or dbt/DuckDB version)",
        )
    return BuildDecision(
        False,
        f"dbt project inputs unchanged since run {last.run_id}: only regions with raw data "
        "ingested after each model's watermark are rebuilt",
    )


def ensure_build_state_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``monitoring.dbt_build_state`` if missing."""
    con.execute("create schema if not exists monitoring")
    con.execute(
        f"create table if not exists {BUILD_STATE_TABLE} ("
        "run_id varchar, started_at timestamp, finished_at timestamp, mode varchar, "
        "status varchar, fingerprint varchar, reason varchar)"
    )


def read_build_state(con: duckdb.DuckDBPyConnection) -> BuildState | None:
    """The newest recorded build, or None (no table or no row)."""
    schema, name = BUILD_STATE_TABLE.split(".")
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = con.execute(
        f"select run_id, started_at, finished_at, mode, status, fingerprint, reason "
        f"from {BUILD_STATE_TABLE} order by started_at desc limit 1"
    ).fetchone()
    return BuildState(*row) if row else None


def record_build_start(
    con: duckdb.DuckDBPyConnection, run_id: str, fingerprint: str, decision: BuildDecision
) -> None:
    """Record a build as ``running`` before dbt starts (a killed run stays ``running``)."""
    ensure_build_state_table(con)
    mode = "full" if decision.full_refresh else "incremental"
    con.execute(
        f"insert into {BUILD_STATE_TABLE} values (?, ?, null, ?, 'running', ?, ?)",
        [run_id, _now(), mode, fingerprint, decision.reason],
    )


def record_build_end(con: duckdb.DuckDBPyConnection, run_id: str, status: str) -> None:
    """Set the final status of the run's build."""
    con.execute(
        f"update {BUILD_STATE_TABLE} set status = ?, finished_at = ? "
        "where run_id = ? and status = 'running'",
        [status, _now(), run_id],
    )


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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
