"""``healthplan``: run the warehouse from the command line (headless Dagster, in-process).

Runs are recorded in the persistent Dagster instance at ``$DAGSTER_HOME`` (default
``<repo>/.dagster_home``), so ``make dev`` shows them.  Every writing command holds the warehouse
writer lock; a second one waits ``--wait`` seconds (default ``HEALTHPLAN_LOCK_TIMEOUT`` or 60) and
is then refused with a message naming the holder.

One module per command group: ``runs`` (run, ingest, validate, report), ``dbt_docs`` (prepare,
docs), ``status``, ``retract``; ``execute`` runs a job under the lock, ``parser`` holds the
arguments.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

from orchestration.cli.execute import EXIT_LOCKED, EXIT_RUN_FAILED
from orchestration.cli.parser import COMMANDS, build_parser
from pipelines.locking import WarehouseLockedError

__all__ = ["EXIT_LOCKED", "EXIT_RUN_FAILED", "build_parser", "main"]


def cmd_generate(argv: list[str]) -> int:
    """Forward to the sample/scale data generator."""
    from pipelines.generate.cli import main as generate_main

    return int(generate_main(argv) or 0)


def cmd_extract(argv: list[str]) -> int:
    """Forward to the plan-text extractor (``healthplan extract --help``)."""
    from pipelines.extract.cli import main as extract_main

    return int(extract_main(argv) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``healthplan`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Beta-API notices (backfill_policy, pools) are for developers, not for every run's output.
    warnings.filterwarnings("ignore", message=r".*currently in beta.*")
    if argv[:1] == ["generate"]:
        return cmd_generate(argv[1:])
    if argv[:1] == ["extract"]:
        return cmd_extract(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WarehouseLockedError as exc:
        print(f"healthplan: {exc}", file=sys.stderr)
        return EXIT_LOCKED
