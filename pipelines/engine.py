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
import pandas as pd
import yaml

from pipelines.config import DBT_PROJECT_DIR, Settings, load_settings
from pipelines.db import connect_warehouse

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


class MissingRelationError(LookupError):
    """A query named a table or view the warehouse does not have (dbt has not built it)."""


class BuiltWarehouse(Protocol):
    """Read access to the tables dbt built: the one interface GX's verdict frames, the parity
    tests and the read-back of a Spark build use, whichever engine built them."""

    engine: str

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` as tuples (timestamps as naive datetimes)."""
        ...

    def frame(self, sql: str, categories: bool = False) -> pd.DataFrame:
        """``sql`` as the pandas frame DuckDB's ``.df()`` gives (expectations.frames), text as
        ``category`` with ``categories``; :class:`MissingRelationError` for a missing table."""
        ...

    def column_types(self, table: str) -> dict[str, str]:
        """``{column: type}`` of ``schema.table`` in declaration order, Spark type names."""
        ...

    def tables(self, schema: str, views: bool = False) -> list[str]:
        """Names of the tables in ``schema`` (and of its views with ``views``)."""
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

    def frame(self, sql: str, categories: bool = False) -> pd.DataFrame:
        from expectations.frames import read_frame

        with self._connect() as con:
            try:
                return read_frame(con, sql, categories=categories)
            except duckdb.CatalogException as exc:
                raise MissingRelationError(str(exc).splitlines()[0]) from exc

    def column_types(self, table: str) -> dict[str, str]:
        schema, name = table.split(".")
        with self._connect() as con:
            rows = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
        return {c: SPARK_TYPE_OF_DUCKDB.get(t, t.lower()) for c, t in rows}

    def tables(self, schema: str, views: bool = False) -> list[str]:
        kinds = ["BASE TABLE", "VIEW"] if views else ["BASE TABLE"]
        with self._connect() as con:
            rows = con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and list_contains(?, table_type) order by table_name",
                [schema, kinds],
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

    def frame(self, sql: str, categories: bool = False) -> pd.DataFrame:
        import pyarrow as pa
        from pyspark.errors import AnalysisException

        from expectations.frames import arrow_to_pandas

        try:
            table = self.session().sql(sql).toArrow()
        except AnalysisException as exc:
            if "NOT_FOUND" in (exc.getCondition() or ""):
                raise MissingRelationError(str(exc).splitlines()[0]) from exc
            raise
        # Spark hands timestamps over as UTC instants; DuckDB's are naive UTC wall-clock values
        for i, field in enumerate(table.schema):
            if pa.types.is_timestamp(field.type) and field.type.tz is not None:
                naive = table.column(i).cast(pa.timestamp(field.type.unit))  # keeps UTC values
                table = table.set_column(i, field.name, naive)
        return arrow_to_pandas(table, categories)

    def column_types(self, table: str) -> dict[str, str]:
        schema = self.session().table(table).schema
        return {f.name: f.dataType.simpleString() for f in schema.fields}

    def tables(self, schema: str, views: bool = False) -> list[str]:
        session = self.session()
        if not session.catalog.databaseExists(schema):
            return []
        # listTables also returns the session's temporary views (dbt-spark's `<model>__dbt_tmp`
        # of an incremental build in this session): they are not relations of the warehouse.
        listed = session.catalog.listTables(schema)
        return sorted(
            t.name for t in listed if not t.isTemporary and (views or t.tableType != "VIEW")
        )


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


#: Schemas whose tables the rest of the pipeline reads (GX quality suites, report, publish).
MIRRORED_SCHEMAS = ("reference", "staging", "intermediate", "marts")
#: Schemas whose views are copied too (as tables): GX's quality suite reads
#: ``staging.stg_observations``, a view on both engines.
SCHEMAS_WITH_VIEWS = ("staging",)


def mirror_into_duckdb(
    spark: SparkWarehouse, duckdb_path: Path, schemas: tuple[str, ...] = MIRRORED_SCHEMAS
) -> dict[str, int]:
    """Copy what a Spark build wrote into the DuckDB working file, read through Spark: the
    snapshot the quality suites, the report and publish read after a Spark build (the target
    verdicts are validated on the Spark tables themselves: ``run_target_validation(reader=…)``).

    Arrow hand-over, timestamps back to DuckDB's naive UTC TIMESTAMP; the staging views become
    tables (their rows as of this build). The copy replaces each relation whole, in one
    transaction.

    Returns:
        Rows copied per ``schema.table``.
    """
    session = spark.session()
    copied: dict[str, int] = {}
    con = connect_warehouse(duckdb_path)
    try:
        con.execute("set TimeZone = 'UTC'")
        con.begin()
        for schema in schemas:
            con.execute(f"create schema if not exists {schema}")
            for table in spark.tables(schema, views=schema in SCHEMAS_WITH_VIEWS):
                frame = session.table(f"{schema}.{table}")
                arrow = frame.toArrow()
                columns = ", ".join(
                    f'cast("{f.name}" as timestamp) as "{f.name}"'
                    if f.dataType.simpleString() == "timestamp"
                    else f'"{f.name}"'
                    for f in frame.schema.fields
                )
                con.register("__spark_table", arrow)
                kind = con.execute(
                    "select table_type from information_schema.tables "
                    "where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchone()
                if kind and kind[0] == "VIEW":  # a DuckDB build's view of the same name
                    con.execute(f'drop view {schema}."{table}"')
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
