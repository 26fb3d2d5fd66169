"""Per-file ingestion: each landing-zone file is its own partition of ``raw/landing_files``."""

import dataclasses
from typing import Any

import dagster as dg

from orchestration.keys import RAW_FILES
from orchestration.landing import LANDING_FILES
from orchestration.resources import WarehouseResource
from pipelines.alerts import Alert, record_alert
from pipelines.config import Settings


def _as_dict(result: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return dataclasses.asdict(result)
    if hasattr(result, "_asdict"):
        return dict(result._asdict())
    return dict(vars(result))


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool | type(None)) else str(value)


#: One file's figures, shown on its own partition (``FileResult`` fields).
FILE_FIELDS = ("status", "rows_read", "rows_loaded", "rows_quarantined", "message", "seconds")


def file_metadata(result: dict[str, Any]) -> dict[str, Any]:
    """The figures of one ingested file (its partition's metadata): status and row counts."""
    out = {f"file_{k}": _plain(result.get(k)) for k in FILE_FIELDS if k in result}
    out["file_path"] = str(result.get("partition"))
    return {k: ("" if v is None else v) for k, v in out.items()}


#: The asset's checks: files rejected, files failed, rows unaccounted for.
CHECK_SPECS = [
    dg.AssetCheckSpec(
        "no_rejected_files",
        asset=RAW_FILES,
        description="Every file of the run was loaded (none rejected as unreadable).",
    ),
    dg.AssetCheckSpec(
        "no_failed_files",
        asset=RAW_FILES,
        description=(
            "No file hit an unexpected ingestion error (rolled back; retried next run). "
            "Each such file also raises an alert."
        ),
    ),
    dg.AssetCheckSpec(
        "rows_accounted_for",
        asset=RAW_FILES,
        description="rows_read = rows_loaded + rows_quarantined for every file: none dropped.",
    ),
]

_TABLE_HEADER = (
    "| file | status | read | loaded | quarantined | message |\n|---|---|---|---|---|---|\n"
)


@dg.asset(
    key=RAW_FILES,
    partitions_def=LANDING_FILES,
    # One run ingests any span of files through one connection (each file its own transaction).
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="duckdb",
    group_name="ingestion",
    kinds={"duckdb", "python"},
    description=(
        "Landing-zone files loaded into schema `raw` (observations, counts, quarantine, file "
        "registry). One partition per file path; a file is loaded when it is a new arrival "
        "(pipelines/ingest/arrivals.py), else skipped. "
        "Each partition's own figures (file_status, file_rows_read …) are an observation on that "
        "partition; `run_*` metadata are the totals of the run that loaded it."
    ),
    check_specs=CHECK_SPECS,
)
def landing_files(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Ingest every file of this run's partitions (``pipelines.ingest.ingest_file``)."""
    settings = warehouse.settings()
    rows, missing = _ingest_partitions(context, warehouse, settings)
    if settings.on_spark:  # the Spark target reads raw.* from the Parquet lake
        from pipelines.lake import sync_lake

        sync_lake(settings.warehouse, settings.lake)
    _alert_failed(context, settings, _with_status(rows, "failed"))
    return dg.MaterializeResult(
        metadata=(file_metadata(rows[0]) if len(rows) == 1 and not missing else {})
        | run_metadata(rows, missing),
        check_results=check_results(rows),
    )


def _ingest_partitions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: Settings
) -> tuple[list[dict[str, Any]], list[str]]:
    """Ingest each partition's file: (one result per file ingested, keys no longer on disk)."""
    from pipelines.ingest import ensure_raw_schema, ingest_files, one_checkpoint

    rows: list[dict[str, Any]] = []
    missing: list[str] = []
    present: list[str] = []
    for key in context.partition_keys:
        if (settings.raw / key).exists():
            present.append(key)
        else:
            # Vanished since it was discovered: its rows stay current until it is retracted
            # (`healthplan retract`; docs/ingestion.md#arrivals-what-the-landing-zone-says-now).
            context.log.warning(f"{key}: no longer in the landing zone {settings.raw}; skipped")
            missing.append(key)
    with warehouse.connect() as con, one_checkpoint(con):
        ensure_raw_schema(con)
        files = ingest_files(con, [settings.raw / k for k in present], settings.raw, context.run_id)
        for key, file_result in zip(present, files, strict=True):
            result = _as_dict(file_result)
            result["partition"] = key
            rows.append(result)
            _log_file(context, key, result)
    return rows, missing


