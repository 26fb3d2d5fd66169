"""Benchmark harness for healthplan (issue 10): ``python -m bench.run``.

Measures wall time, rows per second and peak memory of the whole process tree for each stage of
the warehouse (generate, ingest, dbt build, computed indicators, GX validation, report) at
several scales, next to the plainest DuckDB SQL over the same files ("the floor").

Where things live: :mod:`bench.run` (the command line) → :mod:`bench.scales` (one function per
scale, its goals) → the scale steps :mod:`bench.scales_generate`, :mod:`bench.scales_staged`,
:mod:`bench.scales_job`, :mod:`bench.scales_incremental` (+ :mod:`bench.incremental_files`).
Our components run through :mod:`bench.ours` (one process each, :mod:`bench._stage` for the
Python ones); what they did is read back by :mod:`bench.dbt_work` and :mod:`bench.run_facts`.
The floor is :mod:`bench.floor` with its SQL in ``bench/sql/``; figures are kept by
:mod:`bench.measure` and :mod:`bench.results`.
"""
