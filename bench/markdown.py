"""``python -m bench.markdown [bench/results]``: the results JSONs as Markdown tables.

Used to paste the measured figures into ``docs/benchmark.md``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ORDER = ("tiny", "S", "M", "incremental", "L")


def _f(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def scale_table(doc: dict[str, Any]) -> str:
    """One scale's stages (ours, floor, ratio, rows/s, peak MB, status) and goals."""
    lines = [
        f"### {doc['scale']} — {doc['started_at']}",
        "",
        "| stage | ours s | floor s | ours ÷ floor | rows | rows/s | peak MB | status |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, row in doc["stages"].items():
        ours, floor = row["ours"] or {}, row["floor"] or {}
        status = ours.get("status", "–")
        if "error" in ours.get("detail", {}):
            status += ": " + ours["detail"]["error"].splitlines()[0][:100]
        rows = ours.get("rows")
        lines.append(
            f"| {name} | {_f(ours.get('seconds'))} | {_f(floor.get('seconds'), 3)} "
            f"| {_f(row.get('ratio'), 1)} | {'–' if rows is None else f'{rows:,}'} "
            f"| {_f(ours.get('rows_per_second'), 0)} | {_f(ours.get('peak_mb'), 0)} | {status} |"
        )
    lines.append("")
    lines.append(
        f"Peak memory of the process tree over the whole scale: {_f(doc['peak_mb'], 0)} MB."
    )
    for g in doc["goals"]:
        verdict = {True: "**met**", False: "**missed**", None: "n/a"}[g["met"]]
        lines.append(
            f"- goal `{g['goal']}` ({g['text']}): {_f(g['value'], 3)} {g['unit']} "
            f"vs < {g['limit']:.4g} → {verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "bench/results")
    docs = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}
    for name in sorted(docs, key=lambda n: ORDER.index(n) if n in ORDER else 99):
        print(scale_table(docs[name]))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
