"""Has anything changed since the last complete run? The one place that decides it.

A run's results depend on three things, each with one definition here:

* **the raw data**: the newest ``ingested_at`` in schema ``raw`` (:func:`raw_watermark`).  Whether
  a landing-zone file brings anything new is decided once, by ingestion (a file already ingested
  writes nothing); the incremental dbt models use the same ``ingested_at`` as their watermark.
* **the dbt project**: seeds, models, macros, tests, ``dbt_project.yml``, the assessment year and
  the dbt/DuckDB versions (:func:`dbt_fingerprint`).  A change rebuilds every model in full.
* **the code that validates, reports and publishes**: ``expectations/``, ``pipelines/``,
  ``orchestration/`` (:func:`code_fingerprint`).  A change re-runs the steps after ingestion.

Every dbt build of a Dagster run is recorded in ``monitoring.dbt_build_state`` with the three
values, and the publish step stamps the newest build ``published_at``.  :func:`decide` compares the
last record with the current values: **skip** (nothing new: the dbt asset yields nothing, so Dagster
skips dbt, GX, the report and publish), an **incremental** build, or a **full** rebuild.
Sensor, schedule and CLI runs all pass through it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.config import PROJECT_ROOT
from pipelines.db import column_names

if TYPE_CHECKING:
    from pipelines.validation_scope import ValidationScope

#: dbt project inputs, other than raw data, that the models' content depends on.
DBT_INPUTS: tuple[str, ...] = ("seeds", "models", "macros", "tests", "dbt_project.yml")
#: Code (outside the dbt project) whose change alters what validation, report or publish produce.
CODE_TREES: tuple[str, ...] = ("expectations", "pipelines", "orchestration")
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json"}
#: Packages whose version can change what a model computes.
ENGINE_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
#: Where each dbt build of a Dagster run is recorded (one row per build; the newest decides).
BUILD_STATE_TABLE = "monitoring.dbt_build_state"


def hash_tree(digest: hashlib._Hash, root: Path, base: Path, suffixes: set[str] | None) -> None:
    """Feed ``digest`` each file's path (relative to ``base``) and content hash, in path order.

    ``root`` is a file or a folder; ``suffixes`` limits which files count (None: all).
    """
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
            continue
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def dbt_fingerprint(project_dir: Path, assessment_year: int | None = None) -> str:
    """sha256 over the dbt project inputs that are not raw data, the assessment year and versions.

    ``assessment_year`` defaults to the current UTC year: dbt's own default (``run_started_at``)
    when var ``assessment_year`` is not set, as in the Dagster runs.
    """
    digest = hashlib.sha256()
    digest.update(f"assessment_year={assessment_year or dt.datetime.now(dt.UTC).year}".encode())
    for package in ENGINE_PACKAGES:
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=absent".encode())
    for rel in DBT_INPUTS:
        path = project_dir / rel
        if path.exists():
            hash_tree(digest, path, project_dir, CODE_SUFFIXES)
    return digest.hexdigest()


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """sha256 over the Python code and suites that validate, report and publish."""
    digest = hashlib.sha256()
    for rel in CODE_TREES:
        path = root / rel
        if path.exists():
            hash_tree(digest, path, root, CODE_SUFFIXES)
    return digest.hexdigest()


def raw_watermark(con: duckdb.DuckDBPyConnection) -> str | None:
    """The newest ``ingested_at`` over every table of schema ``raw`` (None: nothing ingested)."""
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.columns "
            "where table_schema = 'raw' and column_name = 'ingested_at' order by table_name"
        ).fetchall()
    ]
    if not tables:
        return None
    union = " union all ".join(f'select max(ingested_at) as t from raw."{t}"' for t in tables)
    row = con.execute(f"select cast(max(t) as varchar) from ({union})").fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class RunInputs:
    """What a run's results depend on, as of now."""

    dbt_fingerprint: str
    code_fingerprint: str
    raw_watermark: str | None


def current_inputs(con: duckdb.DuckDBPyConnection, project_dir: Path) -> RunInputs:
    """What a run's results would depend on now (the dbt asset and the schedule ask the same)."""
    return RunInputs(
        dbt_fingerprint=dbt_fingerprint(project_dir),
        code_fingerprint=code_fingerprint(),
        raw_watermark=raw_watermark(con),
    )


@dataclass(frozen=True)
class BuildState:
    """One recorded dbt build (a row of ``monitoring.dbt_build_state``)."""

    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    mode: str  # full | incremental
    status: str  # running | succeeded | partial | failed
    fingerprint: str  # the dbt fingerprint
    reason: str
    code_fingerprint: str | None = None
    raw_watermark: str | None = None
    published_at: dt.datetime | None = None


@dataclass(frozen=True)
class Decision:
    """What a run does after ingestion, and why (logged and recorded)."""

    action: str  # skip | incremental | full
    reason: str

    @property
    def full_refresh(self) -> bool:
        """True for ``dbt build --full-refresh``."""
        return self.action == "full"


