"""GX verdicts and the failure report computed from the Spark build equal those from DuckDB's
(docs/scale-out.md#what-runs-where): the target suites read the verdict tables through Spark
(``run_target_validation(reader=SparkWarehouse)``); the quality suites and the report read the
snapshot that ``mirror_into_duckdb`` copies through Spark into the DuckDB working file.

This module runs before test_parity.py (file order), whose incremental round changes the Spark
tables: both builds here are the shipped sample's full builds.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import Builds

from expectations.runner import run_quality_validation, run_target_validation
from pipelines.engine import mirror_into_duckdb
from pipelines.report.load import load_report_data

pytestmark = [pytest.mark.integration, pytest.mark.spark]

#: What says which run a result row belongs to, not what was validated. The expectation id is
#: compared: a uuid5 of the expectation's kwargs text (expectations.suite_ids), it is the same
#: whichever engine's tables the suite was built from.
RUN_COLUMNS = ("run_id", "validated_at", "last_run_id", "last_validated_at", "failing_since")


def _validate(db: Path, run_id: str, reader=None) -> None:
    quality = run_quality_validation(db, run_id)
    target = run_target_validation(db, run_id, reader=reader)
    assert target.suites and quality.suites
    assert not quality.structural_failures, quality.structural_failures


def _results(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_schema = "
                "'monitoring' and table_name = 'validation_results' order by ordinal_position"
            ).fetchall()
        ]
        kept = [c for c in columns if c not in RUN_COLUMNS]
        rows = con.execute(
            f"select {', '.join(kept)} from monitoring.validation_results "
            f"order by {', '.join(kept)}"
        ).fetchall()
    return rows


def _report(db: Path, run_id: str) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        data = load_report_data(con, run_id)
    rows = [{k: v for k, v in r.as_dict().items() if k not in RUN_COLUMNS} for r in data.rows]
    quality = [{k: v for k, v in q.items() if k not in RUN_COLUMNS} for q in data.quality]
    return (
        rows,
        data.n_expectations,
        data.n_targets_checked,
        data.n_assessment_missed,
        quality,
        # status_counts.sql has no ORDER BY (its renderer groups the rows itself)
        sorted(data.status_counts, key=lambda c: tuple(str(v) for v in c.values())),
    )


def _close(a: object, b: object) -> bool:
    """Equal, floats within 1e-9 relative (the parity tolerance), recursively."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_gx_verdicts_and_report_from_spark_equal_duckdb(builds: Builds, tmp_path: Path) -> None:
    # Copies keep the file name: DuckDB's views name their catalog, which is the file's stem.
    name = builds.settings.warehouse.name
    duck_db, spark_db = tmp_path / "duckdb" / name, tmp_path / "spark" / name
    for copy in (duck_db, spark_db):
        copy.parent.mkdir()
        shutil.copy(builds.settings.warehouse, copy)
    # The Spark working file: ingestion's raw tables, and nothing DuckDB built (dbt-duckdb's
    # schemas dropped), then the snapshot read through Spark, as the Dagster asset does.
    with duckdb.connect(str(spark_db)) as con:
        for schema in ("reference", "staging", "intermediate", "marts"):
            con.execute(f"drop schema if exists {schema} cascade")
    copied = mirror_into_duckdb(builds.spark, spark_db)
    assert "staging.stg_observations" in copied and "marts.fct_target_assessment" in copied

    _validate(duck_db, "run-duckdb")
    _validate(spark_db, "run-spark", reader=builds.spark)

    duck_results, spark_results = _results(duck_db), _results(spark_db)
    assert any(r for r in duck_results), "the sample has validation results"
    differing = [
        (d, s) for d, s in zip(duck_results, spark_results, strict=False) if not _close(d, s)
    ]
    assert len(duck_results) == len(spark_results), (len(duck_results), len(spark_results))
    assert not differing, f"{len(differing)} rows differ, first: {differing[:2]}"

    duck_report, spark_report = _report(duck_db, "run-duckdb"), _report(spark_db, "run-spark")
    assert duck_report[0], "the sample misses some targets: the report has rows"
    parts = ("rows", "expectations", "targets checked", "missed", "quality", "status counts")
    for part, d, s in zip(parts, duck_report, spark_report, strict=True):
        assert _close(d, s), f"report {part} differ: duckdb {d!r:.1500} spark {s!r:.1500}"
