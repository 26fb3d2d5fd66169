"""``healthplan retract``: withdraw files removed from the landing zone, then run the main job."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from orchestration.cli.execute import EXIT_RUN_FAILED
from orchestration.cli.runs import cmd_run
from pipelines.config import load_settings
from pipelines.locking import writer_lock


def _landing_key(item: str, raw: Path) -> str:
    """A landing-zone path as ingestion records it (relative, POSIX), from what a user typed."""
    path = Path(item)
    full = path if path.is_absolute() else Path.cwd() / path
    try:
        return full.resolve().relative_to(raw.resolve()).as_posix()
    except ValueError:  # typed relative to the landing zone itself
        return path.as_posix()


def cmd_retract(args: argparse.Namespace) -> int:
    """Retract files removed from the landing zone, then run the main job so the marts follow.

    A file deleted from the landing zone is kept (its rows stay current) until retracted here;
    nothing is deleted, so earlier states stay queryable (docs/ingestion.md#arrivals).
    """
    from pipelines.db import connect_warehouse
    from pipelines.ingest import ensure_raw_schema
    from pipelines.ingest.arrivals import RetractionError, retract

    settings = load_settings()
    run_id = f"retract-{time.strftime('%Y%m%dT%H%M%S')}"
    with writer_lock(settings.lock_file, timeout=args.wait, purpose="healthplan retract"):
        con = connect_warehouse(settings.warehouse)
        try:
            ensure_raw_schema(con)
            con.begin()
            try:
                for item in args.paths:
                    done = retract(con, _landing_key(item, settings.raw), settings.raw, run_id)
                    print(f"healthplan: retracted {done.file_path} at {done.ingested_at}")
            except RetractionError as exc:
                con.rollback()
                print(f"healthplan: {exc}; nothing retracted", file=sys.stderr)
                return EXIT_RUN_FAILED
            con.commit()
        finally:
            con.close()
    return cmd_run(argparse.Namespace(force=False, wait=args.wait))