def decide(
    last: BuildState | None,
    now: RunInputs,
    *,
    forced: bool = False,
    forced_by: str = "forced",
    published_exists: bool = True,
) -> Decision:
    """Skip, incremental or full: see the module docstring.

    Full unless the last build ran on the same dbt inputs and left full tables: an incremental
    build that failed needs no full rebuild (its models' watermarks did not move), but a full
    rebuild that did not complete (failed, killed, or only some models) leaves tables of mixed
    inputs.  Skip only when the last build succeeded on the same raw data, dbt inputs and code,
    and its results were published (a run stopped by a structural failure is redone).
    """
    if forced:
        return Decision("full", forced_by)
    if last is None:
        return Decision("full", f"no dbt build recorded in {BUILD_STATE_TABLE}")
    if last.mode == "full" and last.status != "succeeded":
        return Decision(
            "full", f"the last full rebuild (run {last.run_id}) did not complete: {last.status}"
        )
    if last.fingerprint != now.dbt_fingerprint:
        return Decision(
            "full",
            f"dbt project inputs changed since run {last.run_id} (seeds, models, macros, tests, "
            "dbt_project.yml, assessment year or dbt/DuckDB version)",
        )
    unchanged = (
        last.status == "succeeded"
        and last.published_at is not None
        and published_exists
        and last.code_fingerprint == now.code_fingerprint
        and last.raw_watermark == now.raw_watermark
    )
    if unchanged:
        return Decision(
            "skip",
            f"nothing new since run {last.run_id}: no data ingested after {now.raw_watermark}, "
            "dbt project and code unchanged, results published",
        )
    return Decision(
        "incremental",
        f"dbt project inputs unchanged since run {last.run_id}: only regions with raw data "
        "ingested after each model's watermark are rebuilt",
    )


_COLUMNS = (
    "run_id varchar, started_at timestamp, finished_at timestamp, mode varchar, "
    "status varchar, fingerprint varchar, reason varchar"
)
#: Added after the first release (``add column if not exists`` upgrades older warehouses).
_ADDED_COLUMNS = (
    "code_fingerprint varchar",
    "raw_watermark varchar",
    "published_at timestamp",
    # The run's GX scope (pipelines/validation_scope.py): the regions re-validated (JSON list)
    # and the run whose results stand for the other regions; null: GX validates every row.
    "validation_regions varchar",
    "validation_baseline_run_id varchar",
)


def ensure_build_state_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or upgrade) ``monitoring.dbt_build_state``."""
    con.execute("create schema if not exists monitoring")
    con.execute(f"create table if not exists {BUILD_STATE_TABLE} ({_COLUMNS})")
    for column in _ADDED_COLUMNS:
        con.execute(f"alter table {BUILD_STATE_TABLE} add column if not exists {column}")


def read_build_state(con: duckdb.DuckDBPyConnection) -> BuildState | None:
    """The newest recorded build, or None (no table or no row)."""
    present = column_names(con, BUILD_STATE_TABLE)
    if not present:
        return None
    # Read-only callers may see a table written before the added columns existed.
    wanted = [f.name for f in fields(BuildState)]
    columns = ", ".join(c if c in present else f"null as {c}" for c in wanted)
    row = con.execute(
        f"select {columns} from {BUILD_STATE_TABLE} order by started_at desc limit 1"
    ).fetchone()
    return BuildState(*row) if row else None


def record_build_start(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    now: RunInputs,
    decision: Decision,
    scope: ValidationScope | None = None,
) -> None:
    """Record a build as ``running`` before dbt starts (a killed run stays ``running``), with
    the GX scope the run's validation will use (:mod:`pipelines.validation_scope`; None: every
    row)."""
    ensure_build_state_table(con)
    con.execute(
        f"insert into {BUILD_STATE_TABLE} (run_id, started_at, mode, status, fingerprint, reason, "
        "code_fingerprint, raw_watermark, validation_regions, validation_baseline_run_id) "
        "values (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            _now(),
            decision.action,
            now.dbt_fingerprint,
            decision.reason,
            now.code_fingerprint,
            now.raw_watermark,
            None if scope is None else json.dumps(list(scope.regions)),
            None if scope is None else scope.baseline_run_id,
        ],
    )


def record_build_end(con: duckdb.DuckDBPyConnection, run_id: str, status: str) -> None:
    """Set the final status of the run's build."""
    con.execute(
        f"update {BUILD_STATE_TABLE} set status = ?, finished_at = ? "
        "where run_id = ? and status = 'running'",
        [status, _now(), run_id],
    )


def record_published(con: duckdb.DuckDBPyConnection) -> None:
    """Stamp the newest build as published (call after the published copy was swapped in)."""
    ensure_build_state_table(con)
    con.execute(
        f"update {BUILD_STATE_TABLE} set published_at = ? where run_id = ("
        f"select run_id from {BUILD_STATE_TABLE} order by started_at desc limit 1)",
        [_now()],
    )


def affected_regions(con: duckdb.DuckDBPyConnection, since: str) -> list[str]:
    """Regions an incremental build after raw watermark ``since`` rebuilds (sorted).

    The regions of every raw row of a landing-zone path with an arrival after ``since``: the new
    rows and the rows an arrival withdrew — the same set each incremental-by-region model derives
    from its own watermark (``affected_regions_query`` in
    dbt_project/macros/incremental_by_region.sql; a test requires the two to agree).  The run
    scopes its dbt tests (and reports the scope on its checks) to these regions.
    """
    tables = [
        t
        for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "and table_name in ('observations', 'count_observations', 'ingested_files')"
        ).fetchall()
    ]
    if "ingested_files" not in tables:
        return []
    arrived = "select file_path from raw.ingested_files where ingested_at > cast(? as timestamp)"
    parts = [
        f"select distinct region_id from raw.{t} "
        f"where ingested_at > cast(? as timestamp) or file_path in ({arrived})"
        for t in ("observations", "count_observations")
        if t in tables
    ]
    if not parts:
        return []
    rows = con.execute(
        " union ".join(parts) + " order by 1", [since, since] * len(parts)
    ).fetchall()
    return [r for (r,) in rows if r is not None]


def scope_tests_since(last: BuildState | None, decision: Decision) -> str | None:
    """The raw watermark an incremental build's tests may be scoped from, or None (test all).

    Only after a build that succeeded: a failed or killed one may have left models whose own
    watermarks are older than its recorded raw watermark, which rebuild more regions.
    """
    if decision.action != "incremental" or last is None or last.status != "succeeded":
        return None
    return last.raw_watermark


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
