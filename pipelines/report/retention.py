"""The failure report's run folders: their names, and how many are kept.

Every run that validates writes a new folder ``<date>_<time>_<trigger>/`` (≈ 240 MB at the
benchmark's scale M: the national list of missed targets as HTML, CSV and JSON), and a sensor
writes one per arriving file. Without a limit the reports folder grows until the disk is full.
The findings' history does not live in these folders (``monitoring.validation_results`` keeps
every verdict change, docs/monitoring.md), so only the newest ``keep`` run folders are kept.
``latest/`` holds hard links to the newest run's files and is never touched; nothing that is not
a run folder is removed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pipelines.report.timefmt import to_beijing

#: A run folder's name as :func:`folder_name` writes it for a validation (a report without one,
#: ``no-validation_<trigger>``, is rewritten in place and never pruned).
RUN_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{4}_[A-Za-z0-9_-]+$")


def folder_name(validated_at: str, trigger: str) -> str:
    """``2026-12-05_0600_schedule``: the validation's Beijing date and time and the trigger."""
    local = to_beijing(validated_at)
    stamp = local.strftime("%Y-%m-%d_%H%M") if local else "no-validation"
    return f"{stamp}_{re.sub(r'[^A-Za-z0-9_-]+', '_', trigger or 'manual')}"


def run_folders(root: Path) -> list[Path]:
    """The run folders under ``root`` (``<reports>/failure_report``), oldest first.

    Names start with the validation's Beijing date and time, so their order is their age.
    """
    if not root.is_dir():
        return []
    return sorted(
        (p for p in root.iterdir() if p.is_dir() and RUN_FOLDER.match(p.name)),
        key=lambda p: p.name,
    )


def prune_run_folders(root: Path, keep: int, current: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` run folders under ``root``; return what was deleted.

    ``keep`` ≤ 0 keeps every folder. ``current`` (the folder just written) is never deleted,
    even if an older validation was reported after a newer one.
    """
    if keep <= 0:
        return []
    folders = run_folders(root)
    removed = []
    for folder in folders[: max(len(folders) - keep, 0)]:
        if current is not None and folder.resolve() == current.resolve():
            continue
        shutil.rmtree(folder)
        removed.append(folder)
    return removed
