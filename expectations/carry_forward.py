"""Scoped validation: GX re-validates the affected regions, earlier GX results stand for the rest.

After an incremental build (:func:`pipelines.validation_scope.validation_scope`) only the rows of the
affected regions changed; every other row is exactly what the last build's run (the *baseline*)
validated. A region-local suite — every row belongs to one region, and no expectation compares
rows of two regions (a uniqueness key holds the region) — is then validated by GX on the rows of
the affected regions only (:func:`in_scope`, :func:`scoped_sql`: batch filtering of the
validated frame), and each other region keeps the baseline's GX result for it: its failing
elements in ``monitoring.validation_results`` stand. They are counted in SQL
(:func:`carried_elements`) and copied under the new run by SQL when the run is recorded
(:class:`~expectations.results_store.CarriedRows`); they never pass through Python (at M a
scoped run carries ~170,000 of them).

:func:`merge` puts the two together into the :class:`~expectations.outcomes.SuiteResult` a full
validation would have given (its ``failures`` list GX's of this run, the carried ones are
counted), so the rows recorded, the report, the alerts and ``failing_since`` read the same.
Nothing here decides whether a row passes: an expectation fails when GX failed it on a
re-validated row or GX failed it on a row of another region in the baseline. Counts: the
failing rows are GX's plus those carried; the rows judged (``element_count``) are GX's plus the
other regions' rows of the target when the caller can count them (target suites: the frame is
read whole, only the batch is filtered), else the message says where the count stops.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from expectations.frames import read_sql
from expectations.outcomes import CarriedElements, ExpectationOutcome, Failure, SuiteResult
from expectations.results_store import carried_params, carried_sql
from expectations.suite_validation import SuiteJob
from pipelines.validation_scope import ValidationScope

#: Expectations about the relation rather than its rows (a column exists): the re-validated
#: batch has the relation's columns, so GX's result on it is the relation's.
TABLE_LEVEL_TYPES = frozenset({"expect_column_to_exist"})
REGION = "region_id"


def in_scope(frame: pd.DataFrame, regions: Iterable[str]) -> pd.Series:
    """Rows GX re-validates: those of ``regions``, and any without a region (never carried)."""
    column = frame[REGION]
    return column.isin(list(regions)) | column.isna()


def scoped_sql(sql: str, regions: Sequence[str]) -> str:
    """``sql`` filtered to the rows :func:`in_scope` keeps; the regions inlined as literals so
    DuckDB pushes the filter down to the scans (as dbt's scoped tests do)."""
    listed = ", ".join("'" + r.replace("'", "''") + "'" for r in regions) or "null"
    return read_sql("in_scope").format(query=sql, regions=listed)


def baseline_rows(con: Any, suite_name: str, run_id: str) -> list[dict[str, Any]] | None:
    """The suite's expectation rows as validated by run ``run_id``, or None when that run is not
    the suite's latest validation (a later one exists, or it never validated the suite).

    Read through the retention policy (:mod:`expectations.results_store`): a row compacted into
    an older streak names ``run_id`` as the streak's last run. The failing elements are not read
    (:func:`carried_elements` counts those that stand).
    """
    latest = con.execute(read_sql("baseline_latest_run"), {"suite_name": suite_name}).fetchone()
    if latest is None or latest[0] != run_id:
        return None
    params = {"suite_name": suite_name, "run_id": run_id, "row_kind": "expectation"}
    cursor = con.execute(read_sql("baseline_rows"), params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def carried_elements(con: Any, suite_name: str, scope: ValidationScope) -> CarriedElements:
    """How many failing elements of each expectation of the scope's baseline stand (those of
    the regions not re-validated), and their targets: counted in SQL, the rows stay where they
    are until the run records them (:class:`~expectations.results_store.CarriedRows`)."""
    params = carried_params(suite_name, scope.baseline_run_id, scope.regions)
    rows = con.execute(carried_sql("carried_counts"), params).fetchall()
    return CarriedElements(
        baseline_run_id=scope.baseline_run_id,
        regions=tuple(scope.regions),
        counts={str(eid): int(n) for eid, n, _ in rows},
        target_ids=frozenset(str(t) for _, _, targets in rows for t in targets or ()),
    )


def usable(baseline: list[dict[str, Any]] | None, suite: Any) -> bool:
    """Whether ``baseline`` can stand for the regions not re-validated: one result per
    expectation of ``suite`` (same ids), no frame that could not be read, no expectation that
    raised."""
    if not baseline or _errored(baseline):
        return False
    ids = [r["expectation_id"] for r in baseline if r.get("row_kind") == "expectation"]
    return len(ids) == len(set(ids)) and set(ids) == {str(e.id) for e in suite.expectations}


def _errored(baseline: list[dict[str, Any]]) -> bool:
    """A frame that could not be read, or an expectation that raised, in the baseline."""
    return any(
        r.get("row_kind") == "expectation"
        and (
            r.get("expectation_type") == "frame_readable"
            or str(r.get("message") or "").startswith("error:")
        )
        for r in baseline
    )


def _unvalidated(
    config: Any, baseline: dict[str, Any], described: Mapping[str, dict[str, Any]] | None
) -> ExpectationOutcome:
    """An expectation GX did not run here (no row of the suite is in scope): its definition
    from the suite, its result from the baseline."""
    meta = dict(config.meta or {})
    meta = {**(described or {}).get(str(meta.get("target_id")), {}), **meta}
    return ExpectationOutcome(
        expectation_id=str(config.id),
        expectation_type=config.expectation_type,
        success=bool(baseline["success"]),
        severity=str(getattr(config.severity, "value", config.severity) or meta.get("severity")),
        structural=bool(meta.get("structural")),
        meta=meta,
        element_count=None,
        unexpected_count=None,
        error=None,
    )


def merge(
    job: SuiteJob,
    validated: SuiteResult | None,
    baseline: list[dict[str, Any]],
    carried: CarriedElements,
    *,
    other_rows: Mapping[str, int] | None = None,
) -> SuiteResult:
    """The suite's result over every row: GX's on the re-validated regions (``validated``; None
    when no row of the suite is in scope), the baseline's for every other region.

    Args:
        job: the suite (its expectations, in order, define the result's), its kind, the
            relation it guards, its target descriptions.
        validated: GX's result on the in-scope rows.
        baseline: :func:`baseline_rows` of the suite (its expectation rows), checked by
            :func:`usable`.
        carried: :func:`carried_elements` of the suite: the baseline's failing elements of the
            other regions, by expectation (they stand, and are recorded with the run).
        other_rows: rows outside the scope by ``target_id`` (target suites), so that each
            expectation's row count is the full one; None: not known.
    """
    summary = {row["expectation_id"]: row for row in baseline}
    ran = {e.expectation_id: e for e in (validated.expectations if validated else [])}
    failed_here: dict[str, list[Failure]] = {}
    for f in validated.failures if validated else []:
        failed_here.setdefault(f.expectation_id, []).append(f)
    out = SuiteResult(job.suite_name, job.asset, job.kind, True, carried=carried)
    for config in job.suite.expectations:
        eid = str(config.id)
        outcome = ran.get(eid) or _unvalidated(config, summary[eid], job.described)
        others = carried.counts.get(eid, 0)
        if outcome.expectation_type not in TABLE_LEVEL_TYPES and outcome.error is None:
            outcome.success = (eid not in ran or outcome.success) and not others
            outcome.unexpected_count = (outcome.unexpected_count or 0) + others
            target = str(outcome.meta.get("target_id"))
            if other_rows is not None:
                outcome.element_count = (outcome.element_count or 0) + other_rows.get(target, 0)
            else:
                outcome.element_count = None
            outcome.carried_from = carried.baseline_run_id
        out.expectations.append(outcome)
        out.failures.extend(failed_here.get(eid, []))  # in GX's order (failure_order)
    out.success = all(e.success for e in out.expectations)
    out.regions_covered = carried.regions
    return out


#: ``read_whole(frame_name)`` → ``(frame, None)`` or ``(None, error)``: every row of a frame that
#: was read in scope only, for a suite whose baseline turns out not to fit.
WholeReader = Callable[[str], tuple[pd.DataFrame | None, str | None]]


@dataclass
class Carried:
    """A scoped validation: the scope, the baselines of the suites that may be scoped, and how
    to read a frame whole again (:func:`expectations.runner.validate_suites`)."""

    scope: ValidationScope
    #: :func:`baseline_rows` by suite name, of the suites whose baseline has no error.
    baselines: dict[str, list[dict[str, Any]]]
    #: :func:`carried_elements` by suite name, of the same suites.
    elements: dict[str, CarriedElements] = field(default_factory=dict)
    #: Frames read in scope only (by frame name).
    scoped_reads: frozenset[str] = frozenset()
    read_whole: WholeReader | None = field(default=None, repr=False)

    def applies(self, job: SuiteJob) -> bool:
        """Whether ``job`` is validated in scope: region-local, with a baseline that fits."""
        return job.region_local and usable(self.baselines.get(job.suite_name), job.suite)

    def whole(self, job: SuiteJob, frame: pd.DataFrame) -> tuple[pd.DataFrame | None, str | None]:
        """``frame``, or every row of it when it was read in scope only."""
        if job.frame_name not in self.scoped_reads or self.read_whole is None:
            return frame, None
        return self.read_whole(job.frame_name)


def load(con: Any, scope: ValidationScope, suite_names: Iterable[str]) -> Carried:
    """The baselines of ``suite_names`` for a run scoped by ``scope`` (read over ``con``)."""
    baselines, elements = {}, {}
    for name in suite_names:
        rows = baseline_rows(con, name, scope.baseline_run_id)
        if rows and not _errored(rows):
            baselines[name] = rows
            elements[name] = carried_elements(con, name, scope)
    return Carried(scope, baselines, elements)
