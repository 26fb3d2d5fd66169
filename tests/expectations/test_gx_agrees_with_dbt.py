"""One set of rules, two engines: GX's verdict equals dbt's `threshold_met` for every target.

Runs a real `dbt build` over the project's real plan seeds (see dbt_warehouse.py), then the GX
target suites over the resulting `marts.fct_target_assessment`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from dbt_warehouse import build_dbt_warehouse

from expectations.runner import ValidationRun, run_quality_validation, run_target_validation

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def dbt_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dbt_warehouse(tmp_path_factory.getbasetemp() / "gx_dbt_build")


@pytest.fixture(scope="session")
def dbt_target_run(dbt_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> ValidationRun:
    return run_target_validation(dbt_warehouse, "gx-vs-dbt", tmp_path_factory.mktemp("docs"))


def _latest(db: Path) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(
            "select target_id, region_id, comparator, verdict_value, threshold_met, status, "
            "severity from marts.fct_target_assessment where is_latest"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_every_target_verdict_matches_threshold_met(
    dbt_warehouse: Path, dbt_target_run: ValidationRun
) -> None:
    rows = _latest(dbt_warehouse)
    failing = {(f.target_id, f.region_id) for s in dbt_target_run.suites for f in s.failures}
    judged = [r for r in rows if r["verdict_value"] is not None and r["threshold_met"] is not None]
    # The synthetic series must exercise both outcomes for the comparison to mean anything.
    assert sum(not r["threshold_met"] for r in judged) >= 20
    assert sum(bool(r["threshold_met"]) for r in judged) >= 20
    mismatches = [
        (r["target_id"], r["region_id"], r["comparator"], r["verdict_value"], r["threshold_met"])
        for r in judged
        if ((r["target_id"], r["region_id"]) not in failing) != bool(r["threshold_met"])
    ]
    assert mismatches == []
    unjudged = {(r["target_id"], r["region_id"]) for r in rows if r["threshold_met"] is None}
    assert unjudged.isdisjoint(failing)


def _gx_outcomes() -> dict[str, str]:
    """status → gx_outcome from the status vocabulary seed (the one list of statuses)."""
    from pipelines.config import SEEDS_DIR

    with (SEEDS_DIR / "assessment_statuses.csv").open(encoding="utf-8", newline="") as f:
        return {r["status"]: r["gx_outcome"] for r in csv.DictReader(f)}


def test_failures_equal_the_statuses_gx_fails(
    dbt_warehouse: Path, dbt_target_run: ValidationRun
) -> None:
    outcomes = _gx_outcomes()
    rows = _latest(dbt_warehouse)
    assert {r["status"] for r in rows} <= set(outcomes)  # dbt assigns only seed statuses
    missed = {(r["target_id"], r["region_id"]) for r in rows if outcomes[r["status"]] == "fail"}
    failing = {(f.target_id, f.region_id) for s in dbt_target_run.suites for f in s.failures}
    assert failing == missed
    # every status dbt assigns with a pass outcome is never failed by GX, whatever its value
    passed = {(r["target_id"], r["region_id"]) for r in rows if outcomes[r["status"]] == "pass"}
    assert passed.isdisjoint(failing)


def test_results_carry_the_data_year_source_and_nature(
    dbt_warehouse: Path, dbt_target_run: ValidationRun
) -> None:
    with duckdb.connect(str(dbt_warehouse), read_only=True) as con:
        elements = con.execute(
            "select v.status, v.data_year, v.data_source, v.data_nature, v.ci_lower, v.ci_upper, "
            "a.status, a.latest_year, a.latest_source, a.latest_data_nature, a.latest_ci_lower, "
            "a.latest_ci_upper from monitoring.validation_results as v "
            "join marts.fct_target_assessment as a on a.is_latest "
            "and a.target_id = v.target_id and a.region_id = v.region_id "
            "where v.run_id = 'gx-vs-dbt' and v.row_kind = 'element'"
        ).fetchall()
    assert elements
    for row in elements:
        assert row[:6] == row[6:]
        assert row[1] is not None and row[3] is not None  # a failure always rests on a data year


def test_every_target_with_a_threshold_has_an_expectation(
    dbt_warehouse: Path, dbt_target_run: ValidationRun
) -> None:
    with duckdb.connect(str(dbt_warehouse), read_only=True) as con:
        expected = {
            r[0]
            for r in con.execute(
                "select target_id from reference.plan_targets where comparator <> 'none'"
            ).fetchall()
        }
    covered = {e.meta["target_id"] for s in dbt_target_run.suites for e in s.expectations}
    assert covered == expected


def test_severity_matches_the_marts_severity(
    dbt_warehouse: Path, dbt_target_run: ValidationRun
) -> None:
    mart = {(r["target_id"], r["region_id"]): r["severity"] for r in _latest(dbt_warehouse)}
    failures = [f for s in dbt_target_run.suites for f in s.failures]
    assert failures
    assert all(f.severity == mart[(f.target_id, f.region_id)] for f in failures)


def test_report_lists_exactly_the_missed_targets(
    dbt_warehouse: Path, dbt_target_run: ValidationRun, tmp_path: Path
) -> None:
    from pipelines.report import build_failure_report
    from pipelines.translations import label

    paths = build_failure_report(dbt_warehouse, "gx-vs-dbt", tmp_path)
    rows = json.loads(paths.json.read_text(encoding="utf-8"))["rows"]
    missed = {
        (r["target_id"], r["region_id"])
        for r in _latest(dbt_warehouse)
        if r["threshold_met"] is False
    }
    assert {(r["target_id"], r["region_id"]) for r in rows} == missed
    assert len(rows) == len(missed)
    html = paths.html.read_text(encoding="utf-8")
    # Monitors see names, never internal ids: each missed target appears by indicator and region.
    assert not any(r["target_id"] in html for r in rows)
    assert all(r["indicator_name"] in html and r["region_name"] in html for r in rows)
    # Illustrative latest figures are flagged in the report (in Chinese first).
    assert any(r["illustrative"] for r in rows) and label("report", "illustrative_note") in html


def test_quality_suites_run_on_the_real_models(dbt_warehouse: Path) -> None:
    run = run_quality_validation(dbt_warehouse, "gx-vs-dbt-quality", None, persist=False)
    assert {s.suite_name for s in run.suites} >= {
        "quality__stg_observations",
        "quality__completeness",
    }
    # The dbt models have the contract's columns and unique keys: nothing structural fails.
    assert run.structural_failures == []
    assert all(s.error is None for s in run.suites)
