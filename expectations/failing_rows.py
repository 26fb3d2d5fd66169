"""Failing rows of a GX result as dicts, read from the validated frame by the labels GX returns.

The runners ask GX for ``COMPLETE`` results *without* ``unexpected_index_column_names``: GX then
lists each failing row by its label in the validated frame (``list(domain.index)``) instead of
building one dict per row with a ``DataFrame.at`` lookup per row and column (~5 µs each: seconds
for 100,000 failing rows at national scale). Which rows fail is still decided by GX; this module
only reads their columns, whole columns at a time, from the same frame GX validated.

Each row dict has GX's own shape for ``unexpected_index_column_names``: for each domain column
of the expectation, that column and then every index column (dict insertion order), with the
values ``DataFrame.at`` gives (``tests/expectations/test_failing_rows.py`` compares both).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

#: pandas dtype kinds whose ``list(series.array)`` yields exactly what ``DataFrame.at`` yields
#: (numpy scalars, Timestamps, str/None/NaN); other dtypes are read with ``.at``.
_VECTOR_DTYPE_KINDS = frozenset("biufcMO")


def domain_columns(kwargs: dict[str, Any]) -> list[str]:
    """The columns an expectation judges, in GX's order (column; column_A, column_B; list)."""
    if kwargs.get("column"):
        return [kwargs["column"]]
    if kwargs.get("column_A") and kwargs.get("column_B"):
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list") or [])


def _values(frame: pd.DataFrame, column: str) -> list[Any]:
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


def failing_rows(
    frame: pd.DataFrame,
    labels: Sequence[Any],
    domain: Sequence[str],
    index_columns: Sequence[str],
) -> list[dict[str, Any]]:
    """One dict per failing row ``labels`` of ``frame`` (see module docstring).

    Args:
        frame: the frame GX validated (its index labels are what GX returned).
        labels: GX's ``unexpected_index_list`` (row labels, in GX's order).
        domain: the expectation's domain columns (:func:`domain_columns`).
        index_columns: the key columns reported with every failing row (those in ``frame``).
    """
    if not labels:
        return []
    present = [c for c in index_columns if c in frame.columns]
    order: list[str] = []
    for column in domain or [""]:
        order.extend([column, *present] if column else present)
    keys = [k for k in dict.fromkeys(order) if k in frame.columns]
    rows = frame.loc[list(labels), keys]
    columns = [_values(rows, key) for key in keys]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]
