"""Write the report's JSON fast: one failing row per line, parsed exactly as the whole payload.

``json.dumps`` runs its pure-Python encoder whenever ``indent`` is set; over the 69,000 rows of a
national report (217 MB indented) that took 13 s, most of the report's time. Here the head and
tail fields are indented as ``json.dumps(…, indent=2)`` writes them, and each row is written
compact on its own line, with the text ``json``'s C encoder gives it (``ensure_ascii=False``,
``default=str``, ``NaN`` as ``json.dumps`` writes it): a reader gets the same values from
``json.load``, a person can still read and ``grep`` it row by row, and the file is a third of
the size.

The rows are encoded column by column (:func:`encode_rows`): a column's texts are written once
per distinct text and once per list object (the rows of one region × indicator share their trend
lists), numbers by ``float.__repr__``/``int.__repr__`` as the C encoder writes them, anything
else by the C encoder itself; each row is then one ``%`` of a template holding the field names.
``tests/report/test_report_speed.py`` compares the output with ``json.dumps`` value by value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

#: Rows per piece of :func:`report_parts` (≈ 2.5 MB of text at 2.4 kB a row).
ROWS_PER_PART = 1000
#: What ``json.dumps(value, ensure_ascii=False, default=str)`` writes, compact.
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _indented(value: Any) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it, one level in."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", "\n  ")


def _key(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def encode_column(values: Sequence[Any]) -> list[str]:
    """The JSON text of each value, as ``json.dumps(value, ensure_ascii=False, default=str)``."""
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:  # a text equals only the same text: one encoding per text
        texts = {v: _encode(v) for v in set(values)}
        return list(map(texts.__getitem__, values))
    if kinds <= {float, type(None)}:  # NaN and ±inf (v - v is not 0) as json writes them
        return [
            "null" if v is None else float.__repr__(v) if v - v == 0 else _encode(v) for v in values
        ]
    if kinds <= {int, type(None)}:  # int only: True == 1, but json writes true
        return ["null" if v is None else int.__repr__(v) for v in values]
    if kinds == {bool}:
        return ["true" if v else "false" for v in values]
    if kinds == {list}:
        return _encode_lists(values)
    return [_encode(v) for v in values]


def _encode_lists(lists: Sequence[list[Any]]) -> list[str]:
    """The JSON text of each list, once per list object (rows share the lists of one trend, and
    the loader shares equal runs of years and texts: a national report has a handful)."""
    texts = {id(v): _encode(v) for v in {id(v): v for v in lists}.values()}
    return [texts[id(v)] for v in lists]


def encode_rows(names: Sequence[str], columns: Sequence[Sequence[Any]]) -> list[str]:
    """Row ``i`` as ``json.dumps({name: column[i] …})`` writes it (compact, keys in order)."""
    if not names:
        raise ValueError("encode_rows needs at least one column")
    template = "{" + ", ".join(f"{_key(n).replace('%', '%%')}: %s" for n in names) + "}"
    encoded = [encode_column(column) for column in columns]
    return [template % values for values in zip(*encoded, strict=True)]


def report_parts(
    head: Mapping[str, Any],
    rows_key: str,
    rows: Iterable[Mapping[str, Any]] | Sequence[str],
    tail: Mapping[str, Any],
) -> Iterator[str]:
    """The text of ``{**head, rows_key: list(rows), **tail}`` in pieces to write one after the
    other (a national report is 170 MB: no piece holds more than :data:`ROWS_PER_PART` rows).
    Head and tail indented, each row on one line (module docstring); ``rows`` are mappings, or
    rows already encoded by :func:`encode_rows`."""
    texts = [r if isinstance(r, str) else _encode(dict(r)) for r in rows]
    yield "{\n"
    for k, v in head.items():
        yield f"  {_key(k)}: {_indented(v)},\n"
    yield f"  {_key(rows_key)}: "
    if texts:
        yield "[\n    "
        for start in range(0, len(texts), ROWS_PER_PART):
            yield (",\n    " if start else "") + ",\n    ".join(
                texts[start : start + ROWS_PER_PART]
            )
        yield "\n  ]"
    else:
        yield "[]"
    for k, v in tail.items():
        yield f",\n  {_key(k)}: {_indented(v)}"
    yield "\n}"
