"""Run the target and data-quality suites against the warehouse and persist the outcome.

API for the orchestration layer::

    run = run_target_validation(db_path, run_id, data_docs_dir)
    run = run_quality_validation(db_path, run_id, data_docs_dir)
    run.suites[i].success / .severity / .failing_targets / .failures  # → asset-check metadata
    run.structural_failures                                         # → block publishing

Both entry points only say *which* suites validate *which* frames; everything after that is one
shared path, :func:`validate_suites`, each step of it in one module:

- frame loading: :mod:`expectations.suite_frames` (read-only DuckDB → pandas);
- GX validation of a frame: :mod:`expectations.suite_validation` (GX decides every verdict);
- failing elements and their wording: :mod:`expectations.failures`;
- result recording: :mod:`expectations.recording` → `monitoring.validation_results`;
- the returned shapes: :mod:`expectations.outcomes`.

Alerting is not done here: a missed target is a finding, never an exception, and the Dagster
checks built on these results (``orchestration/assets/validation.py``) decide what fails a run,
which ``orchestration/alerting.py`` then reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
from great_expectations.core.run_identifier import RunIdentifier

from expectations import carry_forward, gx_context
from expectations.carry_forward import Carried
from expectations.outcomes import (
    ExpectationOutcome,
    Failure,
    SuiteResult,
    ValidationRun,
    verdict_evidence,
)
from expectations.quality_suites import QualitySpec, build_quality_suite, quality_specs
from expectations.recording import carried_rows, summary_rows
from expectations.recording import persist as persist_rows
from expectations.results_store import CarriedRows, ResultRow
from expectations.suite_frames import (
    FrameOf,
    InScope,
    Query,
    frames_by_plan,
    prefetched_frames,
    read_frames,
    read_targets,
)
from expectations.suite_validation import SuiteJob, validate_suite
from expectations.target_suites import (
    INDEX_COLUMNS,
    build_target_suites,
    suite_name_for_plan,
    suite_target_ids,
    target_batch,
    target_descriptions,
)
from pipelines.engine import BuiltWarehouse, DuckDBWarehouse
from pipelines.validation_scope import ValidationScope

__all__ = [
    "ExpectationOutcome",
    "Failure",
    "ResultRow",
    "SuiteResult",
    "ValidationRun",
    "run_quality_validation",
    "run_target_validation",
    "validate_suites",
    "verdict_evidence",
]


def validate_suites(
    db_path: Path,
    run_id: str,
    data_docs_dir: Path | None,
    plan_jobs: Callable[[], list[SuiteJob]],
    frame_of: FrameOf,
    *,
    persist: bool = True,
    write_con: Any | None = None,
    started: float | None = None,
    carried: Carried | None = None,
) -> ValidationRun:
    """The one validation path: validate each job's frame, record the results, build the docs.

    Args:
        db_path: the DuckDB warehouse (written once, at the end, to append the results).
        run_id: the orchestration run id stored with every result row.
        data_docs_dir: where GX Data Docs are built (None: skip).
        plan_jobs: the suites to run, called once the GX context is active (suites are built
            in the context that validates them).
        frame_of: the frame of each job by its ``frame_name``; an unreadable frame becomes a
            structural failure of its suite.
        persist: append rows to `monitoring.validation_results`.
        write_con: an open read-write connection to use for the append (else one is opened).
        started: ``time.perf_counter()`` when the caller began (its reads count in ``seconds``).
        carried: a scoped run (:class:`Carried`): the region-local suites with a usable baseline
            are validated on the scope's regions only, the baseline standing for the others.
    """
    started = time.perf_counter() if started is None else started
    validated_at = datetime.now(UTC).replace(tzinfo=None)
    context = gx_context.make_context(data_docs_dir)
    source = gx_context.frame_source(context)
    gx_run = RunIdentifier(run_name=run_id, run_time=validated_at.replace(tzinfo=UTC))
    results: list[SuiteResult] = []
    rows: list[ResultRow] = []
    docs_keys: list[Any] = []
    for job in plan_jobs():
        frame, error = frame_of(job.frame_name)
        if error is not None or frame is None:
            result = SuiteResult(job.suite_name, job.asset, job.kind, False, error=error)
        elif carried is not None and carried.applies(job):
            result, resources = _validate_scoped(context, source, job, frame, gx_run, carried)
            docs_keys.extend(resources)
        else:
            if carried is not None:
                frame, error = carried.whole(job, frame)  # read in scope, baseline unfit: all
            if error is not None or frame is None:
                result = SuiteResult(job.suite_name, job.asset, job.kind, False, error=error)
            else:
                result, resources = validate_suite(context, source, job, frame, gx_run)
                docs_keys.extend(resources)
        results.append(result)
        rows.extend(summary_rows(run_id, validated_at, result, frame))
        del frame  # with prefetched frames, the next one is being read meanwhile
    kept = (rows, [c for r in results for c in carried_rows(run_id, validated_at, r)])
    persisted, docs = _record(context, data_docs_dir, docs_keys, db_path, kept, persist, write_con)
    return ValidationRun(
        run_id, validated_at, results, persisted, docs, time.perf_counter() - started
    )


def _record(
    context: Any,
    data_docs_dir: Path | None,
    docs_keys: list[Any],
    db_path: Path,
    recorded: tuple[list[ResultRow], list[CarriedRows]],
    persist: bool,
    write_con: Any | None,
) -> tuple[int, Path | None]:
    """Write the run's rows and its carried elements (``recorded``, when ``persist``) and build
    its Data Docs; returns the rows written and the docs index.

    The docs (GX rendering, Python) are built on a thread while the rows are written (DuckDB,
    which releases the GIL): at M the two took 1.8 s and 1–4 s one after the other.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx-docs") as pool:
        docs_built = pool.submit(gx_context.build_docs, context, data_docs_dir, docs_keys)
        persisted = persist_rows(db_path, *recorded, write_con) if persist else 0
        return persisted, docs_built.result()


