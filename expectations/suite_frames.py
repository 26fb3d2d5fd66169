"""Loading the frames the suites validate: the one place that reads the warehouse for GX.

Tables are read over a read-only DuckDB connection into pandas (GX's SQL datasource is broken on
DuckDB, see docs/monitoring.md); every connection here is read-only and closed before the results
are written. A frame that cannot be read is returned as an error (it becomes a structural failure
of its suite), never raised, except where nothing at all can be validated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from expectations.carry_forward import scoped_sql
from expectations.frames import read_frame, relation_columns
from expectations.quality_suites import QualitySpec
from expectations.target_inputs import load_targets_from_warehouse
from expectations.target_suites import DETAIL_COLUMNS, GX_COLUMNS, INDEX_COLUMNS
from pipelines.engine import BuiltWarehouse, MissingRelationError


@dataclass(frozen=True)
class InScope:
    """A query restricted to the rows of ``regions`` (and rows without a region): the batch a
    scoped run validates (:func:`expectations.carry_forward.scoped_sql`)."""

    query: str | QualitySpec
    regions: tuple[str, ...]


#: A query: SQL text, a quality spec whose SQL selects only the columns its suite uses, or
#: either of them in scope.
Query = str | QualitySpec | InScope
#: ``frame_of(name)`` → ``(frame, None)`` or ``(None, error)``: how the shared validation path
#: (:func:`expectations.runner.validate_suites`) receives the frame of each suite.
FrameOf = Callable[[str], tuple[pd.DataFrame | None, str | None]]
#: The assessment rows the target suites validate.
TARGET_RELATION = "marts.fct_target_assessment"


def read_one(con: Any, query: Query) -> tuple[pd.DataFrame | None, str | None]:
    """One frame, or the error that reading it raised.

    A :class:`QualitySpec` query reads only the columns its suite uses (``QualitySpec.query``);
    an :class:`InScope` one only the rows of its regions.
    """
    regions: tuple[str, ...] | None = None
    inner: str | QualitySpec
    if isinstance(query, InScope):
        inner, regions = query.query, query.regions
    else:
        inner = query
    try:
        if isinstance(inner, QualitySpec):
            existing = relation_columns(con, inner.reads) if inner.reads else None
            inner = inner.query(existing)
        sql = inner if regions is None else scoped_sql(inner, regions)
        # Text as categories: GX's row conditions and failing-row lists then move integer codes
        # (a 3 M-row selection of six text columns: 0.1 s instead of 2–5 s).
        return read_frame(con, sql, categories=True), None
    except duckdb.Error as exc:
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def read_frames(
    db_path: Path, queries: Mapping[str, Query]
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Run each query over one read-only connection; a failing query is reported, not raised."""
    frames: dict[str, pd.DataFrame] = {}
    errors: dict[str, str] = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for name, query in queries.items():
            frame, error = read_one(con, query)
            if error is None and frame is not None:
                frames[name] = frame
            else:
                errors[name] = error or "no result"
    finally:
        con.close()
    return frames, errors


@contextmanager
def prefetched_frames(db_path: Path, queries: Mapping[str, Query]) -> Iterator[FrameOf]:
    """Read the frames in order on one background thread while the caller validates.

    DuckDB runs a query without holding the GIL, so the next suite's SQL overlaps GX's
    (single-threaded, Python) validation of the previous frame. Yields ``frame_of(name)``, which
    waits for that frame. The read-only connection lives on the reader thread and is closed when
    the last query is read (or the block exits).
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx-frames")
    state: dict[str, Any] = {}

    def connect() -> None:
        state["con"] = duckdb.connect(str(db_path), read_only=True)

    def close() -> None:
        con = state.pop("con", None)
        if con is not None:
            con.close()

    pool.submit(connect).result()  # a connection error is raised here, in the caller
    futures = {name: pool.submit(read_one, state["con"], query) for name, query in queries.items()}
    closed = pool.submit(close)
    try:
        # Popped when taken, so a validated frame is not kept alive by its future.
        yield lambda name: futures.pop(name).result()
    finally:
        for future in futures.values():
            future.cancel()
        closed.result()
        pool.shutdown(wait=True)


def read_targets(reader: BuiltWarehouse) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets (``plan_targets`` joined with ``indicators``) and the latest assessment rows,
    read through ``reader`` (:mod:`pipelines.engine`: the DuckDB file, or after a Spark build
    the Spark tables themselves).

    Only the assessment columns GX validates and failures report are read (the mart has ~40).

    Raises:
        RuntimeError: the reference tables or the mart are missing (dbt has not built them).
    """
    try:
        targets = load_targets_from_warehouse(reader)
        existing = list(reader.frame(f"select * from {TARGET_RELATION} limit 0").columns)
        wanted = ["plan_id", *GX_COLUMNS, *INDEX_COLUMNS, *DETAIL_COLUMNS]
        picked = [c for c in dict.fromkeys(wanted) if c in existing] or ["*"]
        latest = reader.frame(
            f"select {', '.join(picked)} from {TARGET_RELATION} where is_latest "
            "order by plan_id, target_id, region_id",
            categories=True,
        )
    except MissingRelationError as exc:
        raise RuntimeError(
            f"cannot validate targets ({reader.engine}): {exc} "
            "(run dbt build first: reference.plan_targets, reference.indicators and "
            f"{TARGET_RELATION} are required)"
        ) from exc
    return targets, latest


def frames_by_plan(latest: pd.DataFrame) -> FrameOf:
    """``frame_of(plan_id)`` over the latest assessment rows: that plan's rows, re-indexed."""

    def frame_of(plan_id: str) -> tuple[pd.DataFrame | None, str | None]:
        return latest[latest["plan_id"] == plan_id].reset_index(drop=True), None

    return frame_of
