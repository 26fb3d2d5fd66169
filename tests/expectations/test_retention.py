"""Retention of monitoring.validation_results (issue 20 §6): every verdict change kept, identical
repeats compacted into streaks, and the README's "failing since" query answers the same."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from expectations.results_store import ResultRow, append_rows, compact, store
from pipelines.config import PROJECT_ROOT
from pipelines.history import ensure_monitoring_objects, failing_streaks

START = datetime(2026, 1, 1, 8, 0, 0)
#: per run: (target T1 passes?, T1's observed value, target T2 passes?)
HISTORY = [
    (False, 70.0, True),
    (False, 70.0, True),
    (True, 80.0, True),
    (False, 71.0, False),
    (False, 71.0, False),
    (False, 71.0, False),
    (False, 72.0, False),  # a new value is a new verdict, though still failing
    (False, 72.0, False),
]


def _readme_failing_since() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"```sql\n(\s*select target_id, region_id, failing_since.*?)```", readme, re.S
    )
    assert match, "README lost its 'failing since' query"
    return match.group(1)


def _since_when() -> str:
    guide = (PROJECT_ROOT / "docs" / "monitoring.md").read_text(encoding="utf-8")
    return guide.split("<!-- since-when -->")[1].split("```sql")[1].split("```")[0]


def _rows(run: int, t1_ok: bool, t1_value: float, t2_ok: bool) -> list[ResultRow]:
    at = START + timedelta(days=run)
    # T1 also fails in a second region in every run, so T1's target-level row never passes: the
    # pass of T1 × jiangyin in run 3 is visible only through the element rows and the run list.
    rows = [
        ResultRow(
            run_id=f"run-{run}",
            validated_at=at,
            suite_name="targets__plan",
            expectation_type="expect_target_met",
            expectation_id="targets__plan:T1",
            target_id="T1",
            plan_id="plan",
            indicator_code="life_expectancy",
            region_id="wuxi",
            year=2025,
            threshold="≥ 75",
            severity="critical",
            lead_department=None,
            nature="binding",
            source_quote=None,
            message=f"run {run}",
            is_structural=False,
            success=False,
            observed_value=60.0,
            row_kind="element",
        )
    ]
    for target, ok, value in (("T1", t1_ok, t1_value), ("T2", t2_ok, 5.0)):
        base = dict(
            run_id=f"run-{run}",
            validated_at=at,
            suite_name="targets__plan",
            expectation_type="expect_target_met",
            expectation_id=f"targets__plan:{target}",
            target_id=target,
            plan_id="plan",
            indicator_code="life_expectancy",
            region_id="jiangyin",
            year=2025,
            threshold="≥ 75",
            severity="critical",
            lead_department=None,
            nature="binding",
            source_quote=None,
            message=f"run {run}",
            is_structural=False,
        )
        target_ok = ok and target != "T1"  # T1 always fails in wuxi
        rows.append(
            ResultRow(**base, success=target_ok, observed_value=value, row_kind="expectation")
        )
        if not ok:  # a failing element row only while failing
            rows.append(ResultRow(**base, success=False, observed_value=value, row_kind="element"))
    return rows


@pytest.fixture
def databases(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]:
    full = duckdb.connect(str(tmp_path / "full.duckdb"))
    kept = duckdb.connect(str(tmp_path / "compacted.duckdb"))
    yield full, kept
    full.close()
    kept.close()


def test_compaction_keeps_every_verdict_change_and_failing_since(databases) -> None:
    full, kept = databases
    removed = 0
    for run, (t1_ok, t1_value, t2_ok) in enumerate(HISTORY, start=1):
        rows = _rows(run, t1_ok, t1_value, t2_ok)
        append_rows(full, rows)
        append_rows(kept, rows)
        removed += compact(kept, keep_runs=1)  # as after every validation
        assert compact(full, keep_runs=len(HISTORY)) == 0  # registers the run, keeps every row
        # the README's "failing since" / "last seen" and the monitors' guide's "since when"
        # (current streak) answer the same after every run
        for con in (full, kept):
            ensure_monitoring_objects(con)
        for query in (_readme_failing_since(), _since_when()):
            assert sorted(kept.execute(query).fetchall()) == sorted(full.execute(query).fetchall())
        at = START + timedelta(days=run)
        assert failing_streaks(kept, at) == failing_streaks(full, at)
    # T1 × jiangyin passed in run 3, so its current streak starts at run 4 even though T1's
    # target-level row (failing in wuxi) was compacted across that run
    streak = failing_streaks(kept, START + timedelta(days=len(HISTORY)))[("T1", "jiangyin")]
    assert streak.failing_since == START + timedelta(days=4)
    assert streak.failing_validations == len(HISTORY) - 3
    assert removed > 0
    (n_full,) = full.execute("select count(*) from monitoring.validation_results").fetchone()
    (n_kept,) = kept.execute("select count(*) from monitoring.validation_results").fetchone()
    assert n_kept < n_full
    # T1's expectation row: one row per streak of identical verdicts, with its length
    streaks = kept.execute(
        "select run_id, success, observed_value, coalesce(last_run_id, run_id), "
        "coalesce(n_runs, 1) from monitoring.validation_results "
        "where target_id = 'T1' and row_kind = 'expectation' order by validated_at"
    ).fetchall()
    assert streaks == [
        ("run-1", False, 70.0, "run-2", 2),
        ("run-3", False, 80.0, "run-3", 1),  # fails in wuxi; a new value is a new verdict
        ("run-4", False, 71.0, "run-6", 3),
        ("run-7", False, 72.0, "run-7", 1),
        ("run-8", False, 72.0, "run-8", 1),  # the newest run stays whole
    ]
    # T1's element rows: the pass in run 3 broke the streak (no element row then)
    elements = kept.execute(
        "select run_id, coalesce(last_run_id, run_id) from monitoring.validation_results "
        "where target_id = 'T1' and region_id = 'jiangyin' and row_kind = 'element' "
        "order by validated_at"
    ).fetchall()
    assert elements == [
        ("run-1", "run-2"),
        ("run-4", "run-6"),
        ("run-7", "run-7"),
        ("run-8", "run-8"),
    ]
    # idempotent: compacting again removes nothing
    assert compact(kept, keep_runs=1) == 0


def test_the_latest_run_is_read_whole_by_the_report(databases) -> None:
    _, kept = databases
    for run, (t1_ok, t1_value, t2_ok) in enumerate(HISTORY, start=1):
        append_rows(kept, _rows(run, t1_ok, t1_value, t2_ok))
        compact(kept, keep_runs=1)
    latest = kept.execute(
        "select count(*) from monitoring.validation_results where run_id = 'run-8'"
    ).fetchone()
    assert latest == (len(_rows(8, *HISTORY[-1])),)


def test_store_appends_and_compacts_in_one_transaction_as_the_two_steps_do(tmp_path: Path) -> None:
    """``store`` (what a validation run calls) leaves what ``append_rows`` then ``compact`` leave,
    and a failing retention statement leaves the run's rows unwritten too."""
    one = duckdb.connect(str(tmp_path / "one.duckdb"))
    two = duckdb.connect(str(tmp_path / "two.duckdb"))
    removed = 0
    for run, (t1_ok, t1_value, t2_ok) in enumerate(HISTORY, start=1):
        rows = _rows(run, t1_ok, t1_value, t2_ok)
        appended, gone = store(one, rows, keep_runs=1)
        assert appended == len(rows)
        removed += gone
        append_rows(two, rows)
        assert gone == compact(two, keep_runs=1)
    table = "select * from monitoring.validation_results order by all"
    assert removed > 0
    assert one.execute(table).fetchall() == two.execute(table).fetchall()
    (count,) = one.execute("select count(*) from monitoring.validation_results").fetchone()
    with pytest.raises(duckdb.Error):
        store(one, _rows(99, True, 1.0, True), keep_runs=-1)  # LIMIT -1 is refused
    assert one.execute("select count(*) from monitoring.validation_results").fetchone() == (count,)
    one.close()
    two.close()
