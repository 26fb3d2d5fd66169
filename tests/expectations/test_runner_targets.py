"""Target suites run by GX against an assessment mart: verdicts, edges, persistence, Data Docs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from gx_scenarios import EDGE_VALUES, RA, RB, edge_assessment

from expectations.runner import ValidationRun, run_target_validation

SINCE_WHEN_SQL = (Path(__file__).resolve().parents[2] / "docs" / "monitoring.md").read_text(
    encoding="utf-8"
)


def _gx_failing(run: ValidationRun) -> set[tuple[str, str]]:
    return {(f.target_id, f.region_id) for s in run.suites for f in s.failures}


def test_gx_verdict_equals_assessment_threshold_met(edge_run: ValidationRun) -> None:
    rows = edge_assessment()
    judged = rows[rows["verdict_value"].notna() & rows["threshold_met"].notna()]
    assert len(judged) >= 20
    failing = _gx_failing(edge_run)
    for row in judged.itertuples():
        gx_met = (row.target_id, row.region_id) not in failing
        assert gx_met == bool(row.threshold_met), (row.target_id, row.region_id)
    # Unjudgeable rows (no data, reference missing, informational) are never reported as failures.
    unjudged = rows[rows["threshold_met"].isna()]
    assert {(r.target_id, r.region_id) for r in unjudged.itertuples()}.isdisjoint(failing)


@pytest.mark.parametrize("target_id", sorted(t for t in EDGE_VALUES if t.startswith("edge__")))
def test_smallest_miss_fails_and_edge_passes(edge_run: ValidationRun, target_id: str) -> None:
    failing = _gx_failing(edge_run)
    assert (target_id, RA) in failing, f"{EDGE_VALUES[target_id][0]} should miss {target_id}"
    assert (target_id, RB) not in failing, f"{EDGE_VALUES[target_id][1]} should meet {target_id}"


def test_suite_results_for_asset_checks(edge_run: ValidationRun) -> None:
    assert [s.suite_name for s in edge_run.suites] == ["targets__edge", "targets__other"]
    edge = edge_run.suite("targets__edge")
    assert not edge.success and edge.kind == "targets"
    assert edge.asset == "marts.fct_target_assessment"
    assert edge.severity == "critical"  # a binding target fails
    assert len(edge.failing_targets) == 9
    meta = edge.check_metadata()
    assert meta["n_failures"] == 9 and meta["failures"][0]["region_id"] == RA
    # what each verdict rests on travels with the failure (docs/verdicts.md)
    first = meta["failures"][0]
    assert (first["status"], first["data_year"], first["data_nature"]) == (
        "not_met",
        2020,
        "illustrative",
    )
    assert edge_run.structural_failures == []  # a missed target is a finding, not a structure bug
    other = edge_run.suite("targets__other")
    assert other.failing_targets == ["other__smoking_rate__2030"]
    assert other.severity == "critical"
    (fail,) = other.failures  # RA's reference is missing: not judged, not a failure
    assert (fail.region_id, fail.observed_value, fail.threshold) == (RB, 16.01, "≤ 16")


def test_per_region_threshold_is_the_numeric_bound(edge_run: ValidationRun) -> None:
    edge = edge_run.suite("targets__edge")
    by_target = {f.target_id: f for f in edge.failures}
    assert by_target["edge__infant_mortality_rate__2025"].threshold == "≤ 4.5"
    assert by_target["edge__under5_mortality_rate__2025"].threshold == "< 6"
    assert by_target["edge__smoking_rate__2020"].threshold == "< 20"
    assert by_target["edge__health_literacy_rate__2020"].observed_value == 94.99


def test_results_are_persisted_and_queryable(edge_db: Path, edge_run: ValidationRun) -> None:
    con = duckdb.connect(str(edge_db), read_only=True)
    try:
        rows = con.execute(
            "select target_id, region_id, success, observed_value, threshold, severity, nature, "
            "lead_department, source_quote from monitoring.validation_results "
            "where run_id = 'run-edge-1' and row_kind = 'element' order by target_id"
        ).fetchall()
        summary = con.execute(
            "select count(*), count(*) filter (where not success) from monitoring.validation_results "
            "where run_id = 'run-edge-1' and row_kind = 'expectation'"
        ).fetchone()
    finally:
        con.close()
    assert len(rows) == 10 and all(r[2] is False for r in rows)
    hl = next(r for r in rows if r[0] == "edge__health_literacy_rate__2020")
    assert hl[1:] == (
        RA,
        False,
        94.99,
        "≥ 95",
        "critical",
        "binding",
        "市卫健委",
        "health_literacy_rate 原文 edge__health_literacy_rate__2020",
    )
    assert summary == (11, 10)  # 11 targets with a threshold, 10 missed somewhere


def test_since_when_query_from_the_monitors_guide(edge_db: Path, tmp_path: Path) -> None:
    # A second run: the failing targets keep failing, so "since" stays at the first run.
    from pipelines.history import ensure_monitoring_objects

    run_target_validation(edge_db, "run-edge-2", None)
    sql = SINCE_WHEN_SQL.split("<!-- since-when -->")[1].split("```sql")[1].split("```")[0]
    with duckdb.connect(str(edge_db)) as writer:  # what every run creates (the view)
        ensure_monitoring_objects(writer)
    con = duckdb.connect(str(edge_db), read_only=True)
    try:
        first = con.execute(
            "select min(validated_at) from monitoring.validation_results where run_id='run-edge-1'"
        ).fetchone()[0]
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    by_key = {(r[0], r[1]): r for r in rows}
    assert (("edge__health_literacy_rate__2020", RA)) in by_key
    assert by_key[("edge__health_literacy_rate__2020", RA)][2] == first
    assert ("edge__health_literacy_rate__2020", RB) not in by_key


def test_data_docs_are_built(edge_run: ValidationRun) -> None:
    assert edge_run.data_docs_index is not None and edge_run.data_docs_index.is_file()
    html = edge_run.data_docs_index.read_text(encoding="utf-8")
    assert "targets__edge" in html


def test_missing_mart_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(RuntimeError, match="run dbt build first"):
        run_target_validation(db, "no-mart", None)


def test_a_mart_without_its_verdict_column_fails_every_target_expectation(
    edge_db: Path, tmp_path: Path
) -> None:
    """No `verdict_value` to judge: every target expectation errors in GX (its column is
    missing), none passes, and the run still records them."""
    db = tmp_path / "no_verdict.duckdb"
    db.write_bytes(edge_db.read_bytes())
    with duckdb.connect(str(db)) as con:
        con.execute("alter table marts.fct_target_assessment drop column verdict_value")
    run = run_target_validation(db, "no-verdict", None)
    outcomes = [e for s in run.suites for e in s.expectations]
    assert outcomes and all(not e.success and e.error for e in outcomes)
    assert "verdict_value:" in outcomes[0].error
