"""Fixtures for the failure-report tests: a validated warehouse and a headless chromium.

The warehouse has what a real build gives the report: region and unit names, the department
bridge (a jointly led target), observations with their source, and two validations of the same
targets (the first a month earlier, when one target still passed) so "failing since" and "new in
this run" have history to read. The run id is a UUID, which the report must never show. It is
built once per test session (``build_once`` of tests/conftest.py; each xdist worker gets a copy).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

# The warehouse builders live with the expectation tests (no package: import by path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "expectations"))

from gx_factory import assessment_rows, build_warehouse  # noqa: E402
from report_data import (  # noqa: E402
    EARLIER_RUN_ID,
    LATEST,
    RUN_ID,
    TARGETS,
    add_report_references,
    observations,
)
from report_fixtures import ensure_chromium  # noqa: E402


@pytest.fixture(scope="session")
def report_db(build_once: Callable[[str, Callable], Path]) -> Path:
    return build_once("report", _build_report_db) / "report.duckdb"


def _build_report_db(root: Path) -> None:
    import pandas as pd

    from expectations.runner import run_target_validation

    frame = pd.DataFrame(TARGETS)
    assessment = assessment_rows(frame, LATEST)
    # Only the smoking figure is official; the others stay illustrative.
    official = assessment["target_id"] == "jy__smoking_rate__2020"
    assessment.loc[official, "latest_is_illustrative"] = False
    assessment.loc[official, "latest_data_nature"] = "official"
    db = root / "report.duckdb"
    # A month ago the smoking target still passed (21.5 → 19.5): it is new in this run.
    earlier = assessment_rows(frame, {**LATEST, ("jy__smoking_rate__2020", "jiangyin"): 19.5})
    build_warehouse(db, TARGETS, earlier, observations())
    run_target_validation(db, EARLIER_RUN_ID, None)
    with duckdb.connect(str(db)) as con:  # the results and the run register both move back
        for table in ("monitoring.validation_results", "monitoring.validation_runs"):
            con.execute(f"update {table} set validated_at = validated_at - interval 30 day")
    build_warehouse(db, TARGETS, assessment, observations())
    add_report_references(db, TARGETS)
    run_target_validation(db, RUN_ID, None)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium, installed by apt-get when missing (tests run as root)."""
    return ensure_chromium()
