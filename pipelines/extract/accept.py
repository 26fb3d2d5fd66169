"""Accept a reviewed draft into the seeds: its plan, domains and targets rows.

Refused, with every reason listed, while the draft is not ready: a target still flagged
(``review.csv`` ``needs_review = yes``; the reviewer sets ``no`` once a row is checked), a
proposed indicator (``new_…``) not yet in ``indicators.csv``, a region ``regions.csv`` lacks, or a
quote that is not in ``source_text.txt``. A plan the seeds already hold is replaced only with
``replace=True`` (its previous rows are removed first). Also refused: a blank cell in a column
the seed's own YAML declares ``not_null`` (unconditionally) — a draft leaves ``domain_en`` for the
reviewer to write, and dbt would fail the seed's test after the accept. Rows are appended in the
draft's order; the seed files keep their header and quoting.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

__all__ = ["AcceptError", "accept_draft"]

TABLES = ("plans", "plan_domains", "plan_targets")


class AcceptError(ValueError):
    """The draft is not ready to join the seeds; the message lists every reason."""


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def required_columns(seeds_dir: Path, name: str) -> list[str]:
    """Columns of seed ``name`` with an unconditional ``not_null`` test in its YAML."""
    path = seeds_dir / f"{name}.yml"
    if not path.exists():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for seed in doc.get("seeds", []):
        for col in seed.get("columns", []) if seed.get("name") == name else []:
            for test in col.get("data_tests", []) or []:
                spec: Any = test.get("not_null") if isinstance(test, dict) else None
                if test == "not_null" or (
                    isinstance(test, dict)
                    and "not_null" in test
                    and not ((spec or {}).get("config") or {}).get("where")
                ):
                    out.append(col["name"])
    return out


def _blank_required(draft_dir: Path, seeds_dir: Path) -> list[str]:
    problems = []
    for name in TABLES:
        required = required_columns(seeds_dir, name)
        for i, row in enumerate(_read(draft_dir / f"{name}.csv")[1], start=2):
            for col in required:
                if not (row.get(col) or "").strip():
                    problems.append(
                        f"{name}.csv row {i}: {col} is blank (not_null in seeds/{name}.yml)"
                    )
    return problems


def _problems(draft_dir: Path, seeds_dir: Path, replace: bool) -> list[str]:
    problems = _blank_required(draft_dir, seeds_dir)
    _, plans = _read(draft_dir / "plans.csv")
    _, targets = _read(draft_dir / "plan_targets.csv")
    plan_id = plans[0]["plan_id"]
    review_path = draft_dir / "review.csv"
    review = _read(review_path)[1] if review_path.exists() else []
    ids = {t["target_id"] for t in targets}
    for r in review:
        if r["target_id"] in ids and r["needs_review"].strip().lower() == "yes":
            problems.append(f"{r['target_id']}: still needs review ({r['reason'][:60]})")
    codes = {r["indicator_code"] for r in _read(seeds_dir / "indicators.csv")[1]}
    for t in targets:
        if t["indicator_code"] not in codes:
            problems.append(
                f"{t['target_id']}: indicator {t['indicator_code']!r} not in indicators.csv"
            )
    regions = {r["region_id"] for r in _read(seeds_dir / "regions.csv")[1]}
    if plans[0]["region_id"] not in regions:
        problems.append(f"plan {plan_id}: region {plans[0]['region_id']!r} not in regions.csv")
    text_path = draft_dir / "source_text.txt"
    text = text_path.read_text(encoding="utf-8") if text_path.exists() else None
    for t in targets:
        if text is not None and t["source_quote"] not in text:
            problems.append(f"{t['target_id']}: quote not verbatim in source_text.txt")
    if not replace and any(p["plan_id"] == plan_id for p in _read(seeds_dir / "plans.csv")[1]):
        problems.append(f"plan {plan_id} is already in the seeds (accept with replace)")
    return problems


def accept_draft(draft_dir: Path, seeds_dir: Path, replace: bool = False) -> dict[str, int]:
    """Append the draft's rows to the seeds; returns rows written per table.

    Raises:
        AcceptError: the draft is not ready (every reason in the message); nothing is written.
    """
    problems = _problems(draft_dir, seeds_dir, replace)
    if problems:
        raise AcceptError(f"{draft_dir}: not accepted:\n  " + "\n  ".join(problems))
    plan_id = _read(draft_dir / "plans.csv")[1][0]["plan_id"]
    written = {}
    for name in TABLES:
        header, rows = _read(seeds_dir / f"{name}.csv")
        draft_header, draft_rows = _read(draft_dir / f"{name}.csv")
        if draft_header != header:
            raise AcceptError(f"{draft_dir / (name + '.csv')}: columns differ from the seed's")
        kept = [r for r in rows if r["plan_id"] != plan_id]
        with (seeds_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(kept + draft_rows)
        written[name] = len(draft_rows)
    return written
