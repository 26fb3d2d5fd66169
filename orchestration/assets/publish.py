"""The monitors' failure report and the analysts' published warehouse."""

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.keys import DATA_DOCS, FAILURE_REPORT, PUBLISHED, VALIDATION_RESULTS
from orchestration.resources import WarehouseResource


def _paths_metadata(result: Any) -> dict[str, Any]:
    """Turn whatever the report builder returned (paths, a dataclass, a dict) into metadata."""
    if result is None:
        return {}
    if isinstance(result, str | Path):
        return {"path": dg.MetadataValue.path(str(result))}
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    if isinstance(result, dict):
        out: dict[str, Any] = {}
        for k, v in result.items():
            if isinstance(v, Path):
                out[str(k)] = dg.MetadataValue.path(str(v))
            elif isinstance(v, int | float | str | bool):
                out[str(k)] = v
        return out
    return {"result": str(result)}


@dg.asset(
    key=FAILURE_REPORT,
    deps=[VALIDATION_RESULTS],
    group_name="reports",
    pool="duckdb",
    kinds={"html"},
    description=(
        "The monitors' report (HTML + CSV + JSON, Chinese first) of the latest validation: "
        "overview per plan and lead department, binding targets first, a page per missed "
        "target; then push alerts for what is new (企业微信/钉钉, off unless configured)."
    ),
)
def failure_report(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Render ``pipelines.report.build_failure_report`` for this run's validation results,
    named by the run's trigger (schedule / sensor / manual), then ``pipelines.notify``."""
    from pipelines.history import ensure_monitoring_objects
    from pipelines.notify import notify_findings
    from pipelines.report import build_failure_report
    from pipelines.report.timefmt import trigger_from_tags

    settings = warehouse.settings()
    trigger = trigger_from_tags(dict(context.run.tags))
    result = build_failure_report(
        settings.warehouse,
        context.run_id,
        settings.reports,
        trigger=trigger,
        keep=settings.reports_keep,
    )
    with warehouse.connect() as con:
        ensure_monitoring_objects(con)  # alerts table and views exist before the first alert
        deliveries = notify_findings(con)  # bounded in time; never raises for network trouble
    metadata = _paths_metadata(result)
    metadata["notifications_sent"] = sum(d.success for d in deliveries)
    metadata["notifications_failed"] = sum(not d.success for d in deliveries)
    return dg.MaterializeResult(metadata=metadata)


def build_publish_asset(upstream: Iterable[dg.AssetKey]) -> dg.AssetsDefinition:
    """The published copy, downstream of every model and report so it is always last."""

    @dg.asset(
        key=PUBLISHED,
        deps=sorted({*upstream, VALIDATION_RESULTS, DATA_DOCS, FAILURE_REPORT}, key=str),
        group_name="publish",
        pool="duckdb",
        kinds={"duckdb"},
        description=(
            "Read-only copy of the warehouse that analysts query (HEALTHPLAN_PUBLISHED), swapped "
            "in atomically after the structural checks passed; a failed or killed run leaves the "
            "previous copy in place."
        ),
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        """Checkpoint the working file, copy it beside the published path, ``os.replace`` it."""
        from pipelines.publish import publish_warehouse
        from pipelines.run_state import record_published

        settings = warehouse.settings()
        result = publish_warehouse(settings.warehouse, settings.published)
        with warehouse.connect() as con:  # the next run may skip if nothing new arrives
            record_published(con)
        context.log.info(f"published {result.published} ({result.size_bytes} bytes)")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.published)),
                "size_bytes": result.size_bytes,
                "tables": result.tables,
            }
        )

    return published_warehouse
