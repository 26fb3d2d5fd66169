"""Benchmark results: one JSON document per scale and a printed table with the floor ratios."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bench.measure import Stage

#: Every stage the issue asks for, in print order; ``end_to_end`` last.
STAGES = (
    "generate",
    "ingest",
    "dbt_build",
    "computed_indicators",
    "gx_validation",
    "report",
    "end_to_end",
)


@dataclass
class ScaleResult:
    """Figures of one scale: our stages, the floor of each, goals and overall peak memory."""

    scale: str
    params: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, Stage] = field(default_factory=dict)
    floors: dict[str, Stage] = field(default_factory=dict)
    goals: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    peak_mb: float | None = None
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    #: Where :meth:`checkpoint` writes the partial JSON (``None``: no checkpoints).
    out_dir: Path | None = None
    complete: bool = False

    def add(self, stage: Stage) -> Stage:
        """Add one of our stages (and checkpoint what was measured before it)."""
        self.checkpoint()
        self.stages[stage.name] = stage
        return stage

    def checkpoint(self) -> None:
        """Write the figures so far (``"complete": false``), so a long scale that is stopped
        early still leaves its measured stages behind."""
        if self.out_dir is not None:
            write_json(self, self.out_dir)

    def add_floor(self, stage: Stage) -> Stage:
        self.floors[stage.name] = stage
        return stage

    def ratio(self, name: str) -> float | None:
        """Our seconds ÷ floor seconds for stage ``name`` (``None`` if either is missing)."""
        ours, floor = self.stages.get(name), self.floors.get(name)
        if not ours or not floor or ours.status != "ok" or floor.status != "ok":
            return None
        if not ours.seconds or not floor.seconds:
            return None
        return ours.seconds / floor.seconds

    def goal(self, name: str, value: float | None, limit: float, unit: str, text: str) -> None:
        """Record a goal of the issue: met iff ``value`` < ``limit``."""
        self.goals.append(
            {
                "goal": name,
                "value": None if value is None else round(value, 4),
                "limit": limit,
                "unit": unit,
                "met": None if value is None else value < limit,
                "text": text,
            }
        )

    def as_dict(self) -> dict[str, Any]:
        names = [s for s in STAGES if s in self.stages or s in self.floors]
        names += [s for s in self.stages if s not in names]
        return {
            "scale": self.scale,
            "started_at": self.started_at,
            "params": self.params,
            "machine": machine(),
            "peak_mb": self.peak_mb,
            "stages": {
                name: {
                    "ours": self.stages[name].as_dict() if name in self.stages else None,
                    "floor": self.floors[name].as_dict() if name in self.floors else None,
                    "ratio": self.ratio(name),
                }
                for name in names
            },
            "goals": self.goals,
            "notes": self.notes,
            "complete": self.complete,
        }


def machine() -> dict[str, Any]:
    """What the figures were measured on (the machine is shared and noisy)."""
    return {
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1e6:
        return f"{value:.3g}"
    return f"{value:,.{digits}f}"


def table(result: ScaleResult) -> str:
    """A fixed-width table of one scale (what ``python -m bench.run`` prints)."""
    doc = result.as_dict()
    head = (
        f"{'stage':<20} {'ours s':>9} {'floor s':>9} {'ratio':>7} {'rows':>12} "
        f"{'rows/s':>12} {'peak MB':>9}  status"
    )
    lines = [f"== scale {result.scale} {result.params}", head, "-" * len(head)]
    for name, row in doc["stages"].items():
        ours, floor = row["ours"] or {}, row["floor"] or {}
        rows = ours.get("rows")
        lines.append(
            f"{name:<20} {_fmt(ours.get('seconds')):>9} {_fmt(floor.get('seconds'), 3):>9} "
            f"{_fmt(row['ratio'], 1):>7} {rows if rows is not None else '-':>12} "
            f"{_fmt(ours.get('rows_per_second'), 0):>12} {_fmt(ours.get('peak_mb'), 0):>9}  "
            f"{ours.get('status', '-')}"
            + (f": {ours['detail']['error'][:120]!r}" if "error" in ours.get("detail", {}) else "")
        )
    lines.append(f"peak memory of the process tree: {_fmt(result.peak_mb, 0)} MB")
    for g in result.goals:
        mark = {True: "MET", False: "MISSED", None: "n/a"}[g["met"]]
        lines.append(f"goal {g['goal']}: {_fmt(g['value'], 3)} {g['unit']} < {g['limit']} → {mark}")
    lines.extend(f"note: {n}" for n in result.notes)
    return "\n".join(lines)


def write_json(result: ScaleResult, out_dir: Path) -> Path:
    """Write ``<out_dir>/<scale>.json`` (overwriting the previous run of that scale)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{result.scale}.json"
    path.write_text(json.dumps(result.as_dict(), indent=2, default=str, ensure_ascii=False))
    return path
