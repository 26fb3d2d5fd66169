"""Write the report's JSON fast, byte for byte as ``json.dumps(…, indent=2)`` writes it.

Python's ``json`` module uses its pure-Python encoder whenever ``indent`` is set; for the 74,000
rows of a national report (120 MB) that takes tens of seconds. The rows are flat dicts of
scalars plus two lists of numbers, so they are written here with the same separators, indents
and scalar encodings (``json.encoder.encode_basestring`` with ``ensure_ascii=False``,
``float.__repr__``, ``NaN``/``Infinity``, ``default=str``). A row holding anything else is
encoded by ``json.dumps`` itself. ``tests/report/test_report_speed.py`` compares the bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

_STRING = json.encoder.encode_basestring  # the ensure_ascii=False encoder (C when available)
_INF = float("inf")


def _scalar(value: Any) -> str | None:
    """JSON text of a scalar as ``json.dumps`` writes it (None: not a plain scalar)."""
    if isinstance(value, str):
        return _STRING(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value == _INF:
            return "Infinity"
        if value == -_INF:
            return "-Infinity"
        return float.__repr__(value)
    return None


def _shift(text: str, pad: str) -> str:
    """Indent every line but the first by ``pad`` (a nested value's own lines)."""
    return text.replace("\n", "\n" + pad)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _row(row: Mapping[str, Any], pad: str) -> str:
    """One flat row dict at indent ``pad`` (its keys at ``pad`` + 2 spaces)."""
    if not row:
        return "{}"
    inner, deeper = pad + "  ", pad + "    "
    parts = []
    for key, value in row.items():
        if not isinstance(key, str):
            return _shift(_dumps(dict(row)), pad)
        text = _scalar(value)
        if text is None and isinstance(value, list):
            items = [t for t in (_scalar(v) for v in value) if t is not None]
            if len(items) != len(value):  # a nested value: not a flat row
                return _shift(_dumps(dict(row)), pad)
            text = (
                "[\n" + ",\n".join(deeper + t for t in items) + "\n" + inner + "]"
                if items
                else "[]"
            )
        if text is None:
            return _shift(_dumps(dict(row)), pad)
        parts.append(f"{inner}{_STRING(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n" + pad + "}"


def dumps_report(
    head: Mapping[str, Any],
    rows_key: str,
    rows: Iterable[Mapping[str, Any]],
    tail: Mapping[str, Any],
) -> str:
    """``json.dumps({**head, rows_key: list(rows), **tail}, ensure_ascii=False, indent=2,
    default=str)``, written row by row."""
    parts = [f"  {_STRING(k)}: {_shift(_dumps(v), '  ')}" for k, v in head.items()]
    texts = ["    " + _row(r, "    ") for r in rows]
    listed = "[\n" + ",\n".join(texts) + "\n  ]" if texts else "[]"
    parts.append(f"  {_STRING(rows_key)}: {listed}")
    parts += [f"  {_STRING(k)}: {_shift(_dumps(v), '  ')}" for k, v in tail.items()]
    return "{\n" + ",\n".join(parts) + "\n}"
