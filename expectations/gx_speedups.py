"""Memoise two pure, repeated computations of GX 1.24's pandas validation, for one run.

A profile of the target suites (~400 expectations, each restricted by a ``row_condition`` to one
target's rows) shows GX redoing the same work many times per expectation:

- ``Expectation.configuration`` is rebuilt (pydantic ``.dict()`` + JSON-serialisability check of
  kwargs and meta) ~180 times per expectation, once per domain/success key per metric;
- ``PandasExecutionEngine._apply_row_condition_filter`` runs ``DataFrame.query`` ~6 times per
  expectation with the same condition on the same frame.

Within one ``ValidationDefinition.run`` neither result can change (expectations are not edited
and the batch frame is not replaced while GX validates), so :func:`memoised_validation` caches
them for the duration of the run and restores GX's own code afterwards. Every verdict, count and
failing row is still computed by GX; only identical recomputations are skipped. The filter cache
stores the selected row labels and returns a fresh ``.loc`` selection each time, so a caller that
modifies its frame cannot affect another.

If GX changes the patched members (another version), the patch is skipped and GX runs unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: One patched run at a time per process (the patch is on classes, i.e. process-wide).
_LOCK = threading.RLock()


def _patch_targets() -> tuple[Any, Any] | None:
    from great_expectations.execution_engine.pandas_execution_engine import (
        PandasExecutionEngine,
    )
    from great_expectations.expectations.expectation import Expectation

    prop = Expectation.__dict__.get("configuration")
    filt = PandasExecutionEngine.__dict__.get("_apply_row_condition_filter")
    if not isinstance(prop, property) or not callable(filt):
        return None
    return Expectation, PandasExecutionEngine


@contextmanager
def memoised_validation() -> Iterator[None]:
    """Within the block, GX builds each expectation's configuration and each row-condition
    selection once (see module docstring); outside it GX is untouched."""
    targets = _patch_targets()
    if targets is None:
        yield
        return
    expectation_cls, engine_cls = targets
    with _LOCK:
        original_prop = expectation_cls.__dict__["configuration"]
        original_filter = engine_cls.__dict__["_apply_row_condition_filter"]
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
                filtered = original_filter(self, data, row_condition, domain_kwargs)
                hit = (data, filtered.index)
                selections[key] = hit
            return data.loc[hit[1]]

        expectation_cls.configuration = property(configuration)
        engine_cls._apply_row_condition_filter = apply_filter
        try:
            yield
        finally:
            expectation_cls.configuration = original_prop
            engine_cls._apply_row_condition_filter = original_filter
