"""The monitors' failure report: one offline HTML page plus CSV and JSON of the same rows.

Usage::

    from pipelines.report import build_failure_report
    paths = build_failure_report(db_path, run_id, settings.reports)

Files go to ``<out_dir>/failure_report/<run_id>/failure_report.{html,csv,json}`` and are copied
to ``<out_dir>/failure_report/latest/``. See docs/monitoring.md for how to read them.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.report.html import render_html
from pipelines.report.jsonfile import dumps_report
from pipelines.report.rows import ReportData, ReportRow, load_report_data

__all__ = ["ReportPaths", "ReportRow", "build_failure_report", "load_report_data"]


@dataclass(frozen=True)
class ReportPaths:
    """Where the report went and what it holds."""

    html: Path
    csv: Path
    json: Path
    latest_dir: Path
    run_id: str
    rows: int
    binding_rows: int


CSV_COLUMNS = [
    f for f in ReportRow.__dataclass_fields__ if f not in ("trend_years", "trend_values")
]


def _safe(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id) or "run"


def _write_csv(path: Path, data: ReportData) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens UTF-8 right
        writer = csv.writer(fh)
        writer.writerow([*CSV_COLUMNS, "trend"])
        for row in data.rows:
            d = row.as_dict()
            trend = ";".join(
                f"{y}:{v:.6g}" for y, v in zip(row.trend_years, row.trend_values, strict=True)
            )
            writer.writerow([("" if d[c] is None else d[c]) for c in CSV_COLUMNS] + [trend])


def _write_json(path: Path, data: ReportData) -> None:
    head = {
        "run_id": data.run_id,
        "validated_at": data.validated_at,
        "targets_checked": data.n_targets_checked,
        "missed": len(data.rows),
        "binding_missed": sum(r.severity == "critical" for r in data.rows),
    }
    # Same bytes as json.dumps(payload, ensure_ascii=False, indent=2, default=str), faster.
    text = dumps_report(
        head, "rows", (r.as_dict() for r in data.rows), {"data_quality": data.quality}
    )
    path.write_text(text + "\n", encoding="utf-8")


def build_failure_report(db_path: Path, run_id: str, out_dir: Path) -> ReportPaths:
    """Render the failure report of a validation run.

    Args:
        db_path: the warehouse (opened read-only).
        run_id: the run whose target validation to report; if it validated no targets, the
            latest target validation is reported instead.
        out_dir: the reports folder (``pipelines.config.load_settings().reports``).

    Returns:
        The written paths and row counts.
    """
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        data = load_report_data(con, run_id)
    finally:
        con.close()
    folder = Path(out_dir) / "failure_report" / _safe(data.run_id)
    folder.mkdir(parents=True, exist_ok=True)
    html_path, csv_path, json_path = (
        folder / f"failure_report.{ext}" for ext in ("html", "csv", "json")
    )
    html_path.write_text(render_html(data), encoding="utf-8")
    _write_csv(csv_path, data)
    _write_json(json_path, data)
    latest = Path(out_dir) / "failure_report" / "latest"
    latest.mkdir(parents=True, exist_ok=True)
    for path in (html_path, csv_path, json_path):
        shutil.copyfile(path, latest / path.name)
    return ReportPaths(
        html=html_path,
        csv=csv_path,
        json=json_path,
        latest_dir=latest,
        run_id=data.run_id,
        rows=len(data.rows),
        binding_rows=sum(r.severity == "critical" for r in data.rows),
    )