def _validate_scoped(
    context: Any, source: Any, job: SuiteJob, frame: Any, gx_run: Any, carried: Carried
) -> tuple[SuiteResult, list[Any]]:
    """GX on the in-scope rows of ``frame`` (none: GX does not run), merged with the baseline
    (:func:`expectations.carry_forward.merge`). A target frame is read whole, so the rows of
    the other regions are counted per target; a quality frame was read in scope only."""
    scope = carry_forward.in_scope(frame, carried.scope.regions)
    batch = frame if bool(scope.all()) else frame[scope].reset_index(drop=True)
    validated: SuiteResult | None = None
    resources: list[Any] = []
    if len(batch):
        validated, resources = validate_suite(context, source, job, batch, gx_run)
    other_rows = None
    if job.kind == "targets":
        outside = frame.loc[~scope, "target_id"].astype(str)
        other_rows = {str(k): int(v) for k, v in outside.value_counts().items()}
    merged = carry_forward.merge(
        job,
        validated,
        carried.baselines[job.suite_name],
        carried.elements[job.suite_name],
        other_rows=other_rows,
    )
    return merged, resources


def run_target_validation(
    db_path: Path,
    run_id: str,
    data_docs_dir: Path | None = None,
    *,
    persist: bool = True,
    write_con: Any | None = None,
    reader: BuiltWarehouse | None = None,
    scope: ValidationScope | None = None,
) -> ValidationRun:
    """Validate every plan's targets against the latest rows of `marts.fct_target_assessment`.

    Args:
        db_path: the DuckDB warehouse (read read-only; written once to append results).
        run_id: the orchestration run id stored with every result row.
        data_docs_dir: where GX Data Docs are built (None: skip).
        persist: append rows to `monitoring.validation_results`.
        write_con: an open read-write connection to use for the append (else one is opened).
        reader: where the verdict tables are read (default: ``db_path``; after a Spark build,
            ``pipelines.engine.open_warehouse()``); results are always appended to ``db_path``.
        scope: GX validates its regions only, the rest carried forward (expectations.carry_forward).

    Returns:
        One :class:`SuiteResult` per plan (suite ``targets__<plan_id>``).

    Raises:
        RuntimeError: the reference tables or the mart are missing.
    """
    started = time.perf_counter()
    targets, latest = read_targets(reader or DuckDBWarehouse(db_path))
    carried = _carried(db_path, write_con, scope, _target_suite_names(targets))

    def plan_jobs() -> list[SuiteJob]:
        suites = build_target_suites(targets)
        described = target_descriptions(targets)
        return [
            SuiteJob(
                suite=suites[plan_id],
                asset="marts.fct_target_assessment",
                kind="targets",
                frame_name=plan_id,
                index_columns=INDEX_COLUMNS,
                described=described,
                batch_of=partial(target_batch, target_ids=suite_target_ids(suites[plan_id])),
                region_local=True,  # one row per target × region, judged on its own
            )
            for plan_id in sorted(suites)
        ]

    return validate_suites(
        db_path,
        run_id,
        data_docs_dir,
        plan_jobs,
        frames_by_plan(latest),
        persist=persist,
        write_con=write_con,
        started=started,
        carried=carried,
    )


