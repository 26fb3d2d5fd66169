"""A scoped validation records exactly what a full validation records (expectations.carry_forward).

A warehouse with failures in several regions (region ``rb``'s duplicate key and out-of-range
share, implausible values in ``neg_*`` regions, a row without a region, missed targets) is
validated in full (the *baseline* run); then region ``ra``'s rows change — a fixed value, new
failures of the unit range and of consistency, flipped target verdicts. The next validation runs
twice on copies: scoped to ``ra`` with the baseline standing for the other regions, and in full.
Both record the same `monitoring.validation_results` rows (every column but the time; a scoped
quality summary says where its row count stops, so that message is left out), and every
region-local suite of the scoped run says it covered ``ra`` only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from gx_factory import build_warehouse
from gx_scenarios import EDGE_TARGETS, RA, RB, clean_observations, edge_assessment, observations

from expectations import carry_forward
from expectations.outcomes import SuiteResult
from expectations.results_store import COLUMNS
from expectations.runner import run_quality_validation, run_target_validation
from pipelines.validation_scope import ValidationScope

COMPARED = [c for c in COLUMNS if c not in ("validated_at", "message")]
#: What changes in region ra between the baseline and the next validation: (table, set, where).
RA_CHANGES = (
    ("staging.stg_observations", "value = 80.0", "value = 120.0"),  # fixed
    ("staging.stg_observations", "value = -value", "indicator_code = 'smoking_rate'"),  # < 0
    (
        "marts.fct_indicator_observation",
        "value = value * 10",
        "indicator_code = 'infant_mortality_rate'",
    ),
    ("marts.fct_target_assessment", "verdict_value = -verdict_value", "true"),  # verdicts flip
)


def _observations() -> pd.DataFrame:
    planted = [
        (RB, "health_literacy_rate", 2021, 101.0, "percent"),  # duplicate key, > 100 %
        (RA, "life_expectancy", 2022, 120.0, "years"),  # above the plausible maximum
        (None, "life_expectancy", 2023, 70.0, "years"),  # no region: always re-validated
        ("neg_001", "sex_ratio_at_birth", 2020, -1.0, "sex_ratio"),  # < 0 and < min
    ]
    return pd.concat([clean_observations(), observations(planted)], ignore_index=True)


def _validate(db: Path, run_id: str, scope: ValidationScope | None) -> list[SuiteResult]:
    quality = run_quality_validation(db, run_id, scope=scope)
    targets = run_target_validation(db, run_id, scope=scope)
    return quality.suites + targets.suites


def _rows(db: Path, run_id: str) -> list[tuple]:
    message = (
        "case when row_kind = 'expectation' and starts_with(suite_name, 'quality__') "
        "then null else message end"
    )
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            f"select {', '.join(COMPARED)}, {message} from monitoring.validation_results "
            "where run_id = ?",
            [run_id],
        ).fetchall()
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def validated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, list[SuiteResult], list[SuiteResult]]:
    tmp = tmp_path_factory.mktemp("carry")
    db = build_warehouse(tmp / "base.duckdb", EDGE_TARGETS, edge_assessment(), _observations())
    _validate(db, "base", None)
    with duckdb.connect(str(db)) as con:
        for table, assignment, where in RA_CHANGES:
            con.execute(f"update {table} set {assignment} where region_id = ? and {where}", [RA])
    scoped_db, full_db = tmp / "scoped.duckdb", tmp / "full.duckdb"
    shutil.copyfile(db, scoped_db)
    shutil.copyfile(db, full_db)
    suites = _validate(scoped_db, "next", ValidationScope((RA,), "base"))
    return scoped_db, full_db, suites, _validate(full_db, "next", None)


def test_a_scoped_validation_records_what_a_full_validation_records(
    validated: tuple[Path, Path, list[SuiteResult], list[SuiteResult]],
) -> None:
    scoped_db, full_db, _, _ = validated
    full = _rows(full_db, "next")
    assert _rows(scoped_db, "next") == full
    # the comparison is not empty on either side of the scope
    regions = {r[COMPARED.index("region_id")] for r in full if r[COMPARED.index("row_kind")]}
    assert {RA, RB, "neg_001", None} <= regions
    elements = [r for r in full if r[COMPARED.index("row_kind")] == "element"]
    assert any(r[COMPARED.index("region_id")] == RB for r in elements)
    assert any(r[COMPARED.index("region_id")] == RA for r in elements)


def test_region_local_suites_say_they_covered_the_scope_only(
    validated: tuple[Path, Path, list[SuiteResult], list[SuiteResult]],
) -> None:
    _, _, suites, _ = validated
    covered = {s.suite_name: s.regions_covered for s in suites}
    assert covered["quality__target_coverage"] is None  # counts every region's assessments
    assert covered["quality__stg_observations"] == (RA,)
    assert covered["quality__consistency"] == (RA,)
    assert all(v == (RA,) for k, v in covered.items() if k.startswith("targets__"))
    meta = next(s for s in suites if s.suite_name == "quality__stg_observations").check_metadata()
    assert meta["regions_covered"] == RA and meta["regions_covered_count"] == 1


def test_a_scoped_suite_counts_the_failures_it_carries(
    validated: tuple[Path, Path, list[SuiteResult], list[SuiteResult]],
) -> None:
    """The carried elements stay in the database, yet each suite's verdict, failure count and
    failing targets (its Dagster check) are a full validation's; it lists GX's failures only."""
    _, _, scoped, full = validated
    whole = {s.suite_name: s for s in full}
    for suite in scoped:
        other = whole[suite.suite_name]
        assert (suite.success, suite.n_failures) == (other.success, other.n_failures)
        assert suite.failing_targets == other.failing_targets
        meta = suite.check_metadata()
        assert meta["n_failures"] == other.check_metadata()["n_failures"]
        carried = suite.carried.total if suite.carried else 0
        assert meta["failures_carried"] == carried == suite.n_failures - len(suite.failures)
    carrying = [s for s in scoped if s.carried and s.carried.total]
    assert {s.suite_name for s in carrying} >= {"quality__stg_observations"}
    assert any(s.carried and s.carried.target_ids for s in carrying)  # a target suite too


def test_only_the_latest_validation_of_a_suite_stands_for_other_regions(
    validated: tuple[Path, Path, list[SuiteResult], list[SuiteResult]],
) -> None:
    scoped_db, _, _, _ = validated
    with duckdb.connect(str(scoped_db), read_only=True) as con:
        assert carry_forward.baseline_rows(con, "quality__stg_observations", "base") is None
        latest = carry_forward.baseline_rows(con, "quality__stg_observations", "next")
    assert latest and {r["run_id"] for r in latest} == {"next"}
