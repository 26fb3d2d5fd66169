"""Write the report's JSON fast: one failing row per line, parsed exactly as the whole payload.

``json.dumps`` runs its pure-Python encoder whenever ``indent`` is set; over the 69,000 rows of a
national report (217 MB indented) that took 13 s, most of the report's time. Here the head and
tail fields are indented as ``json.dumps(…, indent=2)`` writes them, and each row is written
compact on its own line by the C encoder (``ensure_ascii=False``, ``default=str``, ``NaN`` as
``json.dumps`` writes it): a reader gets the same values from ``json.load``, a person can still
read and ``grep`` it row by row, and the file is a third of the size.
``tests/report/test_report_speed.py`` compares what ``json.loads`` reads with the payload.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any


def _indented(value: Any) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it, one level in."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", "\n  ")


def _key(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def dumps_report(
    head: Mapping[str, Any],
    rows_key: str,
    rows: Iterable[Mapping[str, Any]],
    tail: Mapping[str, Any],
) -> str:
    """The JSON of ``{**head, rows_key: list(rows), **tail}``: head and tail indented, each row
    on one line (module docstring)."""
    parts = [f"  {_key(k)}: {_indented(v)}" for k, v in head.items()]
    # one encoder for every row (json.dumps builds a new one per call), as json.dumps encodes
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    texts = [encode(dict(r)) for r in rows]
    listed = "[\n    " + ",\n    ".join(texts) + "\n  ]" if texts else "[]"
    parts.append(f"  {_key(rows_key)}: {listed}")
    parts += [f"  {_key(k)}: {_indented(v)}" for k, v in tail.items()]
    return "{\n" + ",\n".join(parts) + "\n}"
