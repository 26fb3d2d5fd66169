"""Paths and settings, read from the environment with sane defaults.

Every component (CLI, Dagster resources, dbt profile, GX runner, tests) takes its paths from
:func:`load_settings` so one environment variable moves the whole warehouse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Repository root (this file lives in <root>/pipelines/config.py).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
#: Failure-report run folders kept (``HEALTHPLAN_REPORTS_KEEP``; 0 keeps all): ≈ 240 MB each at
#: the benchmark's scale M, one per run that validates (pipelines/report/retention.py).
REPORTS_KEEP_DEFAULT = 30
#: dbt targets of dbt_project/profiles.yml that HEALTHPLAN_ENGINE may name.
ENGINES = ("duckdb", "spark", "spark_thrift")


def _path(env: str, default: Path) -> Path:
    raw = os.environ.get(env)
    path = Path(raw) if raw else default
    return path if path.is_absolute() else (PROJECT_ROOT / path)


def _count(env: str, default: int) -> int:
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError(f"{env}={raw!r}: expected a whole number ≥ 0 (0 = no limit)")
    return value


@dataclass(frozen=True)
class Settings:
    """Resolved locations of the warehouse's state.

    Attributes:
        warehouse: the working DuckDB file every run writes (``HEALTHPLAN_WAREHOUSE``).
        raw: the landing zone scanned for files (``HEALTHPLAN_RAW``).
        published: read-only copy analysts query, swapped in atomically after a good run
            (``HEALTHPLAN_PUBLISHED``).
        reports: where failure reports and GX Data Docs are written (``HEALTHPLAN_REPORTS``).
        engine: the dbt target the models are built on, ``duckdb`` (default) or ``spark``
            (``HEALTHPLAN_ENGINE``; docs/scale-out.md). Ingestion always lands in DuckDB first.
        lake: Parquet copies of the raw tables the Spark target reads (``HEALTHPLAN_LAKE``).
        spark_dir: local Spark warehouse and metastore (``HEALTHPLAN_SPARK_DIR``).
        reports_keep: failure-report run folders kept, newest first (``HEALTHPLAN_REPORTS_KEEP``,
            default :data:`REPORTS_KEEP_DEFAULT`; 0 keeps every folder).
    """

    warehouse: Path
    raw: Path
    published: Path
    reports: Path
    engine: str = "duckdb"
    lake: Path = PROJECT_ROOT / "warehouse" / "lake"
    spark_dir: Path = PROJECT_ROOT / "warehouse" / "spark"
    reports_keep: int = REPORTS_KEEP_DEFAULT

    @property
    def on_spark(self) -> bool:
        """True when the models are built on a Spark target (local session or cluster)."""
        return self.engine.startswith("spark")

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def data_docs(self) -> Path:
        return self.reports / "data_docs"

    @property
    def lock_file(self) -> Path:
        return self.warehouse.with_suffix(".writer.lock")

    def dbt_env(self) -> dict[str, str]:
        """Environment for a dbt subprocess so its profile points at this warehouse."""
        env = dict(os.environ)
        env["HEALTHPLAN_WAREHOUSE"] = str(self.warehouse)
        env["HEALTHPLAN_ENGINE"] = self.engine
        env["HEALTHPLAN_LAKE"] = str(self.lake)
        env["HEALTHPLAN_SPARK_DIR"] = str(self.spark_dir)
        return env


def load_settings() -> Settings:
    """Read settings from the environment (defaults relative to the repository root)."""
    warehouse = _path("HEALTHPLAN_WAREHOUSE", Path("warehouse/healthplan.duckdb"))
    engine = os.environ.get("HEALTHPLAN_ENGINE", "") or "duckdb"
    if engine not in ENGINES:
        raise ValueError(f"HEALTHPLAN_ENGINE={engine!r}: expected one of {', '.join(ENGINES)}")
    return Settings(
        warehouse=warehouse,
        raw=_path("HEALTHPLAN_RAW", Path("raw")),
        published=_path("HEALTHPLAN_PUBLISHED", warehouse.parent / "published" / warehouse.name),
        reports=_path("HEALTHPLAN_REPORTS", warehouse.parent / "reports"),
        engine=engine,
        lake=_path("HEALTHPLAN_LAKE", warehouse.parent / "lake"),
        spark_dir=_path("HEALTHPLAN_SPARK_DIR", warehouse.parent / "spark"),
        reports_keep=_count("HEALTHPLAN_REPORTS_KEEP", REPORTS_KEEP_DEFAULT),
    )
