"""Dagster resources: the warehouse (paths + the writer lock) and the dbt CLI.

Every path comes from :func:`pipelines.config.load_settings` (environment with defaults) unless a
resource field overrides it, so ``HEALTHPLAN_WAREHOUSE=/tmp/x.duckdb dagster dev`` moves
everything.  Fields left empty are resolved when a run starts, not when the code is loaded.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from orchestration.project import dbt_project, guarded_dbt_executable
from pipelines.alerts import flush_pending
from pipelines.config import Settings, load_settings
from pipelines.db import connect_warehouse
from pipelines.locking import writer_lock


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse and its companions, guarded by the one-writer lock.

    While a run uses this resource it holds the OS writer lock (``Settings.lock_file``): a second
    run waits up to ``lock_timeout`` seconds, then fails naming the holder.  Nothing else in the
    run needs to think about concurrency.
    """

    warehouse: str = ""
    raw: str = ""
    published: str = ""
    reports: str = ""
    lock_timeout: float = -1.0  # < 0: HEALTHPLAN_LOCK_TIMEOUT (default 60 s)

    def settings(self) -> Settings:
        """Settings from the environment, with this resource's non-empty fields applied."""
        base = load_settings()
        overrides: dict[str, Any] = {
            name: Path(value).resolve()
            for name in ("warehouse", "raw", "published", "reports")
            if (value := getattr(self, name))
        }
        return replace(base, **overrides)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        settings = self.settings()
        settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
        run_id = context.run_id if context.dagster_run else None
        job = context.dagster_run.job_name if context.dagster_run else ""
        timeout = None if self.lock_timeout < 0 else self.lock_timeout
        with writer_lock(
            settings.lock_file, timeout=timeout, purpose=f"dagster job {job}", run_id=run_id
        ):
            # Before any work: spooled alerts, and an alert for a writer that died (kill -9).
            flush_pending(settings.warehouse, lock_file=settings.lock_file)
            # dbt subprocesses read the warehouse path from the environment (profiles.yml).
            os.environ["HEALTHPLAN_WAREHOUSE"] = str(settings.warehouse)
            yield self

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection to the working warehouse, closed on exit."""
        con = connect_warehouse(self.settings().warehouse, read_only=read_only)
        try:
            yield con
        finally:
            con.close()


def dbt_resource() -> DbtCliResource:
    """The dbt CLI resource (profile path from ``HEALTHPLAN_WAREHOUSE`` at run time)."""
    return DbtCliResource(project_dir=dbt_project, dbt_executable=guarded_dbt_executable())


def default_resources() -> dict[str, object]:
    """Resources of the one :class:`dagster.Definitions`."""
    return {"warehouse": WarehouseResource(), "dbt": dbt_resource()}
