"""The one narrow interface to the built warehouse, whichever engine built it (docs/scale-out.md).

Python code that reads what dbt built (verdict tables for GX, report queries, parity checks)
asks :func:`open_warehouse` for a :class:`BuiltWarehouse` instead of opening DuckDB itself:

- ``duckdb`` (default): a short-lived read-only connection to the warehouse file;
- ``spark``: a Spark session configured from the ``spark`` output of ``dbt_project/profiles.yml``
  (the one place its settings live), so it sees the metastore and tables dbt wrote. In the
  process that ran dbt in-process (the tests) it is that very session.

Queries must be written in the SQL both engines share (the models' dialect minus what
``macros/cross_engine`` hides): plain select/join/group by, ``schema.table`` names.
Ingestion always writes DuckDB (the landing zone's single writer); the Spark target reads the
Parquet lake (:mod:`pipelines.lake`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import jinja2
import yaml

from pipelines.config import DBT_PROJECT_DIR, Settings, load_settings

#: DuckDB type names as Spark names them (the parity test compares column types through this).
SPARK_TYPE_OF_DUCKDB = {
    "VARCHAR": "string",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "TINYINT": "tinyint",
    "DOUBLE": "double",
    "FLOAT": "float",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}


class BuiltWarehouse(Protocol):
    """Read access to the tables dbt built."""

    engine: str

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` as tuples (timestamps as naive datetimes)."""
        ...

    def column_types(self, table: str) -> dict[str, str]:
        """``{column: type}`` of ``schema.table`` in declaration order, Spark type names."""
        ...

    def tables(self, schema: str) -> list[str]:
        """Names of the tables (not views) in ``schema``."""
        ...


@dataclass
class DuckDBWarehouse:
    """The DuckDB warehouse file, read-only."""

    path: Path
    engine: str = "duckdb"

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            yield con
        finally:
            con.close()

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with self._connect() as con:
            return con.execute(sql).fetchall()

    def column_types(self, table: str) -> dict[str, str]:
        schema, name = table.split(".")
        with self._connect() as con:
            rows = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
        return {c: SPARK_TYPE_OF_DUCKDB.get(t, t.lower()) for c, t in rows}

    def tables(self, schema: str) -> list[str]:
        with self._connect() as con:
            rows = con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [schema],
            ).fetchall()
        return [r[0] for r in rows]


def spark_profile_parameters(
    target: str = "spark", env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The ``server_side_parameters`` of a Spark output of profiles.yml, rendered like dbt does
    (``env_var`` from ``env``, default the process environment), so Python and dbt open the
    same Spark warehouse."""
    text = (DBT_PROJECT_DIR / "profiles.yml").read_text()
    env = os.environ if env is None else env

    def env_var(name: str, default: str | None = None) -> str:
        value = env.get(name, default)
        if value is None:
            raise KeyError(f"profiles.yml needs environment variable {name}")
        return value

    rendered = jinja2.Environment().from_string(text).render(env_var=env_var)
    output = yaml.safe_load(rendered)["healthplan"]["outputs"][target]
    return {str(k): str(v) for k, v in (output.get("server_side_parameters") or {}).items()}


@dataclass
class SparkWarehouse:
    """The Spark warehouse dbt built (local session; same metastore and warehouse dir)."""

    parameters: dict[str, str]
    engine: str = "spark"

    def session(self) -> Any:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.enableHiveSupport()
        for key, value in self.parameters.items():
            builder = builder.config(key, value)
        return builder.getOrCreate()

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session().sql(sql).collect()]

    def column_types(self, table: str) -> dict[str, str]:
        schema = self.session().table(table).schema
        return {f.name: f.dataType.simpleString() for f in schema.fields}

    def tables(self, schema: str) -> list[str]:
        session = self.session()
        return sorted(t.name for t in session.catalog.listTables(schema) if t.tableType != "VIEW")


def open_warehouse(settings: Settings | None = None) -> BuiltWarehouse:
    """The built warehouse of ``settings.engine`` (default: from the environment)."""
    settings = settings or load_settings()
    if settings.on_spark:
        if settings.engine != "spark":
            raise NotImplementedError(
                f"engine {settings.engine}: read the cluster's tables through its Thrift "
                "endpoint (docs/scale-out.md); only the local session is wired here"
            )
        return SparkWarehouse(spark_profile_parameters("spark", settings.dbt_env()))
    return DuckDBWarehouse(settings.warehouse)


#: Schemas whose tables the rest of the pipeline reads (GX verdicts, report, publish).
MIRRORED_SCHEMAS = ("reference", "intermediate", "marts")


def mirror_into_duckdb(
    spark: SparkWarehouse, duckdb_path: Path, schemas: tuple[str, ...] = MIRRORED_SCHEMAS
) -> dict[str, int]:
    """Copy the tables a Spark build wrote into the DuckDB working file, read through Spark.

    After a Spark build this is what GX, the report, the build state and publish see: the verdict
    tables as Spark computed them (Arrow hand-over, timestamps back to DuckDB's naive UTC
    TIMESTAMP). The copy replaces each table whole, in one transaction.

    Returns:
        Rows copied per ``schema.table``.
    """
    session = spark.session()
    copied: dict[str, int] = {}
    con = duckdb.connect(str(duckdb_path))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.begin()
        for schema in schemas:
            con.execute(f"create schema if not exists {schema}")
            for table in spark.tables(schema):
                frame = session.table(f"{schema}.{table}")
                arrow = frame.toArrow()
                columns = ", ".join(
                    f'cast("{f.name}" as timestamp) as "{f.name}"'
                    if f.dataType.simpleString() == "timestamp"
                    else f'"{f.name}"'
                    for f in frame.schema.fields
                )
                con.register("__spark_table", arrow)
                con.execute(
                    f'create or replace table {schema}."{table}" as '
                    f"select {columns} from __spark_table"
                )
                con.unregister("__spark_table")
                copied[f"{schema}.{table}"] = arrow.num_rows
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()
    return copied
