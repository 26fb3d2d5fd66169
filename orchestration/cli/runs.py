"""The commands that run a job: ``run``, ``ingest``, ``validate``, ``report``."""

from __future__ import annotations

import argparse
import time
from typing import Any

from orchestration.cli.execute import EXIT_RUN_FAILED, dagster_instance, execute_job
from orchestration.cli.scorecard import print_scorecard, scorecard
from pipelines.config import Settings


def _latest_path(instance: Any, key: Any, field: str = "path") -> str | None:
    event = instance.get_latest_materialization_event(key)
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get(field)
    return getattr(value, "path", None) or (str(value.value) if value is not None else None)


def print_outputs(settings: Settings) -> None:
    """Where the warehouse, its published copy, the latest report and Data Docs are."""
    from orchestration.keys import DATA_DOCS, FAILURE_REPORT

    instance = dagster_instance()
    print(f"warehouse (working):      {settings.warehouse}")
    print(f"published (analysts):     {settings.published}")
    report = _latest_path(instance, FAILURE_REPORT, "html") or _latest_path(
        instance, FAILURE_REPORT
    )
    print(f"failure report:           {report or settings.reports}")
    print(f"GX Data Docs:             {_latest_path(instance, DATA_DOCS) or settings.data_docs}")


def _materializations(result: Any) -> list[Any]:
    return [
        e.event_specific_data.materialization for e in result.get_asset_materialization_events()
    ]


def cmd_run(args: argparse.Namespace) -> int:
    """The main job: every asset, headless and in-process; a no-op when nothing changed."""
    from orchestration.jobs import FULL_REFRESH
    from orchestration.keys import FULL_REFRESH_TAG, PUBLISHED

    started = time.monotonic()
    # --force rebuilds every dbt model from all raw data, not just the regions with new rows
    result, settings = execute_job(
        FULL_REFRESH,
        files=[],
        wait=args.wait,
        purpose="healthplan run",
        extra_tags={FULL_REFRESH_TAG: "true"} if args.force else None,
    )
    if not result.success:
        return EXIT_RUN_FAILED
    elapsed = time.monotonic() - started
    if not any(m.asset_key == PUBLISHED for m in _materializations(result)):
        print(
            f"\nhealthplan: up to date — run {result.run_id} found nothing new ({elapsed:.1f}s): "
            "no data ingested, models, suites and code unchanged since the last published run, "
            "so nothing was rebuilt. Use `healthplan run --force` to rebuild anyway.\n"
        )
    else:
        print(f"\nhealthplan run {result.run_id} succeeded in {elapsed:.1f}s\n")
    try:
        print_scorecard(scorecard(settings.published))
    except Exception as exc:  # a scorecard problem must not turn a good run into a failure
        print(f"(scorecard unavailable: {exc})")
    print()
    print_outputs(settings)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files (all, or the given ones) and, unless ``--only``, everything downstream."""
    from orchestration.jobs import INGEST_NEW_FILES
    from orchestration.keys import RAW_FILES

    result, _ = execute_job(
        INGEST_NEW_FILES,
        files=args.files,
        only_assets=[RAW_FILES] if args.only else None,
        wait=args.wait,
        purpose="healthplan ingest",
    )
    return 0 if result.success else EXIT_RUN_FAILED


def cmd_validate(args: argparse.Namespace) -> int:
    """Re-run the GX suites on the current marts, rebuild the report and Data Docs, publish."""
    from orchestration.jobs import REVALIDATE

    result, settings = execute_job(
        REVALIDATE, files=None, wait=args.wait, purpose="healthplan validate"
    )
    if result.success:
        print_outputs(settings)
    return 0 if result.success else EXIT_RUN_FAILED


def cmd_report(args: argparse.Namespace) -> int:
    """Rebuild the failure report (and publish) from the latest validation results."""
    from orchestration.jobs import REVALIDATE
    from orchestration.keys import FAILURE_REPORT, PUBLISHED

    result, settings = execute_job(
        REVALIDATE,
        files=None,
        only_assets=[FAILURE_REPORT, PUBLISHED],
        wait=args.wait,
        purpose="healthplan report",
    )
    if result.success:
        print_outputs(settings)
    return 0 if result.success else EXIT_RUN_FAILED
