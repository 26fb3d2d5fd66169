"""Write the report's CSV from the loader's columns.

``csv.writer`` writes the rows straight from the columns (``zip``: no row dict, no list per row;
None is written empty, a float by its ``repr``); the two list columns are joined once per list
object, as the rows of one region × indicator share their trend lists and the rows of one
target its lead departments.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def _once_each(
    values: Sequence[Any], key: Callable[[Any], Any], text: Callable[[Any], str]
) -> list[str]:
    """``text(v)`` of every value, computed once per ``key(v)``."""
    done: dict[Any, str] = {}
    return [done[k] if (k := key(v)) in done else done.setdefault(k, text(v)) for v in values]


def trend_column(years: Sequence[list[int]], values: Sequence[list[float]]) -> list[str]:
    """Each row's points as the ``trend`` column writes them (``2019:67.6;2020:68.15``), once
    per pair of lists."""
    return _once_each(
        list(zip(years, values, strict=True)),
        lambda pair: (id(pair[0]), id(pair[1])),
        lambda pair: ";".join([f"{y}:{v:.6g}" for y, v in zip(*pair, strict=True)]),
    )


def joined_column(lists: Sequence[list[str]]) -> list[str]:
    """Each row's list joined with ``;`` (the ``departments`` column), once per list."""
    return _once_each(lists, id, ";".join)


def write_csv(path: Path, header: Sequence[str], columns: Sequence[Sequence[Any]]) -> None:
    """``header`` and the rows of ``columns`` (one sequence per CSV column) to a UTF-8 file with
    a BOM (Excel then opens UTF-8 right)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(zip(*columns, strict=True))
