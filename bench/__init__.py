"""Benchmark harness for healthplan (issue 10): ``python -m bench.run``.

Measures wall time, rows per second and peak memory of the whole process tree for each stage of
the warehouse (generate, ingest, dbt build, computed indicators, GX validation, report) at
several scales, next to the plainest DuckDB SQL over the same files ("the floor").
"""
