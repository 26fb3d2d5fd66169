"""The commands that only drive dbt: ``prepare`` (the manifest) and ``docs``."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from pipelines.config import DBT_PROJECT_DIR, load_settings
from pipelines.locking import writer_lock


def cmd_prepare(args: argparse.Namespace) -> int:
    """``dbt parse``: write the manifest Dagster builds its dbt assets from (always parses; a run
    parses only when the dbt inputs changed since the last parse)."""
    from orchestration.project import prepare_manifest

    print(f"dbt manifest: {prepare_manifest(force=True)}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """``dbt docs generate --static`` into a folder and say how to open it."""
    from orchestration.project import dbt_executable, prepare_manifest

    settings = load_settings()
    out = Path(args.out).resolve() if args.out else settings.reports / "dbt_docs"
    with writer_lock(settings.lock_file, timeout=args.wait, purpose="healthplan docs"):
        prepare_manifest()
        cmd = [
            dbt_executable(),
            "docs",
            "generate",
            "--static",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(out),
        ]
        proc = subprocess.run(cmd, cwd=DBT_PROJECT_DIR, env=settings.dbt_env())
    if proc.returncode != 0:
        return proc.returncode
    print(
        f"\ndbt docs: {out / 'static_index.html'} (one self-contained file; open it in a browser)"
    )
    print(f"or serve the folder: python -m http.server -d {out} 8080  → http://127.0.0.1:8080")
    return 0
