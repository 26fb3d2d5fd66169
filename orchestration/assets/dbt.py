"""dbt seeds, models and tests as Dagster assets and asset checks (dagster-dbt)."""

import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.keys import RAW_FILES
from orchestration.project import dbt_project, manifest_path, prepare_manifest
from orchestration.resources import WarehouseResource

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
    context.log.info(f"dbt build against {warehouse.settings().warehouse}")
    invocation = dbt.cli(["build"], context=context)
    try:
        yield from invocation.stream()
    finally:
        # If streaming fails (or the step is interrupted), dbt must not outlive the step: it would
        # keep writing the warehouse after this run released the writer lock.
        _stop(invocation.process)
        prune_invocation_dirs(Path(invocation.target_path).parent)


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
