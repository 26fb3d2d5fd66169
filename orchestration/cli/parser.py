"""The ``healthplan`` argument parser and which function runs each subcommand."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from orchestration.cli.dbt_docs import cmd_docs, cmd_prepare
from orchestration.cli.retract import cmd_retract
from orchestration.cli.runs import cmd_ingest, cmd_report, cmd_run, cmd_validate
from orchestration.cli.status import cmd_status
from orchestration.cli.upgrade import cmd_upgrade_storage

DESCRIPTION = (
    "``healthplan``: run the warehouse from the command line (headless Dagster, in-process)."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and ``--help``)."""
    parser = argparse.ArgumentParser(prog="healthplan", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_wait(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--wait",
            type=float,
            default=None,
            metavar="SECONDS",
            help="how long to wait for another writer (default HEALTHPLAN_LOCK_TIMEOUT or 60)",
        )
        return p

    p = with_wait(
        sub.add_parser("run", help="the main job: ingest, build, validate, report, publish")
    )
    p.add_argument(
        "--force", action="store_true", help="rebuild even when nothing changed since the last run"
    )
    p = with_wait(sub.add_parser("ingest", help="ingest landing-zone files (+ downstream)"))
    p.add_argument("files", nargs="*", help="files to (re-)ingest; default: all in the zone")
    p.add_argument("--only", action="store_true", help="ingest only; do not rebuild downstream")
    with_wait(sub.add_parser("validate", help="re-run GX suites, rebuild report, publish"))
    with_wait(sub.add_parser("report", help="rebuild the failure report and publish"))
    sub.add_parser("prepare", help="dbt parse → manifest (needed by Dagster)")
    p = with_wait(sub.add_parser("docs", help="dbt docs generate into a folder"))
    p.add_argument("--out", help="output folder (default <reports>/dbt_docs)")
    sub.add_parser("status", help="paths, writer lock, recent runs, alerts")
    p = with_wait(sub.add_parser("retract", help="retract files removed from the landing zone"))
    p.add_argument("paths", nargs="+", help="landing-zone paths (relative to HEALTHPLAN_RAW)")
    with_wait(
        sub.add_parser(
            "upgrade-storage", help="rewrite the warehouse in the current DuckDB storage format"
        )
    )
    sub.add_parser("generate", help="synthetic/sample data (see healthplan generate --help)")
    sub.add_parser("extract", help="plan text → draft framework (see healthplan extract --help)")
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": cmd_run,
    "ingest": cmd_ingest,
    "validate": cmd_validate,
    "report": cmd_report,
    "prepare": cmd_prepare,
    "docs": cmd_docs,
    "status": cmd_status,
    "retract": cmd_retract,
    "upgrade-storage": cmd_upgrade_storage,
}
