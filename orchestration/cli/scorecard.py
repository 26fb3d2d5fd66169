"""The per-plan scorecard ``healthplan run`` prints after a run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Assessment statuses grouped into the scorecard's columns.
SCORECARD_BUCKETS: dict[str, tuple[str, ...]] = {
    "met": ("met", "met_early"),
    "not_met": ("not_met",),
    "on_track": ("on_track",),
    "off_track": ("off_track",),
    "no_data": ("no_data", "insufficient_data", "baseline_only", "reference_missing"),
}

#: Current target × regions per plan and status; :data:`SCORECARD_BUCKETS` folds the statuses.
STATUS_COUNTS = (
    "select plan_id, status, count(*) from marts.fct_target_assessment where is_latest group by all"
)


def scorecard(db_path: Path) -> list[dict[str, Any]]:
    """Per plan: how many current targets are met / not met / on track / off track / no data.

    Counted from ``marts.fct_target_assessment`` (the latest rows), one bucket of
    :data:`SCORECARD_BUCKETS` per column; ``targets`` counts every status, bucketed or not.
    """
    import duckdb

    bucket_of = {s: name for name, states in SCORECARD_BUCKETS.items() for s in states}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        counts = con.execute(STATUS_COUNTS).fetchall()
    finally:
        con.close()
    plans: dict[str, dict[str, Any]] = {}
    for plan_id, status, n in counts:
        row = plans.setdefault(
            plan_id, {"plan_id": plan_id, "targets": 0, **dict.fromkeys(SCORECARD_BUCKETS, 0)}
        )
        row["targets"] += n
        if status in bucket_of:
            row[bucket_of[status]] += n
    return [plans[p] for p in sorted(plans)]


def print_scorecard(rows: list[dict[str, Any]]) -> None:
    """Print the scorecard rows as an aligned table with a note on what is counted."""
    cols = ["plan_id", "targets", *SCORECARD_BUCKETS]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) if rows else len(c) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols))
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in cols))
    if rows:
        print(
            "(targets = target × region assessments: a target set for every town counts once per "
            "town; met includes met early; no data includes baseline only, too little data and a "
            "missing reference year; other statuses: see marts.fct_target_assessment.status)"
        )
