"""Issue 18: SQL lives in .sql files. A Python module under pipelines/, orchestration/ or
expectations/ keeps no query longer than a one-line lookup, unless listed (sql_in_python.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sql_in_python import (
    ALLOWED,
    KNOWN_OFFENDERS,
    MAX_INLINE_CHARS,
    all_inline_queries,
    inline_queries,
    is_inline_query,
)


@pytest.fixture(scope="module")
def offending_modules() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for query in all_inline_queries():
        out.setdefault(query.path, []).append(str(query))
    return out


def test_no_query_in_a_python_string(offending_modules: dict[str, list[str]]) -> None:
    new = [
        text
        for path, texts in sorted(offending_modules.items())
        if path not in ALLOWED and path not in KNOWN_OFFENDERS
        for text in texts
    ]
    assert new == [], (
        "move these queries into .sql files read by name (see sql_in_python.py):\n" + "\n".join(new)
    )


def test_every_listed_module_still_holds_a_query(offending_modules: dict[str, list[str]]) -> None:
    stale = sorted((set(ALLOWED) | set(KNOWN_OFFENDERS)) - set(offending_modules))
    assert stale == [], f"no inline query left: delete from ALLOWED / KNOWN_OFFENDERS: {stale}"


def test_every_exception_says_why() -> None:
    assert all(reason.strip() for reason in (*ALLOWED.values(), *KNOWN_OFFENDERS.values()))


@pytest.mark.parametrize(
    ("text", "inline"),
    [
        ("select count(*) from raw.ingested_files where file_path = ?", True),
        ("select {}, {} from {}", True),
        ("select a,\n b from t", False),  # a multi-line query
        ("select " + ", ".join(f"c{i}" for i in range(30)) + " from t", False),  # too long
        ("pick one from the list and select it", True),  # not a query: from before select
        ("x" * (MAX_INLINE_CHARS + 1), True),  # long, but no query
    ],
)
def test_what_counts_as_an_inline_query(text: str, inline: bool) -> None:
    assert is_inline_query(text) is not inline


def test_the_check_reads_literals_as_python_sees_them(tmp_path: Path) -> None:
    module = tmp_path / "pipelines" / "m.py"
    module.parent.mkdir()
    module.write_text(
        '"""Docstrings may show SQL: select a, b, c from somewhere where this is long enough to '
        'count and even spans\nlines."""\n'
        "TABLE = 'raw.t'\n"
        'JOINED = ("select region_id, indicator_code, year, value, unit, source, source_quote "\n'
        '          "from raw.observations where region_id = ? order by year")\n'
        'FORMATTED = f"select {TABLE}.region_id, {TABLE}.indicator_code, count(*) as n '
        'from {TABLE} group by all order by n desc, region_id limit 10"\n'
        "SHORT = 'select count(*) from raw.t'\n",
        encoding="utf-8",
    )
    found = inline_queries(module, tmp_path)
    assert [(q.path, q.line) for q in found] == [("pipelines/m.py", 4), ("pipelines/m.py", 6)]