def _log_file(context: dg.AssetExecutionContext, key: str, result: dict[str, Any]) -> None:
    """Put one file's figures on its own partition (an observation) and in the run log."""
    # Dagster gives every partition of a single-run range the step's one metadata set;
    # each file's own figures go on its partition as an observation.
    context.log_event(
        dg.AssetObservation(asset_key=RAW_FILES, partition=key, metadata=file_metadata(result))
    )
    context.log.info(
        f"{key}: {result.get('status')} read={result.get('rows_read')} "
        f"loaded={result.get('rows_loaded')} quarantined={result.get('rows_quarantined')}"
    )


def _alert_failed(
    context: dg.AssetExecutionContext, settings: Settings, failed: list[dict[str, Any]]
) -> None:
    """Record one alert per file that hit an unexpected ingestion error."""
    for r in failed:
        record_alert(
            settings.warehouse,
            Alert(
                run_id=context.run_id,
                job_name=context.job_name,
                step_key=context.op_execution_context.op.name,
                error_type="IngestFailed",
                message=f"{r['partition']}: {r.get('message')}",
            ),
            lock_file=settings.lock_file,
        )


def _with_status(rows: list[dict[str, Any]], status: str) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("status") == status]


def _unbalanced(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Files whose rows_read is not rows_loaded + rows_quarantined (rows dropped or doubled)."""
    return [
        r
        for r in rows
        if isinstance(r.get("rows_read"), int)
        and r.get("rows_read") != (r.get("rows_loaded") or 0) + (r.get("rows_quarantined") or 0)
    ]


def results_table(rows: list[dict[str, Any]]) -> str:
    """Markdown table of the run's files: status, row counts and message."""
    if not rows:
        return "(no files)"
    return _TABLE_HEADER + "\n".join(
        f"| {r['partition']} | {r.get('status')} | {r.get('rows_read')} | {r.get('rows_loaded')} "
        f"| {r.get('rows_quarantined')} | {str(r.get('message') or '')[:120]} |"
        for r in rows
    )


def run_metadata(rows: list[dict[str, Any]], missing: list[str]) -> dict[str, Any]:
    """The run's totals (``run_*`` metadata) over its ingested files and missing partitions."""
    return {
        "run_files": len(rows),
        "run_files_loaded": len(_with_status(rows, "loaded")),
        "run_skipped": len(_with_status(rows, "skipped")),
        "run_failed": len(_with_status(rows, "failed")),
        "run_rejected": len(_with_status(rows, "rejected")),
        "run_rows_loaded": sum(int(r.get("rows_loaded") or 0) for r in rows),
        "run_rows_quarantined": sum(int(r.get("rows_quarantined") or 0) for r in rows),
        "run_missing_files": missing,
        "run_file_results": dg.MetadataValue.md(results_table(rows)),
    }


def _files_check(
    name: str, label: str, files: list[dict[str, Any]], severity: dg.AssetCheckSeverity
) -> dg.AssetCheckResult:
    """A check that passes when ``files`` is empty, listing each file's path and message."""
    return dg.AssetCheckResult(
        check_name=name,
        passed=not files,
        severity=severity,
        metadata={label: [{k: _plain(r.get(k)) for k in ("partition", "message")} for r in files]},
    )


def check_results(rows: list[dict[str, Any]]) -> list[dg.AssetCheckResult]:
    """Results of :data:`CHECK_SPECS` over the run's files."""
    rejected = _with_status(rows, "rejected")
    return [
        _files_check("no_rejected_files", "rejected", rejected, dg.AssetCheckSeverity.WARN),
        _files_check(
            "no_failed_files", "failed", _with_status(rows, "failed"), dg.AssetCheckSeverity.ERROR
        ),
        dg.AssetCheckResult(
            check_name="rows_accounted_for",
            passed=not (unbalanced := _unbalanced(rows)),
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"unbalanced_files": [r["partition"] for r in unbalanced]},
        ),
    ]
