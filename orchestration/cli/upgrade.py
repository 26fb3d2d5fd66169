"""``healthplan upgrade-storage``: move the working warehouse to the current storage format."""

from __future__ import annotations

import argparse
import sys

from orchestration.cli.execute import EXIT_RUN_FAILED
from pipelines.config import load_settings
from pipelines.locking import writer_lock


def cmd_upgrade_storage(args: argparse.Namespace) -> int:
    """Rewrite the working warehouse in the current storage format under the writer lock
    (docs/operations.md#storage-format); the published copy follows at the next publish."""
    from pipelines.storage_upgrade import upgrade_storage

    settings = load_settings()
    with writer_lock(settings.lock_file, timeout=args.wait, purpose="healthplan upgrade-storage"):
        try:
            done = upgrade_storage(settings.warehouse)
        except (FileNotFoundError, RuntimeError) as exc:
            print(f"healthplan: {exc}", file=sys.stderr)
            return EXIT_RUN_FAILED
    if done.backup is None:
        print(f"healthplan: {done.path} is already in storage format {done.now}; nothing to do")
        return 0
    rows = sum(done.rows.values())
    print(
        f"healthplan: {done.path} rewritten in storage format {done.now} (was {done.found}): "
        f"{len(done.rows)} tables, {rows:,} rows, counts checked. The old file is kept as "
        f"{done.backup}: delete it once the next run has succeeded."
    )
    return 0
