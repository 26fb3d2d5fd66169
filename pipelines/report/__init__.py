"""The monitors' failure report: one offline HTML page plus CSV and JSON of the same rows.

Usage::

    from pipelines.report import build_failure_report
    paths = build_failure_report(db_path, run_id, settings.reports, trigger="schedule")

Files go to ``<out_dir>/failure_report/<date>_<time>_<trigger>/failure_report.{html,csv,json}``
(the validation's Beijing date and time and what started the run: ``schedule``, ``sensor`` or
``manual``; never the run's UUID) and are hard-linked into ``<out_dir>/failure_report/latest/``
(the same files, not written twice). Only the newest ``keep`` run folders are kept
(:mod:`pipelines.report.retention`). See docs/monitoring.zh.md (Chinese) and docs/monitoring.md
for how to read them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import duckdb

from pipelines.config import REPORTS_KEEP_DEFAULT
from pipelines.report.csvfile import joined_column, trend_column, write_csv
from pipelines.report.html import render_html
from pipelines.report.jsonfile import encode_rows, report_parts
from pipelines.report.load import collector_paused, load_report_data
from pipelines.report.retention import folder_name, prune_run_folders
from pipelines.report.rows import LIST_FIELDS, ROW_FIELDS, ReportData, ReportRow
from pipelines.report.timefmt import beijing, run_name

__all__ = ["ReportPaths", "ReportRow", "build_failure_report", "load_report_data"]


@dataclass(frozen=True)
class ReportPaths:
    """Where the report went and what it holds."""

    html: Path
    csv: Path
    json: Path
    latest_dir: Path
    run_id: str
    run_name: str
    rows: int
    binding_rows: int
    #: older run folders deleted by the retention (``keep``)
    folders_pruned: int = 0


CSV_COLUMNS = [f for f in ReportRow.__dataclass_fields__ if f not in LIST_FIELDS]


def _write_csv(path: Path, data: ReportData) -> None:
    columns = data.field_columns()
    write_csv(
        path,
        [*CSV_COLUMNS, "departments", "trend"],
        [
            *(columns[name] for name in CSV_COLUMNS),
            joined_column(columns["departments"]),
            trend_column(columns["trend_years"], columns["trend_values"]),
        ],
    )


def _write_json(path: Path, data: ReportData, trigger: str) -> None:
    head = {
        "run": run_name(data.validated_at, trigger) if data.validated_at else "",
        "trigger": trigger,
        "run_id": data.run_id,
        "validated_at": data.validated_at,
        "validated_at_beijing": beijing(data.validated_at, with_seconds=True),
        "targets_checked": data.n_targets_checked,
        "missed": len(data.rows),
        "binding_missed": data.n_binding(),
    }
    # One row per line (pipelines/report/jsonfile.py): json.load reads the whole payload.
    columns = data.field_columns()
    rows = encode_rows(ROW_FIELDS, [columns[name] for name in ROW_FIELDS]) if data.rows else []
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(report_parts(head, "rows", rows, {"data_quality": data.quality}))
        fh.write("\n")


def _replace(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` through a temporary file beside it, swapped in with ``os.replace``: a
    reader never sees half a file, and a file linked from ``latest/`` is never rewritten."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _link_or_copy(src: Path, dst: Path) -> None:
    """``dst`` as a hard link to ``src`` (the same bytes, not written twice: ≈ 300 MB at M), or
    a copy where the file system has no hard links."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def build_failure_report(
    db_path: Path,
    run_id: str,
    out_dir: Path,
    trigger: str = "manual",
    keep: int = REPORTS_KEEP_DEFAULT,
) -> ReportPaths:
    """Render the failure report of a validation run.

    Args:
        db_path: the warehouse (opened read-only).
        run_id: the run whose target validation to report; if it validated no targets, the
            latest target validation is reported instead.
        out_dir: the reports folder (``pipelines.config.load_settings().reports``).
        trigger: what started the run (``schedule``, ``sensor``, ``manual``;
            ``pipelines.report.timefmt.trigger_from_tags`` reads it from Dagster run tags).
        keep: run folders kept, the newest first (``Settings.reports_keep``); 0 keeps all.

    Returns:
        The written paths and row counts.
    """
    with collector_paused():
        paths = _build(db_path, run_id, out_dir, trigger)
    pruned = prune_run_folders(Path(out_dir) / "failure_report", keep, paths.html.parent)
    return replace(paths, folders_pruned=len(pruned))


def _build(db_path: Path, run_id: str, out_dir: Path, trigger: str) -> ReportPaths:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        data = load_report_data(con, run_id)
    finally:
        con.close()
    folder = Path(out_dir) / "failure_report" / folder_name(data.validated_at, trigger)
    folder.mkdir(parents=True, exist_ok=True)
    html_path, csv_path, json_path = (
        folder / f"failure_report.{ext}" for ext in ("html", "csv", "json")
    )
    _replace(html_path, lambda tmp: tmp.write_text(render_html(data, trigger), encoding="utf-8"))
    _replace(csv_path, lambda tmp: _write_csv(tmp, data))
    _replace(json_path, lambda tmp: _write_json(tmp, data, trigger))
    latest = Path(out_dir) / "failure_report" / "latest"
    latest.mkdir(parents=True, exist_ok=True)
    for path in (html_path, csv_path, json_path):
        _replace(latest / path.name, partial(_link_or_copy, path))
    return ReportPaths(
        html=html_path,
        csv=csv_path,
        json=json_path,
        latest_dir=latest,
        run_id=data.run_id,
        run_name=run_name(data.validated_at, trigger) if data.validated_at else "",
        rows=len(data.rows),
        binding_rows=data.n_binding(),
    )
