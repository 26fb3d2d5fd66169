"""Data-quality suites: structure, plausibility, completeness, consistency; failures persisted."""

from __future__ import annotations

from pathlib import Path

import duckdb
from gx_scenarios import RA, RB, clean_observations

from expectations.runner import ValidationRun, run_quality_validation

SUITES = [
    "quality__stg_observations",
    "quality__fct_target_assessment",
    "quality__target_coverage",
    "quality__completeness",
    "quality__consistency",
]


def _rules(run: ValidationRun, suite: str) -> set[str]:
    return {e.meta["rule"] for e in run.suite(suite).expectations if not e.success}


def test_clean_warehouse_passes_every_quality_suite(clean_quality: ValidationRun) -> None:
    assert [s.suite_name for s in clean_quality.suites] == SUITES
    failed = {s.suite_name: _rules(clean_quality, s.suite_name) for s in clean_quality.suites}
    # The edge fixture has one target whose reference value is missing (a DQ warning).
    assert failed["quality__fct_target_assessment"] == {"reference_missing"}
    assert all(
        not rules for name, rules in failed.items() if name != "quality__fct_target_assessment"
    )
    assert clean_quality.structural_failures == []


def test_duplicate_key_is_a_structural_failure(dirty_quality: ValidationRun) -> None:
    stg = dirty_quality.suite("quality__stg_observations")
    assert "unique_key" in _rules(dirty_quality, "quality__stg_observations")
    assert any("unique_key" in msg for msg in dirty_quality.structural_failures)
    assert stg.severity == "critical"


def test_implausible_values_fail_by_unit_and_indicator(dirty_quality: ValidationRun) -> None:
    failed = _rules(dirty_quality, "quality__stg_observations")
    assert {"unit_range", "plausible_range"} <= failed
    bad = {
        (f.region_id, f.indicator_code, f.year, f.observed_value)
        for f in dirty_quality.suite("quality__stg_observations").failures
        if f.observed_value is not None and f.observed_value > 100
    }
    assert (RB, "health_literacy_rate", 2021, 101.0) in bad
    assert (RA, "life_expectancy", 2022, 120.0) in bad


def test_missing_figure_is_a_completeness_failure(dirty_quality: ValidationRun) -> None:
    suite = dirty_quality.suite("quality__completeness")
    assert not suite.success and suite.severity == "warning"
    missing = {(f.region_id, f.indicator_code, f.year) for f in suite.failures}
    assert missing == {(RA, "smoking_rate", 2019)}


def test_under5_below_infant_mortality_is_inconsistent(dirty_quality: ValidationRun) -> None:
    suite = dirty_quality.suite("quality__consistency")
    assert not suite.success
    assert {(f.region_id, f.year, f.observed_value) for f in suite.failures} == {(RA, 2018, 3.0)}


def test_quality_failures_are_persisted(dirty_db: Path, dirty_quality: ValidationRun) -> None:
    con = duckdb.connect(str(dirty_db), read_only=True)
    try:
        rows = con.execute(
            "select suite_name, region_id, indicator_code, year, is_structural "
            "from monitoring.validation_results where run_id = 'run-dirty' and row_kind = 'element'"
        ).fetchall()
    finally:
        con.close()
    assert ("quality__completeness", RA, "smoking_rate", 2019, False) in rows
    assert any(r[0] == "quality__stg_observations" and r[4] for r in rows)  # the duplicate key


def test_missing_table_or_column_is_structural_not_a_crash(tmp_path: Path) -> None:
    from gx_factory import build_warehouse
    from gx_scenarios import EDGE_TARGETS, edge_assessment

    obs = clean_observations().drop(columns=["unit"])
    db = build_warehouse(tmp_path / "w.duckdb", EDGE_TARGETS, edge_assessment(), obs)
    con = duckdb.connect(str(db))
    con.execute("drop table marts.fct_indicator_observation")
    con.close()
    run = run_quality_validation(
        db, "run-broken", None, suites=["quality__stg_observations", "quality__consistency"]
    )
    stg = run.suite("quality__stg_observations")
    assert any("required_column" in m and "unit" in m for m in stg.structural_failures)
    consistency = run.suite("quality__consistency")
    assert consistency.error and "fct_indicator_observation" in consistency.error
    assert any("quality__consistency" in m for m in run.structural_failures)
