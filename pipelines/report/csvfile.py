"""Write the report's CSV column by column: the bytes ``csv.writer`` writes, in a fraction of the
time.

Each column is turned into its CSV fields once (a text once per distinct text, a list once per
list object: the rows of one region × indicator share their trend), then each line is one join.
A field is written as ``csv.writer`` (the ``excel`` dialect, ``QUOTE_MINIMAL``) writes it: a
float by ``repr``, anything else by ``str``, quoted (``"`` doubled) when it holds a comma, a
quote or a line break. ``tests/report/test_report_speed.py`` compares it with ``csv.writer``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: What makes ``csv.writer`` quote a field: the delimiter, the quote, the line terminator's
#: characters.
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def csv_field(value: Any) -> str:
    """``value`` as ``csv.writer`` writes it within a row of several fields (None as empty)."""
    if value is None:
        return ""
    # a text as it is (a str subclass too: csv never calls its __str__), a float by repr
    text = (
        value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    )
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _once_each(
    values: Sequence[Any], key: Callable[[Any], Any], text: Callable[[Any], str]
) -> list[str]:
    """``text(v)`` of every value, computed once per ``key(v)``."""
    done: dict[Any, str] = {}
    return [done[k] if (k := key(v)) in done else done.setdefault(k, text(v)) for v in values]


def csv_column(values: Sequence[Any]) -> list[str]:
    """The CSV field of each value (:func:`csv_field`)."""
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:  # a text equals only the same text: one field per text
        fields = {v: csv_field(v) for v in set(values)}
        return list(map(fields.__getitem__, values))
    if kinds <= {float, type(None)}:  # no float's repr needs quotes
        return ["" if v is None else float.__repr__(v) for v in values]
    if kinds <= {int, type(None)}:
        return ["" if v is None else int.__repr__(v) for v in values]
    return [csv_field(v) for v in values]


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
    """``header`` and the rows of ``columns`` (one sequence per CSV column) as ``csv.writer``
    writes them to a UTF-8 file with a BOM (Excel then opens UTF-8 right)."""
    fields = [csv_column(column) for column in columns]
    lines = [",".join(map(csv_field, header)), *map(",".join, zip(*fields, strict=True))]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write("\r\n".join(lines) + "\r\n")
