"""Build the shipped sample on DuckDB (dbt subprocess) and on Spark (dbt in this process, so every
Spark build of the session shares one Spark session), and compare the results.

The comparison is the parity contract of docs/scale-out.md: the same tables, the same column
names and types, the same rows; floating point within a relative tolerance of 1e-9 (plus an
absolute 1e-12 for values that are zero on one engine and rounding noise on the other).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.engine import BuiltWarehouse

DBT = str(Path(sys.executable).parent / "dbt")
REL_TOL = 1e-9
ABS_TOL = 1e-12


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for an in-process dbt invocation, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dbt_duckdb(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """The dbt CLI on DuckDB, as a subprocess (it holds the DuckDB file while it runs)."""
    cmd = [DBT, *args, "--project-dir", str(project), "--profiles-dir", str(project)]
    env = {**env, "HEALTHPLAN_ENGINE": "duckdb"}
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)


def dbt_spark(project: Path, env: dict[str, str], *args: str) -> tuple[bool, str]:
    """dbt on the Spark target in this process: dbt-spark's session method getOrCreate()s the
    session, so the first call starts it and every later call (and the readers) reuse it."""
    from dbt.cli.main import dbtRunner

    with environment({**env, "HEALTHPLAN_ENGINE": "spark"}):
        result = dbtRunner().invoke(
            [*args, "--project-dir", str(project), "--profiles-dir", str(project)]
        )
    failures = []
    if result.exception is not None:
        failures.append(repr(result.exception))
    for node in getattr(result.result, "results", None) or []:
        if str(node.status) in ("error", "fail"):
            failures.append(f"{node.node.unique_id}: {node.status}: {node.message}")
    return result.success and not failures, "\n".join(failures)


def dbt_spark_show(project: Path, env: dict[str, str], sql: str) -> list[dict[str, Any]]:
    """The rows of ``dbt show --inline sql`` on the Spark target (in this process, as
    :func:`dbt_spark`)."""
    from dbt.artifacts.schemas.run import RunExecutionResult
    from dbt.cli.main import dbtRunner

    with environment({**env, "HEALTHPLAN_ENGINE": "spark"}):
        result = dbtRunner().invoke(
            ["show", "--inline", sql, "--project-dir", str(project), "--profiles-dir", str(project)]
        )
    assert result.success, repr(result.exception)
    assert isinstance(result.result, RunExecutionResult), result.result
    table = result.result.results[0].agate_table
    assert table is not None, "dbt show returned no table"
    return [dict(zip(table.column_names, row, strict=True)) for row in table.rows]


def _comparable(value: Any) -> Any:
    # dates and timestamps as text: PySpark and DuckDB hand back the same wall-clock values
    return str(value) if isinstance(value, date) else value


def _sort_key(row: Sequence[Any]) -> tuple:
    # floats rounded so that noise in the last digits cannot reorder rows
    return tuple(
        (v is None, f"{v:.6g}" if isinstance(v, float) else str(_comparable(v))) for v in row
    )


def table_rows(warehouse: BuiltWarehouse, table: str, columns: list[str]) -> list[tuple]:
    """Every row of ``table`` (these columns), sorted."""
    select = ", ".join(f"`{c}`" if warehouse.engine == "spark" else f'"{c}"' for c in columns)
    rows = warehouse.query(f"select {select} from {table}")
    return sorted((tuple(_comparable(v) for v in row) for row in rows), key=_sort_key)


def values_equal(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b


def table_differences(
    duck: BuiltWarehouse,
    spark: BuiltWarehouse,
    table: str,
    limit: int = 5,
    ignore: tuple[str, ...] = (),
) -> list[str]:
    """What differs between the two engines' ``table`` (empty when they are equal); columns in
    ``ignore`` are left out of the row comparison (not of the type comparison)."""
    duck_types, spark_types = duck.column_types(table), spark.column_types(table)
    problems = []
    if duck_types != spark_types:
        diff = {
            c: (duck_types.get(c), spark_types.get(c))
            for c in set(duck_types) | set(spark_types)
            if duck_types.get(c) != spark_types.get(c)
        }
        problems.append(f"{table}: column types differ (duckdb, spark): {diff}")
        return problems
    columns = [c for c in duck_types if c not in ignore]
    duck_rows, spark_rows = table_rows(duck, table, columns), table_rows(spark, table, columns)
    if len(duck_rows) != len(spark_rows):
        problems.append(f"{table}: {len(duck_rows)} rows on duckdb, {len(spark_rows)} on spark")
    for d, s in zip(duck_rows, spark_rows, strict=False):
        bad = [c for c, x, y in zip(columns, d, s, strict=True) if not values_equal(x, y)]
        if bad:
            problems.append(
                f"{table}: row differs in {bad}: duckdb {dict(zip(columns, d, strict=True))} "
                f"spark {dict(zip(columns, s, strict=True))}"
            )
            if len(problems) >= limit:
                break
    return problems
