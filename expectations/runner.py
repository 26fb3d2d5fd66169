"""Run the target and data-quality suites against the warehouse and persist the outcome.

API for the orchestration layer::

    run = run_target_validation(db_path, run_id, data_docs_dir)
    run = run_quality_validation(db_path, run_id, data_docs_dir)
    run.suites[i].success / .severity / .failing_targets / .failures  # → asset-check metadata
    run.structural_failures                                         # → block publishing

Tables are read over a read-only DuckDB connection into pandas (GX's SQL datasource is broken on
DuckDB, see docs/monitoring.md); the connection is closed before GX runs and a short read-write
connection appends the results to `monitoring.validation_results`. A missed target is a finding,
never an exception.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier

from expectations import gx_context
from expectations.failing_rows import domain_columns, failing_rows
from expectations.frames import read_frame, relation_columns
from expectations.quality_suites import QualitySpec, build_quality_suite, quality_specs
from expectations.results_store import ResultRow, append_rows, compact
from expectations.target_suites import (
    DETAIL_COLUMNS,
    GX_COLUMNS,
    INDEX_COLUMNS,
    VERDICT_COLUMN,
    VERDICT_EVIDENCE,
    build_target_suites,
    target_descriptions,
    targets_from_frames,
)
from pipelines.engine import BuiltWarehouse, DuckDBWarehouse, MissingRelationError
from pipelines.rules import comparators

_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


@dataclass
class Failure:
    """One failing element: a target × region × year, or an offending data row."""

    suite_name: str
    expectation_id: str
    severity: str
    target_id: str | None
    region_id: str | None
    indicator_code: str | None
    year: int | None
    observed_value: float | None
    threshold: str | None
    message: str
    #: What a target verdict rests on (results-store names: status, data_year, data_source,
    #: data_nature, ci_lower, ci_upper); empty for quality rules.
    evidence: dict[str, Any] = field(default_factory=dict)


def verdict_evidence(row: dict[str, Any]) -> dict[str, Any]:
    """The status, data year, source, nature and interval of a mart row, keyed by the
    ``monitoring.validation_results`` column names (:data:`VERDICT_EVIDENCE`)."""
    converters = {"data_year": _int, "ci_lower": _num, "ci_upper": _num}
    return {
        out: converters.get(out, _str)(row.get(col))
        for col, out in VERDICT_EVIDENCE.items()
        if col in row
    }


@dataclass
class ExpectationOutcome:
    """Summary of one expectation's result."""

    expectation_id: str
    expectation_type: str
    success: bool
    severity: str
    structural: bool
    meta: dict[str, Any]
    element_count: int | None
    unexpected_count: int | None
    error: str | None


@dataclass
class SuiteResult:
    """Outcome of one suite, shaped for a Dagster asset check."""

    suite_name: str
    asset: str
    kind: str  # "targets" | "quality"
    success: bool
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None

    @property
    def severity(self) -> str:
        """Worst severity among failed expectations (or among all, when everything passed)."""
        failed = [e.severity for e in self.expectations if not e.success]
        pool = failed or [e.severity for e in self.expectations] or ["warning"]
        if self.error:
            return "critical"
        return min(pool, key=lambda s: _SEVERITY_ORDER.get(s, 9))

    @property
    def failing_targets(self) -> list[str]:
        """Target ids with at least one failing region (sorted)."""
        return sorted({f.target_id for f in self.failures if f.target_id})

    @property
    def structural_failures(self) -> list[str]:
        """Descriptions of failed structural expectations (duplicate keys, missing columns …)."""
        out = [
            f"{self.suite_name}: {e.meta.get('rule')} {e.meta.get('column') or e.meta.get('columns') or ''}"
            + (f" ({e.error})" if e.error else f" ({e.unexpected_count} offending rows)")
            for e in self.expectations
            if e.structural and not e.success
        ]
        if self.error:
            out.append(f"{self.suite_name}: {self.error}")
        return out

    def check_metadata(self, limit: int = 50) -> dict[str, Any]:
        """Plain-JSON metadata for a Dagster AssetCheckResult."""
        return {
            "suite": self.suite_name,
            "severity": self.severity,
            "expectations": len(self.expectations),
            "failed_expectations": sum(1 for e in self.expectations if not e.success),
            "failing_targets": self.failing_targets[:limit],
            "failures": [
                {
                    "target_id": f.target_id,
                    "region_id": f.region_id,
                    "indicator_code": f.indicator_code,
                    "year": f.year,
                    "observed": f.observed_value,
                    "threshold": f.threshold,
                    **f.evidence,
                }
                for f in self.failures[:limit]
            ],
            "n_failures": len(self.failures),
            "structural_failures": self.structural_failures,
        }


