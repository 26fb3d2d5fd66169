"""``python -m pipelines.ingest``: ingest HEALTHPLAN_RAW into HEALTHPLAN_WAREHOUSE, print a summary."""

from __future__ import annotations

import argparse
import sys

from pipelines.config import load_settings
from pipelines.ingest.core import ingest_all


def main(argv: list[str] | None = None) -> int:
    """Run ingestion once; exit status 1 if any file failed unexpectedly."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.ingest", description=__doc__)
    parser.add_argument("--run-id", default=None, help="run identifier stored on every row")
    args = parser.parse_args(argv)
    settings = load_settings()
    lake = settings.lake if settings.on_spark else None
    results = ingest_all(settings.warehouse, settings.raw, args.run_id, lake=lake)
    print(f"{'status':<9} {'read':>7} {'loaded':>7} {'quar.':>6}  file  (layout) — message")
    for r in results:
        print(
            f"{r.status:<9} {r.rows_read:>7} {r.rows_loaded:>7} {r.rows_quarantined:>6}  "
            f"{r.file_path}  ({r.layout or '-'}){' — ' + r.message if r.message else ''}"
        )
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    print(f"{len(results)} file(s): " + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())))
    return 1 if by_status.get("failed") else 0


if __name__ == "__main__":
    sys.exit(main())
