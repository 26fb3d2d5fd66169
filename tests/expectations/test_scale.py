"""National scale: ~2,900 county-level regions × 40 targets, every failing county visible.

Speed is measured by the benchmark (`make bench`, docs/benchmark.md), not asserted here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from gx_factory import INDICATORS, assessment_rows, build_warehouse, target

from expectations.runner import run_target_validation

pytestmark = pytest.mark.integration

N_REGIONS = 2900
CODES = list(INDICATORS["indicator_code"])


def test_national_framework_lists_every_failing_county(tmp_path: Path) -> None:
    rng = random.Random(7)
    targets = []
    comparators = ["ge", "le", "about", "reduce_by_pct", "range", "gt"]
    for i in range(40):
        code = CODES[i % len(CODES)]
        comp = comparators[i % len(comparators)]
        if code == "sex_ratio_at_birth":
            comp = "range"
        targets.append(
            target(
                f"china_2030__{code}__{2020 + i}",
                "china_2030",
                code,
                comp,
                10.0 if comp == "reduce_by_pct" else 50.0,
                region="china",
                upper=107.0 if comp == "range" else None,
                year=2020 + i,
                relative_to_year=2015 if comp == "reduce_by_pct" else None,
                nature="binding" if i % 2 else "expected",
                scope="each_subregion",
            )
        )
    regions = [f"county_{j:04d}" for j in range(N_REGIONS)]
    frame = pd.DataFrame(targets)
    latest, reference = {}, {}
    for t in targets:
        for r in regions:
            latest[(t["target_id"], r)] = round(rng.uniform(40, 60), 2)
            reference[(t["target_id"], r)] = round(rng.uniform(40, 60), 2)
    assessment = assessment_rows(
        frame, latest, reference, regions={t["target_id"]: regions for t in targets}
    )
    assert len(assessment) == 40 * N_REGIONS
    db = build_warehouse(tmp_path / "national.duckdb", targets, assessment)

    run = run_target_validation(db, "national", tmp_path / "docs")

    (suite,) = run.suites
    assert len(suite.expectations) == 40
    failing = {(f.target_id, f.region_id) for f in suite.failures}
    missed = {
        (r.target_id, r.region_id) for r in assessment.itertuples() if r.threshold_met is False
    }
    assert failing == missed and len(missed) > 10_000  # every failing county is listed
