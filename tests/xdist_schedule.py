"""Which tests share a pytest-xdist worker, and which groups go first (read by tests/conftest.py)."""

from __future__ import annotations

#: Folders whose files share one in-process resource: all of a folder's tests go to one worker.
SAME_WORKER: dict[str, str] = {"tests/spark/": "spark"}

#: Groups that cost most, most first (CPU seconds of the worker and its dbt/Dagster children, plus
#: the Spark JVM's, measured on 5 Dec 2026). Everything else keeps its collection order after them.
LONGEST_FIRST: tuple[str, ...] = (
    "spark",  # ~95 s + ~400 s of the JVM: two builds, dbt test and an incremental round on Spark
    "tests/orchestration/test_pipeline_integration.py",  # ~310 s: Dagster runs sharing one state
    "tests/dbt/test_arrivals.py",  # ~140 s: a soak of incremental and full builds
    "tests/bench/test_bench_tiny.py",  # ~55 s
    "tests/dbt/test_incremental_by_region.py",  # ~40 s
    "tests/expectations/test_shipped_sample.py",  # ~35 s
    "tests/dbt/test_incremental.py",  # ~30 s
    "tests/expectations/test_gx_agrees_with_dbt.py",  # ~25 s
    "tests/dbt/test_target_assessment.py",  # ~20 s (the first user of the tests/dbt build)
    "tests/dbt/test_marts_and_docs.py",  # ~20 s
    "tests/dbt/test_sources_and_duplicates.py",  # ~18 s
    "tests/generate/test_sample_pipeline.py",  # ~17 s
    "tests/generate/test_scale_generator.py",  # ~17 s
    "tests/reference/test_reference_dbt.py",  # ~16 s
    "tests/orchestration/test_dbt_incremental_state.py",  # ~13 s
    "tests/orchestration/test_project.py",  # ~11 s
    "tests/expectations/test_scale.py",  # ~11 s
)


def group_of(nodeid: str) -> str:
    """The work unit of a test: its file, or its folder's :data:`SAME_WORKER` group."""
    path = nodeid.split("::", 1)[0]
    for folder, group in SAME_WORKER.items():
        if path.startswith(folder):
            return group
    return path
