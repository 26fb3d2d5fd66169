"""Memoise or vectorise pure, repeated computations of GX 1.24's pandas validation, for one run.

A profile of the target suites (~400 expectations, each restricted by a ``row_condition`` to one
target's rows) shows GX redoing the same work many times per expectation:

- ``Expectation.configuration`` is rebuilt (pydantic ``.dict()`` + JSON-serialisability check of
  kwargs and meta) ~180 times per expectation, once per domain/success key per metric;
- ``PandasExecutionEngine._apply_row_condition_filter`` runs ``DataFrame.query`` ~6 times per
  expectation with the same condition on the same frame.

- ``compute_unexpected_pandas_indices`` builds the failing-row list (``unexpected_index_list``)
  with one ``DataFrame.at`` lookup per failing row and column (~5 µs each: 8 s for 100,000
  failing rows at national scale). :func:`unexpected_index_dicts` builds the same dicts, in the
  same order and with the same key order and value types, from whole columns.

Within one ``ValidationDefinition.run`` none of these results can change (expectations are not edited
and the batch frame is not replaced while GX validates), so :func:`memoised_validation` caches
them for the duration of the run and restores GX's own code afterwards. Every verdict, count and
failing row is still computed by GX; only identical recomputations are skipped. The filter cache
keeps the selected frame and hands out shallow copies of it: pandas 3 always copies on write, so
a caller that modifies its frame cannot affect another (re-selecting the rows instead cost
13 s per national run in Arrow ``take`` calls).

If GX changes the patched members (another version), the patch is skipped and GX runs unchanged.

:func:`bounded_stored_results` is separate: while it is active, GX's validation-results store
saves a copy of each result whose failing-row lists are cut to a limit (what Data Docs render),
instead of serialising every failing row and having the caller store a trimmed copy again. The
result returned to the caller keeps every row.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: One patched run at a time per process (the patch is on classes, i.e. process-wide).
_LOCK = threading.RLock()


def _patch_targets() -> tuple[Any, Any, Any] | None:
    from great_expectations.execution_engine.pandas_execution_engine import (
        PandasExecutionEngine,
    )
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.expectations.metrics.map_metric_provider import (
        map_condition_auxilliary_methods as aux,
    )

    prop = Expectation.__dict__.get("configuration")
    filt = PandasExecutionEngine.__dict__.get("_apply_row_condition_filter")
    indices = getattr(aux, "compute_unexpected_pandas_indices", None)
    if not isinstance(prop, property) or not callable(filt) or not callable(indices):
        return None
    return Expectation, PandasExecutionEngine, aux


#: pandas dtypes whose ``list(series.array)`` yields exactly what ``DataFrame.at`` yields
#: (numpy scalars, Timestamps, str/None/NaN, pd.NA, text categories); others are read with
#: ``.at`` like GX does (``tests/expectations/test_speedups.py`` compares both).
_VECTOR_DTYPE_KINDS = frozenset("biufcMO")


def _column_values(frame: Any, column: str) -> list[Any]:
    import pandas as pd

    series = frame[column]
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        # Text categories (as the runners read them) iterate as str / NaN, like ``.at``.
        if pd.api.types.is_string_dtype(dtype.categories.dtype):
            return list(series.array)
    elif (
        getattr(dtype, "kind", None) in _VECTOR_DTYPE_KINDS
        and not isinstance(dtype, pd.DatetimeTZDtype)
    ) or isinstance(dtype, pd.StringDtype):
        return list(series.array)
    return [frame.at[index, column] for index in frame.index]


def unexpected_index_dicts(
    original: Any,
    domain_records_df: Any,
    expectation_domain_column_list: list[str],
    result_format: dict[str, Any],
    execution_engine: Any,
    metrics: dict[str, Any],
) -> Any:
    """GX's ``compute_unexpected_pandas_indices`` for the case the runners use (a default index,
    ``unexpected_index_column_names`` given, unexpected values kept), built column-wise.

    Each failing row gives ``{domain column: value, index column: value, …}`` with keys in GX's
    insertion order. Every other case, and frames with repeated labels, go to GX's ``original``.
    """
    from great_expectations.expectations.metrics.util import get_dbms_compatible_column_names

    names = result_format.get("unexpected_index_column_names")
    frame = domain_records_df
    if (
        frame.index.name is not None
        or frame.index.names[0] is not None
        or not names
        or result_format.get("exclude_unexpected_values", False)
        or not expectation_domain_column_list
        or not frame.index.is_unique
        or not frame.columns.is_unique
    ):
        return original(
            domain_records_df=domain_records_df,
            expectation_domain_column_list=expectation_domain_column_list,
            result_format=result_format,
            execution_engine=execution_engine,
            metrics=metrics,
        )
    if len(frame) == 0:  # GX checks the index column names only while listing rows
        return []
    resolved = [
        get_dbms_compatible_column_names(
            column_names=name,
            batch_columns_list=metrics["table.columns"],
            error_message_template='Error: The unexpected_index_column "{column_name:s}" does not '
            "exist in Dataframe. Please check your configuration and try again.",
        )
        for name in names
    ]
    # GX's loop: for each domain column, set it, then every index column (dict insertion order).
    order: list[str] = []
    for domain_column in expectation_domain_column_list:
        order.extend([domain_column, *resolved])
    keys = list(dict.fromkeys(order))
    columns = [_column_values(frame, key) for key in keys]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


@contextmanager
def memoised_validation() -> Iterator[None]:
    """Within the block, GX builds each expectation's configuration and each row-condition
    selection once (see module docstring); outside it GX is untouched."""
    targets = _patch_targets()
    if targets is None:
        yield
        return
    expectation_cls, engine_cls, aux = targets
    with _LOCK:
        original_prop = expectation_cls.__dict__["configuration"]
        original_filter = engine_cls.__dict__["_apply_row_condition_filter"]
        original_indices = aux.compute_unexpected_pandas_indices
        # Keyed by id(); the object itself is kept alive in the value so ids cannot be reused.
        configs: dict[int, tuple[Any, Any]] = {}
        selections: dict[tuple[int, str], tuple[Any, Any]] = {}

        def configuration(self: Any) -> Any:
            hit = configs.get(id(self))
            if hit is None or hit[0] is not self:
                hit = (self, original_prop.fget(self))
                configs[id(self)] = hit
            return hit[1]

        def apply_filter(self: Any, data: Any, row_condition: Any, domain_kwargs: dict) -> Any:
            key = (id(data), repr((row_condition, domain_kwargs.get("condition_parser"))))
            if not data.index.is_unique:  # label selection would duplicate rows: no cache
                return original_filter(self, data, row_condition, domain_kwargs)
            hit = selections.get(key)
            if hit is None or hit[0] is not data:
                hit = (data, original_filter(self, data, row_condition, domain_kwargs))
                selections[key] = hit
            # A new frame object over the same buffers: pandas' copy-on-write gives the caller
            # its own copy the moment it changes anything, so the cached selection stays intact.
            return hit[1].copy(deep=False)

        def indices(**kwargs: Any) -> Any:
            return unexpected_index_dicts(original_indices, **kwargs)

        expectation_cls.configuration = property(configuration)
        engine_cls._apply_row_condition_filter = apply_filter
        aux.compute_unexpected_pandas_indices = indices
        try:
            yield
        finally:
            expectation_cls.configuration = original_prop
            engine_cls._apply_row_condition_filter = original_filter
            aux.compute_unexpected_pandas_indices = original_indices


#: Result lists cut by :func:`bounded_stored_results`.
TRIMMED_LISTS = ("unexpected_list", "unexpected_index_list")


@contextmanager
def bounded_stored_results(limit: int) -> Iterator[None]:
    """Within the block, GX's validation-results store saves each result with its
    :data:`TRIMMED_LISTS` cut to ``limit`` rows; the caller's result object keeps every row."""
    from great_expectations.data_context.store.validation_results_store import (
        ValidationResultsStore,
    )

    original = ValidationResultsStore.__dict__.get("store_validation_results")
    if not callable(original):
        yield
        return

    def store_validation_results(self: Any, suite_validation_result: Any, *args: Any, **kw: Any):
        full: list[tuple[dict, str, list]] = []
        for r in suite_validation_result.results:
            res = r.result or {}
            for name in TRIMMED_LISTS:
                rows = res.get(name)
                if isinstance(rows, list) and len(rows) > limit:
                    full.append((res, name, rows))
                    res[name] = rows[:limit]
        try:
            return original(self, suite_validation_result, *args, **kw)
        finally:
            for res, name, rows in full:  # the store serialised a copy: restore every row
                res[name] = rows

    with _LOCK:
        # A deliberate process-wide patch of a GX method (issue 18 lists it for removal).
        ValidationResultsStore.store_validation_results = store_validation_results  # type: ignore[method-assign]
        try:
            yield
        finally:
            ValidationResultsStore.store_validation_results = original  # type: ignore[method-assign]
