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

SCORECARD_FROM_MART = """
select plan_id, n_targets as targets, n_met + n_met_early as met, n_not_met as not_met,
    n_on_track as on_track, n_off_track as off_track,
    n_no_data + n_insufficient_data + n_baseline_only + n_reference_missing as no_data
from marts.mart_plan_scorecard where is_latest order by plan_id
"""


def scorecard(db_path: Path) -> list[dict[str, Any]]:
    """Per plan: how many current targets are met / not met / on track / off track / no data.

    Read from ``marts.mart_plan_scorecard``; computed from ``marts.fct_target_assessment`` if the
    mart is missing or has a different shape.
    """
    import duckdb

    buckets = ", ".join(
        f"count(*) filter (where status in ({', '.join(repr(s) for s in states)})) as {name}"
        for name, states in SCORECARD_BUCKETS.items()
    )
    from_fact = (
        f"select plan_id, count(*) as targets, {buckets} "
        "from marts.fct_target_assessment where is_latest group by plan_id order by plan_id"
    )
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        try:
            cur = con.execute(SCORECARD_FROM_MART)
        except duckdb.Error:
            cur = con.execute(from_fact)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


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
