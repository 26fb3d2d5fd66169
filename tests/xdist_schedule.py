"""Which tests share a pytest-xdist worker, and which groups go first (read by tests/conftest.py)."""

from __future__ import annotations

#: Folders whose files share one in-process resource: all of a folder's tests go to one worker.
SAME_WORKER: dict[str, str] = {"spark/": "spark"}

#: Groups that cost most, most first (CPU seconds of the worker and its dbt/Dagster children, plus
#: the Spark JVM's, measured on 5 Dec 2026). Everything else keeps its collection order after them.
LONGEST_FIRST: tuple[str, ...] = (
    "spark",  # ~95 s + ~400 s of the JVM: two builds, dbt test and an incremental round on Spark
    "orchestration/test_pipeline_integration.py",  # ~310 s: Dagster runs sharing one state
    "dbt/test_arrivals.py",  # ~140 s: a soak of incremental and full builds
    "bench/test_bench_tiny.py",  # ~55 s
    "dbt/test_incremental_by_region.py",  # ~40 s
    "expectations/test_shipped_sample.py",  # ~35 s
    "dbt/test_incremental.py",  # ~30 s
    "expectations/test_gx_agrees_with_dbt.py",  # ~25 s
    "dbt/test_target_assessment.py",  # ~20 s (the first user of the tests/dbt build)
    "dbt/test_marts_and_docs.py",  # ~20 s
    "dbt/test_sources_and_duplicates.py",  # ~18 s
    "generate/test_sample_pipeline.py",  # ~17 s
    "generate/test_scale_generator.py",  # ~17 s
    "reference/test_reference_dbt.py",  # ~16 s
    "orchestration/test_dbt_incremental_state.py",  # ~13 s
    "orchestration/test_project.py",  # ~11 s
    "expectations/test_scale.py",  # ~11 s
)
