"""The GX suites on the warehouse ``make run`` builds from the SHIPPED landing zone (``raw/``).

Every other expectation test uses crafted or synthetic data; a defect that only the shipped data
shows (the real official series publishes one year twice, bulletin and health accounts, which an
older observation key failed as a structural defect and so blocked ``make run``) escaped them all.
Here the real ``pipelines.ingest`` loads a copy of ``raw/`` and the real ``dbt build`` runs with
the project's own variables, as ``make run`` does; then both validation runs must go through
without a structural failure, every suite reading its frame and every target with a threshold
enforced by an expectation whose verdicts equal dbt's.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt_warehouse import build_shipped_warehouse

from expectations.quality_suites import quality_specs
from expectations.runner import ValidationRun, run_quality_validation, run_target_validation

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def shipped_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shipped_warehouse(tmp_path_factory.getbasetemp() / "gx_shipped_build")


@pytest.fixture(scope="session")
def shipped_runs(
    shipped_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ValidationRun, ValidationRun]:
    docs = tmp_path_factory.mktemp("shipped") / "docs"
    # The job's order: the quality suites (their structure check blocks), then the targets.
    quality = run_quality_validation(shipped_warehouse, "shipped", docs)
    targets = run_target_validation(shipped_warehouse, "shipped", docs)
    return quality, targets


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_shipped_sample_reaches_every_suite(shipped_warehouse: Path) -> None:
    (observations,) = _query(shipped_warehouse, "select count(*) from staging.stg_observations")[0]
    (real,) = _query(
        shipped_warehouse,
        "select count(*) from staging.stg_observations where file_path like 'real/%'",
    )[0]
    (assessed,) = _query(
        shipped_warehouse, "select count(*) from marts.fct_target_assessment where is_latest"
    )[0]
    assert observations > 100 and real > 0 and assessed > 0


def test_quality_suites_find_no_structural_defect_in_the_shipped_sample(
    shipped_warehouse: Path, shipped_runs: tuple[ValidationRun, ValidationRun]
) -> None:
    quality, _ = shipped_runs
    assert quality.structural_failures == []
    with duckdb.connect(str(shipped_warehouse), read_only=True) as con:
        indicators = con.execute("select * from reference.indicators").df()
    expected = [s.suite_name for s in quality_specs(indicators)]
    assert [s.suite_name for s in quality.suites] == expected
    for suite in quality.suites:
        assert suite.error is None, suite.error
        assert suite.expectations, suite.suite_name
        # Every expectation ran (none errored inside GX) on a frame with rows.
        assert all(e.error is None for e in suite.expectations), suite.suite_name
    stg = quality.suite("quality__stg_observations")
    counts = [e.element_count for e in stg.expectations if e.element_count is not None]
    assert counts and max(counts) > 100


def test_target_suites_enforce_every_shipped_target_as_dbt_judges_it(
    shipped_warehouse: Path, shipped_runs: tuple[ValidationRun, ValidationRun]
) -> None:
    _, targets = shipped_runs
    assert targets.structural_failures == []
    plans = {
        p
        for (p,) in _query(shipped_warehouse, "select distinct plan_id from reference.plan_targets")
    }
    assert {s.suite_name.removeprefix("targets__") for s in targets.suites} == plans
    enforced = {e.meta["target_id"] for s in targets.suites for e in s.expectations}
    with_threshold = {
        t
        for (t,) in _query(
            shipped_warehouse,
            "select target_id from reference.plan_targets where comparator != 'none'",
        )
    }
    assert enforced == with_threshold
    latest = pd.DataFrame(
        _query(
            shipped_warehouse,
            "select target_id, region_id, threshold_met from marts.fct_target_assessment "
            "where is_latest and verdict_value is not null and threshold_met is not null",
        ),
        columns=["target_id", "region_id", "threshold_met"],
    )
    failing = {(f.target_id, f.region_id) for s in targets.suites for f in s.failures}
    missed = set(
        map(
            tuple,
            latest.loc[~latest["threshold_met"].astype(bool), ["target_id", "region_id"]].values,
        )
    )
    assert failing == missed
    # The shipped sample exercises both outcomes, so the comparison means something.
    assert missed and len(latest) > len(missed)


def test_both_runs_are_recorded(
    shipped_warehouse: Path, shipped_runs: tuple[ValidationRun, ValidationRun]
) -> None:
    quality, targets = shipped_runs
    rows = dict(
        _query(
            shipped_warehouse,
            "select split_part(suite_name, '__', 1), count(*) from monitoring.validation_results "
            "where run_id = 'shipped' group by 1",
        )
    )
    assert rows.get("quality", 0) >= sum(len(s.expectations) for s in quality.suites)
    assert rows.get("targets", 0) >= sum(len(s.expectations) for s in targets.suites)
    assert quality.rows_persisted > 0 and targets.rows_persisted > 0
