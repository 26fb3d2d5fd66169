"""The GX scope of a run: which regions its validation re-validates, decided and recorded here.

After an incremental build only the affected regions' rows changed (:func:`pipelines.run_state.affected_regions`).
When every other row is exactly what the last build's run validated, GX re-validates those
regions only and that run's results stand for the others (:mod:`expectations.carry_forward`).
The dbt asset decides the scope (:func:`validation_scope`) and records it with the build in
``monitoring.dbt_build_state`` (:func:`pipelines.run_state.record_build_start`); the GX steps read it
(:func:`read_validation_scope`). Every check says what it covered the same way
(:func:`coverage_metadata`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines.db import column_names
from pipelines.history import read_sql
from pipelines.run_state import BUILD_STATE_TABLE, BuildState, Decision, RunInputs


@dataclass(frozen=True)
class ValidationScope:
    """What a run's GX validation re-validates: the rows of ``regions`` only; for every other
    region the results of run ``baseline_run_id`` (the last build's run) stand, carried forward
    (:mod:`expectations.carry_forward`)."""

    regions: tuple[str, ...]
    baseline_run_id: str


def validation_scope(
    last: BuildState | None, decision: Decision, now: RunInputs, regions: list[str] | None
) -> ValidationScope | None:
    """The GX scope of a run about to build, or None (GX validates every row).

    Scoped only when every row outside ``regions`` (the affected regions, whose dbt tests are
    scoped too) is exactly what the last build's run validated: an incremental build after a
    build that succeeded and was published (so its validation completed and passed its
    structural checks), with the same code that validates (``code_fingerprint``; the suites'
    inputs, the dbt seeds, are in the dbt fingerprint, whose change means a full build).
    """
    if (
        regions is None
        or decision.action != "incremental"
        or last is None
        or last.status != "succeeded"
        or last.published_at is None
        or last.code_fingerprint != now.code_fingerprint
    ):
        return None
    return ValidationScope(tuple(regions), last.run_id)


def read_validation_scope(con: duckdb.DuckDBPyConnection, run_id: str) -> ValidationScope | None:
    """The GX scope recorded for run ``run_id``'s build, if that build succeeded (else None:
    no build in this run, a full build, or a build that did not complete)."""
    present = column_names(con, BUILD_STATE_TABLE)
    if not {"validation_regions", "validation_baseline_run_id"} <= present:
        return None
    row = con.execute(read_sql("validation_scope"), [run_id]).fetchone()
    if row is None or row[0] is None or row[1] is None:
        return None
    return ValidationScope(tuple(json.loads(row[0])), str(row[1]))


def coverage_metadata(regions: Sequence[str] | None, limit: int = 50) -> dict[str, Any]:
    """Which regions a check covered, as every check says it (the dbt tests' and GX's): ``all``,
    or the first ``limit`` region ids (``none`` for no region) and their count."""
    if regions is None:
        return {"regions_covered": "all"}
    return {
        "regions_covered": ", ".join(list(regions)[:limit]) or "none",
        "regions_covered_count": len(regions),
    }
