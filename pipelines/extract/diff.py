"""Compare a draft framework with the frameworks already in the seeds: added, changed, missing.

Rows pair up by (indicator, target year): an identical (comparator, value, upper) pair is
``same``; a pair that differs is ``changed`` (both versions shown); a draft row with no seed row
for its indicator and year is ``added``; a seed row the draft lacks is ``missing``. A reviewer
accepts ``added`` / ``changed`` rows into ``plan_targets.csv`` and checks every ``missing`` one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DiffRow", "diff_targets", "format_diff", "read_rows", "write_diff"]

FIELDS = ("comparator", "target_value", "target_upper")


@dataclass(frozen=True)
class DiffRow:
    """One line of the diff; ``draft`` / ``seed`` is None where the row is absent."""

    status: str
    indicator_code: str
    target_year: str
    draft: dict[str, str] | None
    seed: dict[str, str] | None


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows as strings."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _norm(row: dict[str, str]) -> tuple[str, ...]:
    out = []
    for f in FIELDS:
        v = row.get(f, "").strip()
        try:
            out.append(f"{float(v):.6f}" if v else "")
        except ValueError:
            out.append(v)
    return tuple(out)


def diff_targets(draft: list[dict[str, str]], seeds: list[dict[str, str]]) -> list[DiffRow]:
    """The diff of one plan's draft targets against its seed targets (same plan_id)."""
    groups: dict[tuple[str, str], tuple[list, list]] = {}
    for row in draft:
        groups.setdefault((row["indicator_code"], row["target_year"]), ([], []))[0].append(row)
    for row in seeds:
        groups.setdefault((row["indicator_code"], row["target_year"]), ([], []))[1].append(row)
    out: list[DiffRow] = []
    for (code, year), (d_rows, s_rows) in sorted(groups.items()):
        d_left, s_left = list(d_rows), list(s_rows)
        for d in list(d_left):
            twin = next((s for s in s_left if _norm(s) == _norm(d)), None)
            if twin is not None:
                out.append(DiffRow("same", code, year, d, twin))
                d_left.remove(d)
                s_left.remove(twin)
        while d_left and s_left:
            out.append(DiffRow("changed", code, year, d_left.pop(0), s_left.pop(0)))
        out += [DiffRow("added", code, year, d, None) for d in d_left]
        out += [DiffRow("missing", code, year, None, s) for s in s_left]
    return out


def _show(row: dict[str, str] | None) -> str:
    if row is None:
        return "-"
    parts = [row["comparator"], row.get("target_value", ""), row.get("target_upper", "")]
    return " ".join(p for p in parts if p)


def format_diff(rows: list[DiffRow], show_same: bool = False) -> str:
    """The diff as text, one line per row, with a count per status first."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines = [", ".join(f"{k}: {counts.get(k, 0)}" for k in ("same", "changed", "added", "missing"))]
    for r in rows:
        if r.status == "same" and not show_same:
            continue
        quote = (r.draft or r.seed or {}).get("source_quote", "")[:50]
        lines.append(
            f"{r.status:<8} {r.indicator_code} {r.target_year}: "
            f"draft {_show(r.draft)} | seeds {_show(r.seed)} | {quote}"
        )
    return "\n".join(lines)


def write_diff(rows: list[DiffRow], path: Path) -> None:
    """The diff as CSV (status, key, draft and seed versions, the draft's target_id and quote)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["status", "indicator_code", "target_year", "draft_target_id", "draft", "seed_target_id",
             "seed", "draft_quote"]
        )  # fmt: skip
        for r in rows:
            writer.writerow(
                [r.status, r.indicator_code, r.target_year, (r.draft or {}).get("target_id", ""),
                 _show(r.draft), (r.seed or {}).get("target_id", ""), _show(r.seed),
                 (r.draft or {}).get("source_quote", "")]
            )  # fmt: skip
