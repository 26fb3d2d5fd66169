"""Validation history: since when a target × region has been failing (one rule, one SQL file).

Both the failure report ("failing since") and the notifier ("new since the previous run") read
:func:`failing_streaks`; the SQL is ``pipelines/sql/failing_streaks.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"


@dataclass(frozen=True)
class Streak:
    """A target × region failing at the validation asked about, and since when."""

    target_id: str
    region_id: str
    failing_since: datetime
    failing_validations: int
    last_passed_at: datetime | None

    def is_new_at(self, validated_at: datetime) -> bool:
        """True when the streak starts at ``validated_at`` (it did not fail the time before)."""
        return self.failing_since == validated_at


def read_sql(name: str) -> str:
    """The text of ``pipelines/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def failing_streaks(
    con: duckdb.DuckDBPyConnection, as_of: datetime
) -> dict[tuple[str, str], Streak]:
    """(target_id, region_id) → :class:`Streak` for every target × region failing at the target
    validation ``as_of`` (a ``validated_at`` of ``monitoring.validation_results``)."""
    rows = con.execute(read_sql("failing_streaks"), {"as_of": as_of}).fetchall()
    return {(r[0], r[1]): Streak(*r) for r in rows}


#: The view the README's "since when" query reads: the same rule, as of the latest validation.
FAILING_SINCE_VIEW = "monitoring.target_failing_since"


def ensure_monitoring_objects(con: duckdb.DuckDBPyConnection) -> None:
    """Create what monitors query even before anything went wrong: ``monitoring.alerts`` (empty
    until the first alert), ``monitoring.notification_deliveries`` and the view
    ``monitoring.target_failing_since`` (:func:`failing_streaks` as of the latest target
    validation). Idempotent; needs a writer connection."""
    from expectations.results_store import ensure_monitoring_schema
    from pipelines.alerts import ensure_alerts_table
    from pipelines.notify import ensure_table

    ensure_monitoring_schema(con)
    ensure_alerts_table(con)
    ensure_table(con)
    # as of the latest target validation, as one line of SQL without its comments
    # (failing_streaks.sql also names $as_of in its comments)
    latest = " ".join(
        line.strip()
        for line in read_sql("latest_target_validated_at").splitlines()
        if line.strip() and not line.lstrip().startswith("--")
    )
    sql = read_sql("failing_streaks").replace("$as_of", latest)
    con.execute(f"create or replace view {FAILING_SINCE_VIEW} as\n{sql}")