@dataclass
class ValidationRun:
    """All suites of one validation call."""

    run_id: str
    validated_at: datetime
    suites: list[SuiteResult]
    rows_persisted: int
    data_docs_index: Path | None
    seconds: float

    @property
    def success(self) -> bool:
        return all(s.success for s in self.suites)

    @property
    def structural_failures(self) -> list[str]:
        """Structural failures across suites: when non-empty, do not publish."""
        return [msg for s in self.suites for msg in s.structural_failures]

    def suite(self, name: str) -> SuiteResult:
        """The result of a suite by name (KeyError if it did not run)."""
        for s in self.suites:
            if s.suite_name == name:
                return s
        raise KeyError(name)


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _int(value: Any) -> int | None:
    num = _num(value)
    return None if num is None else int(num)


def _str(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _read_frames(
    db_path: Path, queries: dict[str, str | QualitySpec]
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Run each query over one read-only connection; a failing query is reported, not raised.

    A :class:`QualitySpec` query reads only the columns its suite uses (see ``QualitySpec.query``).
    """
    frames: dict[str, pd.DataFrame] = {}
    errors: dict[str, str] = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for name, query in queries.items():
            frame, error = _read_one(con, query)
            if error is None and frame is not None:
                frames[name] = frame
            else:
                errors[name] = error or "no result"
    finally:
        con.close()
    return frames, errors


def _read_one(con: Any, query: str | QualitySpec) -> tuple[pd.DataFrame | None, str | None]:
    """One frame, or the error that reading it raised (see :func:`_read_frames`)."""
    try:
        if isinstance(query, QualitySpec):
            existing = relation_columns(con, query.reads) if query.reads else None
            query = query.query(existing)
        # Text as categories: GX's row conditions and failing-row lists then move integer codes
        # (a 3 M-row selection of six text columns: 0.1 s instead of 2–5 s).
        return read_frame(con, query, categories=True), None
    except duckdb.Error as exc:
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


@contextmanager
def _prefetched_frames(
    db_path: Path, queries: dict[str, QualitySpec]
) -> Iterator[Callable[[str], tuple[pd.DataFrame | None, str | None]]]:
    """Read the frames in order on one background thread while the caller validates.

    DuckDB runs a query without holding the GIL, so the next suite's SQL overlaps GX's
    (single-threaded, Python) validation of the previous frame. Yields ``get(name)``, which waits
    for that frame and returns ``(frame, None)`` or ``(None, error)``. The read-only connection
    lives on the reader thread and is closed when the last query is read (or the block exits).
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx-frames")
    state: dict[str, Any] = {}

    def connect() -> None:
        state["con"] = duckdb.connect(str(db_path), read_only=True)

    def close() -> None:
        con = state.pop("con", None)
        if con is not None:
            con.close()

    pool.submit(connect).result()  # a connection error is raised here, as before
    futures = {name: pool.submit(_read_one, state["con"], query) for name, query in queries.items()}
    closed = pool.submit(close)
    try:
        # Popped when taken, so a validated frame is not kept alive by its future.
        yield lambda name: futures.pop(name).result()
    finally:
        for future in futures.values():
            future.cancel()
        closed.result()
        pool.shutdown(wait=True)


def _result_format(index_columns: Iterable[str], frame: pd.DataFrame) -> dict[str, Any]:
    """Every failing row, listed by its label in the validated frame (see
    :mod:`expectations.failing_rows`); ``index_columns`` are read from the frame afterwards."""
    return {"result_format": "COMPLETE"}


def _failing(
    batch: pd.DataFrame, res: dict[str, Any], kwargs: dict[str, Any], index_columns: Sequence[str]
) -> list[dict[str, Any]]:
    """An expectation's failing rows as dicts of its domain and index columns.

    GX lists them by label (:func:`_result_format`); a list already made of dicts (a result
    format with ``unexpected_index_column_names``) is GX's own and taken as is.
    """
    listed = res.get("unexpected_index_list") or []
    if not listed or isinstance(listed[0], dict):
        return [dict(row) for row in listed]
    return failing_rows(batch, listed, domain_columns(kwargs), index_columns)


def _element_threshold(meta: dict[str, Any], row: dict[str, Any]) -> str | None:
    """Threshold text for one failing row (numeric bounds for per-region comparators)."""
    if meta.get("bound_source") != "mart_columns":
        return meta.get("threshold")
    lo, hi = _num(row.get("required_lower")), _num(row.get("required_upper"))
    bounds = comparators.Bounds(
        lower=lo,
        lower_inclusive=None if lo is None else bool(row.get("required_lower_inclusive")),
        upper=hi,
        upper_inclusive=None if hi is None else bool(row.get("required_upper_inclusive")),
    )
    return comparators.requirement_text(bounds) or meta.get("threshold")


def _run_suite(
    context: Any,
    source: Any,
    suite: Any,
    frame: pd.DataFrame,
    index_columns: Sequence[str],
    asset: str,
    kind: str,
    run: Any,
    failure_order: Sequence[str] = (),
    described: Mapping[str, dict[str, Any]] | None = None,
) -> tuple[SuiteResult, list[Any]]:
    """Validate ``frame`` with ``suite``; return the outcome and the run's Data Docs keys.

    ``failure_order``: sort each expectation's failing rows by these columns (stable).
    ``described``: descriptions by target id, merged into each target expectation's meta.
    """
    definition = gx_context.validation_definition(context, source, suite)
    batch = frame
    if kind == "targets":
        batch = frame[[c for c in GX_COLUMNS if c in frame.columns]]
    # GX stores a copy with at most DOCS_ROW_LIMIT failing rows per expectation (what Data Docs
    # render); ``result`` keeps every failing row.
    result, stored_key = gx_context.validate(
        context, definition, batch, _result_format(index_columns, frame), run
    )
    failing_of = [
        _failing(batch, r.result or {}, r.expectation_config.kwargs, index_columns)
        for r in result.results
    ]
    details: dict[tuple, dict[str, Any]] = {}
    if kind == "targets" and not result.success:
        keys = {
            (
                (r.expectation_config.meta or {}).get("target_id"),
                row.get("region_id"),
                row.get("assessment_year"),
            )
            for r, rows in zip(result.results, failing_of, strict=True)
            for row in rows
        }
        details = _failing_row_details(frame, keys)
    out = SuiteResult(
        suite_name=definition.suite.name, asset=asset, kind=kind, success=bool(result.success)
    )
    for r, failing in zip(result.results, failing_of, strict=True):
        config = r.expectation_config
        meta = dict(config.meta or {})
        meta = {**(described or {}).get(str(meta.get("target_id")), {}), **meta}
        sev = str(getattr(config.severity, "value", config.severity) or meta.get("severity"))
        res = r.result or {}
        error = None
        if r.exception_info and r.exception_info.get("raised_exception"):
            error = str(r.exception_info.get("exception_message") or "expectation errored")
        outcome = ExpectationOutcome(
            expectation_id=str(config.id),
            expectation_type=config.type,
            success=bool(r.success),
            severity=sev,
            structural=bool(meta.get("structural")),
            meta=meta,
            element_count=res.get("element_count"),
            unexpected_count=res.get("unexpected_count"),
            error=error,
        )
        out.expectations.append(outcome)
        if failure_order and failing:
            failing = sorted(failing, key=lambda row: _order_key(row, failure_order))
        for row in failing:
            row = dict(row)
            if kind == "targets":
                # The failing row's other columns (bounds, years), read by its key.
                key = (meta.get("target_id"), row.get("region_id"), row.get("assessment_year"))
                row = {**details.get(key, {}), **row}
            if kind == "targets":
                observed = row.get(VERDICT_COLUMN)
            elif "value" in row:
                observed = row.get("value")
            else:  # a pair rule on a wide frame: the left-hand column is the judged one
                observed = row.get(config.kwargs.get("column_A", ""))
            out.failures.append(
                Failure(
                    suite_name=definition.suite.name,
                    expectation_id=outcome.expectation_id,
                    severity=sev,
                    target_id=_str(row.get("target_id", meta.get("target_id"))),
                    region_id=_str(row.get("region_id")),
                    indicator_code=_str(row.get("indicator_code", meta.get("indicator_code"))),
                    year=_int(row.get("assessment_year", row.get("year"))),
                    observed_value=_num(observed),
                    threshold=_element_threshold(meta, row),
                    message=_failure_message(meta, row, kind),
                    evidence=verdict_evidence(row) if kind == "targets" else {},
                )
            )
    return out, gx_context.docs_resources(definition.suite.name, stored_key)


def _order_key(row: dict[str, Any], columns: Sequence[str]) -> tuple:
    """Sort key of a failing row: its values in ``columns`` as text, missing values last."""
    out: list[tuple[bool, str]] = []
    for col in columns:
        text = _str(row.get(col))
        out.append((text is None, text or ""))
    return tuple(out)


_KEY = ["target_id", "region_id", "assessment_year"]


def _failing_row_details(frame: pd.DataFrame, keys: set[tuple]) -> dict[tuple, dict[str, Any]]:
    """The mart columns a failure reports (:data:`DETAIL_COLUMNS`), keyed by the row key
    (target, region, year), for the failing rows ``keys`` only (converting every row of a
    national frame costs seconds)."""
    if not keys or not all(c in frame.columns for c in _KEY):
        return {}
    keyed = frame.set_index(_KEY, drop=False)
    picked = keyed[keyed.index.isin(list(keys))]
    picked = picked[[c for c in DETAIL_COLUMNS if c in picked.columns]]
    return picked.to_dict(orient="index")


def _failure_message(meta: dict[str, Any], row: dict[str, Any], kind: str) -> str:
    if kind == "targets":
        return (
            f"{meta.get('target_id')} missed in {row.get('region_id')}: "
            f"{VERDICT_COLUMN}={_num(row.get(VERDICT_COLUMN))} vs {_element_threshold(meta, row)}"
        )
    shown = {k: _str(v) for k, v in row.items()}
    return f"{meta.get('rule')}: {shown}"


def _summary_rows(
    run_id: str,
    validated_at: datetime,
    suite: SuiteResult,
    frame: pd.DataFrame | None,
) -> list[ResultRow]:
    rows: list[ResultRow] = []
    single: dict[Any, dict[str, Any]] = {}
    if suite.kind == "targets" and frame is not None and "target_id" in frame.columns:
        counts = frame["target_id"].value_counts(dropna=False)
        ones = frame[frame["target_id"].isin(counts.index[counts == 1])]
        single = {r["target_id"]: r for r in ones.to_dict(orient="records")}
    for e in suite.expectations:
        meta = e.meta
        region = year = observed = None
        evidence: dict[str, Any] = {}
        target_id = meta.get("target_id")
        first = single.get(target_id)
        if first is not None:
            # A single-region target: put that region's verdict on the summary row itself.
            region, year = _str(first.get("region_id")), _int(first.get("assessment_year"))
            observed = _num(first.get(VERDICT_COLUMN))
            evidence = verdict_evidence(first)
        if e.error:
            message = f"error: {e.error}"
        elif e.element_count is not None:
            message = f"{e.unexpected_count or 0} of {e.element_count} rows fail"
        else:
            message = "passed" if e.success else "failed"
        rows.append(
            ResultRow(
                run_id=run_id,
                validated_at=validated_at,
                suite_name=suite.suite_name,
                expectation_type=e.expectation_type,
                expectation_id=e.expectation_id,
                target_id=target_id,
                plan_id=meta.get("plan_id"),
                indicator_code=meta.get("indicator_code"),
                region_id=region if region is not None else meta.get("region_id"),
                year=year,
                success=e.success,
                observed_value=observed,
                threshold=meta.get("threshold"),
                severity=e.severity,
                lead_department=meta.get("lead_department"),
                nature=meta.get("nature"),
                source_quote=meta.get("source_quote"),
                message=message,
                row_kind="expectation",
                is_structural=e.structural,
                **evidence,
            )
        )
    by_id = {e.expectation_id: e for e in suite.expectations}
    for f in suite.failures:
        meta = by_id[f.expectation_id].meta
        rows.append(
            ResultRow(
                run_id=run_id,
                validated_at=validated_at,
                suite_name=suite.suite_name,
                expectation_type=by_id[f.expectation_id].expectation_type,
                expectation_id=f.expectation_id,
                target_id=f.target_id,
                plan_id=meta.get("plan_id"),
                indicator_code=f.indicator_code,
                region_id=f.region_id,
                year=f.year,
                success=False,
                observed_value=f.observed_value,
                threshold=f.threshold,
                severity=f.severity,
                lead_department=meta.get("lead_department"),
                nature=meta.get("nature"),
                source_quote=meta.get("source_quote"),
                message=f.message,
                row_kind="element",
                is_structural=bool(meta.get("structural")),
                **f.evidence,
            )
        )
    if suite.error:
        rows.append(
            ResultRow(
                run_id=run_id,
                validated_at=validated_at,
                suite_name=suite.suite_name,
                expectation_type="frame_readable",
                expectation_id=f"{suite.suite_name}:frame",
                target_id=None,
                plan_id=None,
                indicator_code=None,
                region_id=None,
                year=None,
                success=False,
                observed_value=None,
                threshold=None,
                severity="critical",
                lead_department=None,
                nature=None,
                source_quote=None,
                message=suite.error,
                row_kind="expectation",
                is_structural=True,
            )
        )
    return rows


def _persist(db_path: Path, rows: list[ResultRow], con: Any | None) -> int:
    """Append the rows, then apply the retention policy (results_store.compact)."""
    write = con if con is not None else duckdb.connect(str(db_path))
    try:
        written = append_rows(write, rows)
        compact(write)
        return written
    finally:
        if con is None:
            write.close()


def run_target_validation(
    db_path: Path,
    run_id: str,
    data_docs_dir: Path | None = None,
    *,
    persist: bool = True,
    write_con: Any | None = None,
    reader: BuiltWarehouse | None = None,
) -> ValidationRun:
    """Validate every plan's targets against the latest rows of `marts.fct_target_assessment`.

    Args:
        db_path: the DuckDB warehouse (read read-only; written once to append results).
        run_id: the orchestration run id stored with every result row.
        data_docs_dir: where GX Data Docs are built (None: skip). Normally
            ``pipelines.config.load_settings().data_docs``.
        persist: append rows to `monitoring.validation_results`.
        write_con: an open read-write connection to use for the append (else one is opened).
        reader: where the verdict tables are read (default: the DuckDB file ``db_path``; after
            a Spark build, ``pipelines.engine.open_warehouse()`` reads them through Spark).
            Results are always appended to ``db_path``.

    Returns:
        One :class:`SuiteResult` per plan (suite ``targets__<plan_id>``).
    """
    started = time.perf_counter()
    validated_at = datetime.now(UTC).replace(tzinfo=None)
    targets, latest = read_target_inputs(reader or DuckDBWarehouse(db_path))
    context = gx_context.make_context(data_docs_dir)
    suites = build_target_suites(targets)
    described = target_descriptions(targets)
    source = gx_context.frame_source(context)
    gx_run = RunIdentifier(run_name=run_id, run_time=validated_at.replace(tzinfo=UTC))
    results: list[SuiteResult] = []
    rows: list[ResultRow] = []
    docs_keys: list[Any] = []
    for plan_id in sorted(suites):
        frame = latest[latest["plan_id"] == plan_id].reset_index(drop=True)
        suite_result, resources = _run_suite(
            context,
            source,
            suites[plan_id],
            frame,
            INDEX_COLUMNS,
            "marts.fct_target_assessment",
            "targets",
            gx_run,
            described=described,
        )
        results.append(suite_result)
        docs_keys.extend(resources)
        rows.extend(_summary_rows(run_id, validated_at, suite_result, frame))
    docs = gx_context.build_docs(context, data_docs_dir, docs_keys)
    persisted = _persist(db_path, rows, write_con) if persist else 0
    return ValidationRun(
        run_id, validated_at, results, persisted, docs, time.perf_counter() - started
    )


def read_target_inputs(reader: BuiltWarehouse) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan targets (with their indicators) and the latest assessment rows, read through
    ``reader`` (:mod:`pipelines.engine`: the DuckDB file or the Spark tables)."""
    try:
        targets = targets_from_frames(
            reader.frame("select * from reference.plan_targets"),
            reader.frame("select * from reference.indicators"),
        )
        # Only the columns GX validates and failures report (the mart has ~40).
        existing = list(reader.frame("select * from marts.fct_target_assessment limit 0"))
        wanted = ["plan_id", *GX_COLUMNS, *DETAIL_COLUMNS]
        picked = [c for c in dict.fromkeys(wanted) if c in existing] or ["*"]
        latest = reader.frame(
            f"select {', '.join(picked)} from marts.fct_target_assessment where is_latest "
            "order by plan_id, target_id, region_id",
            categories=True,
        )
    except MissingRelationError as exc:
        raise RuntimeError(
            f"cannot validate targets ({reader.engine}): {exc} "
            "(run dbt build first: reference.plan_targets, reference.indicators and "
            "marts.fct_target_assessment are required)"
        ) from exc
    return targets, latest


def run_quality_validation(
    db_path: Path,
    run_id: str,
    data_docs_dir: Path | None = None,
    *,
    persist: bool = True,
    write_con: Any | None = None,
    suites: Sequence[str] | None = None,
) -> ValidationRun:
    """Run the data-quality suites (structure, plausibility, completeness, consistency).

    A relation that cannot be read (missing table/column in the SQL) becomes a structural failure
    of its suite rather than an exception. ``suites`` restricts the run to the named suites.
    """
    started = time.perf_counter()
    validated_at = datetime.now(UTC).replace(tzinfo=None)
    frames, errors = _read_frames(db_path, {"indicators": "select * from reference.indicators"})
    if "indicators" in errors:
        raise RuntimeError(f"cannot read reference.indicators from {db_path}: {errors}")
    indicators = frames["indicators"]
    specs: list[QualitySpec] = [
        s for s in quality_specs(indicators) if suites is None or s.suite_name in suites
    ]
    results: list[SuiteResult] = []
    rows: list[ResultRow] = []
    docs_keys: list[Any] = []
    with _prefetched_frames(db_path, {s.suite_name: s for s in specs}) as frame_of:
        context = gx_context.make_context(data_docs_dir)
        source = gx_context.frame_source(context)
        gx_run = RunIdentifier(run_name=run_id, run_time=validated_at.replace(tzinfo=UTC))
        for spec in specs:
            frame, error = frame_of(spec.suite_name)
            if error is not None or frame is None:
                suite_result = SuiteResult(
                    spec.suite_name, spec.asset, "quality", False, error=error
                )
            else:
                suite_result, resources = _run_suite(
                    context,
                    source,
                    build_quality_suite(spec, indicators),
                    frame,
                    spec.index_columns,
                    spec.asset,
                    "quality",
                    gx_run,
                    spec.failure_order,
                )
                docs_keys.extend(resources)
            del frame  # the next suite's frame is being read meanwhile
            results.append(suite_result)
            rows.extend(_summary_rows(run_id, validated_at, suite_result, None))
    docs = gx_context.build_docs(context, data_docs_dir, docs_keys)
    persisted = _persist(db_path, rows, write_con) if persist else 0
    return ValidationRun(
        run_id, validated_at, results, persisted, docs, time.perf_counter() - started
    )