def run_quality_validation(
    db_path: Path,
    run_id: str,
    data_docs_dir: Path | None = None,
    *,
    persist: bool = True,
    write_con: Any | None = None,
    suites: Sequence[str] | None = None,
    scope: ValidationScope | None = None,
) -> ValidationRun:
    """Run the data-quality suites (structure, plausibility, completeness, consistency).

    A relation that cannot be read (missing table/column in the SQL) becomes a structural failure
    of its suite rather than an exception. ``suites`` restricts the run to the named suites.
    ``scope``: as for :func:`run_target_validation`; a region-local suite's frame is then read
    for the scope's regions only (:class:`~expectations.suite_frames.InScope`).

    Raises:
        RuntimeError: `reference.indicators` cannot be read (the suites are built from it).
    """
    started = time.perf_counter()
    frames, errors = read_frames(db_path, {"indicators": "select * from reference.indicators"})
    if "indicators" in errors:
        raise RuntimeError(f"cannot read reference.indicators from {db_path}: {errors}")
    indicators = frames["indicators"]
    specs = [s for s in quality_specs(indicators) if suites is None or s.suite_name in suites]
    carried = _carried(db_path, write_con, scope, [s.suite_name for s in specs if s.region_local])
    queries = _quality_queries(db_path, specs, carried)

    def plan_jobs() -> list[SuiteJob]:
        return [
            SuiteJob(
                suite=build_quality_suite(spec, indicators),
                asset=spec.asset,
                kind="quality",
                frame_name=spec.suite_name,
                index_columns=spec.index_columns,
                failure_order=spec.failure_order,
                region_local=spec.region_local,
                key_codes=spec.key_codes,
            )
            for spec in specs
        ]

    with prefetched_frames(db_path, queries) as frame_of:
        return validate_suites(
            db_path,
            run_id,
            data_docs_dir,
            plan_jobs,
            frame_of,
            persist=persist,
            write_con=write_con,
            started=started,
            carried=carried,
        )


def _target_suite_names(targets: Any) -> list[str]:
    """The target suites of the plans in ``targets`` (one per plan)."""
    return sorted({suite_name_for_plan(str(p)) for p in targets["plan_id"]})


def _quality_queries(
    db_path: Path, specs: Sequence[QualitySpec], carried: Carried | None
) -> dict[str, Query]:
    """Each suite's frame query; in a scoped run, in scope for the suites with a baseline."""
    queries: dict[str, Query] = {s.suite_name: s for s in specs}
    if carried is not None:
        for spec in specs:
            if spec.suite_name in carried.baselines:
                queries[spec.suite_name] = InScope(spec, carried.scope.regions)
        carried.scoped_reads = frozenset(carried.baselines)
        carried.read_whole = lambda name: _read_one_frame(db_path, specs, name)
    return queries


def _read_one_frame(
    db_path: Path, specs: Sequence[QualitySpec], name: str
) -> tuple[Any | None, str | None]:
    """Every row of quality suite ``name``'s frame (or the error reading it)."""
    frames, errors = read_frames(db_path, {s.suite_name: s for s in specs if s.suite_name == name})
    return frames.get(name), errors.get(name)


def _carried(
    db_path: Path, write_con: Any | None, scope: ValidationScope | None, suite_names: list[str]
) -> Carried | None:
    """The baselines of a scoped run (None: not scoped), read before any frame is validated."""
    if scope is None:
        return None
    if write_con is not None:
        return carry_forward.load(write_con, scope, suite_names)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return carry_forward.load(con, scope, suite_names)
    finally:
        con.close()
