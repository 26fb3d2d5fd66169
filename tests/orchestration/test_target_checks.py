"""The per-plan target checks read their rows from the warehouse: every expectation row of the
validation, and of each suite's failing elements only the first ones listed (binding first)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb

from expectations.results_store import ResultRow, append_rows, ensure_monitoring_schema
from orchestration.assets.validation import MAX_LISTED, _target_results, target_check_result

T0 = datetime(2026, 12, 5, 6, 0)


def _row(run_id: str, at: datetime, suite: str, kind: str, **kw: object) -> ResultRow:
    base: dict[str, object] = {
        "run_id": run_id,
        "validated_at": at,
        "suite_name": suite,
        "expectation_type": "expect_column_values_to_be_between",
        "expectation_id": kw.pop("expectation_id", "e1"),
        "target_id": kw.pop("target_id", "t1"),
        "plan_id": suite.removeprefix("targets__"),
        "indicator_code": "life_expectancy",
        "region_id": kw.pop("region_id", None),
        "year": 2025,
        "success": kw.pop("success", False),
        "observed_value": 1.0,
        "threshold": ">= 2",
        "severity": kw.pop("severity", "warning"),
        "lead_department": None,
        "nature": None,
        "source_quote": None,
        "message": "",
        "row_kind": kind,
        "is_structural": False,
    }
    return ResultRow(**base)  # type: ignore[arg-type]


def _warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Run r1 validated two plans twice (only the later validation counts), r0 one plan earlier;
    plan a has more failing elements than a check lists, two of them binding."""
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    ensure_monitoring_schema(con)
    rows = [_row("r0", T0, "targets__a", "expectation", success=True)]
    late = T0 + timedelta(hours=1)
    for at in (T0 + timedelta(minutes=30), late):
        rows.append(_row("r1", at, "targets__a", "expectation"))
        rows.append(_row("r1", at, "targets__b", "expectation", success=True))
        rows += [
            _row(
                "r1",
                at,
                "targets__a",
                "element",
                region_id=f"region_{i:03d}",
                target_id=f"t{i % 7}",
                severity="critical" if i in (60, 61) else "warning",
            )
            for i in range(MAX_LISTED + 12)
        ]
    rows.append(_row("r1", late, "quality__stg_observations", "element", region_id="x"))
    append_rows(con, rows)
    return con


def test_a_check_lists_the_first_failing_rows_binding_first_and_counts_them_all(
    tmp_path: Path,
) -> None:
    con = _warehouse(tmp_path)
    validated, rows = _target_results(con, "r1")
    assert validated == "r1"
    # one validation (the later), target suites only, elements cut at MAX_LISTED per suite
    assert {r["validated_at"] for r in rows} == {T0 + timedelta(hours=1)}
    assert {r["suite_name"] for r in rows} == {"targets__a", "targets__b"}
    elements = [r for r in rows if r["row_kind"] == "element"]
    assert len(elements) == MAX_LISTED
    a = target_check_result(rows, "a", validated)
    assert not a.passed and a.severity == dg.AssetCheckSeverity.WARN
    listed = a.metadata["failures"].value
    assert [r["severity"] for r in listed[:2]] == ["critical", "critical"]  # type: ignore[index]
    assert len(listed) == MAX_LISTED  # type: ignore[arg-type]
    assert "… 12 more" in str(a.metadata["failure_table"].value)
    assert a.metadata["failed_expectations"].value == 1
    b = target_check_result(rows, "b", validated)
    assert b.passed and "more" not in str(b.metadata["failure_table"].value)


def test_checks_run_alone_report_the_latest_target_validation(tmp_path: Path) -> None:
    con = _warehouse(tmp_path)
    validated, rows = _target_results(con, "a run that validated nothing")
    assert validated == "r1" and rows
    empty = duckdb.connect(str(tmp_path / "empty.duckdb"))
    assert _target_results(empty, "r1") == (None, [])
