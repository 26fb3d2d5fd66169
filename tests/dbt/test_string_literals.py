"""The project's one quoting rule (macro sql_string) on DuckDB: text with an apostrophe and a
backslash survives as a SQL literal. tests/spark/test_parity.py runs the same query on Spark."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from dbt_harness import run_dbt

from pipelines.config import DBT_PROJECT_DIR

QUERY = Path(__file__).parent / "fixtures" / "string_literals.sql"


def test_sql_string_round_trips_apostrophes_and_backslashes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HEALTHPLAN_WAREHOUSE": str(tmp_path / "literals.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    proc = run_dbt(
        DBT_PROJECT_DIR,
        env,
        "show",
        "--inline",
        QUERY.read_text(encoding="utf-8"),
        "--output",
        "json",
        "--quiet",
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads(proc.stdout)["show"]
    assert rows == [{"same_text": True, "listed": True, "not_listed": False}]


#: Jinja statements ({% … %}) and expressions ({{ … }}) on a line of SQL source.
_STATEMENT = re.compile(r"\{%.*?%\}")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")
#: An expression that is a value (a name, an attribute, filters on it), not a macro call.
_VALUE = re.compile(r"\s*[\w.]+\s*(\|.*)?")
#: A SQL string literal.
_LITERAL = re.compile(r"'(?:[^'\n]|'')*'")


def hand_quoted(line: str) -> bool:
    """Whether ``line`` interpolates a value inside a SQL string literal ('{{ x }}',
    'k{{ i }}') instead of writing the literal with sql_string. Hook strings such as
    '{{ record_watermark() }}' are calls, not values, and are not matched."""
    line = _STATEMENT.sub(" ", line)
    line = _EXPRESSION.sub(lambda m: "\0V\0" if _VALUE.fullmatch(m.group(1)) else "\0C\0", line)
    return any("\0V\0" in lit.group(0) for lit in _LITERAL.finditer(line))


def test_hand_quoting_is_told_from_literals_and_hooks() -> None:
    assert hand_quoted("and measure = '{{ measure }}'")
    assert hand_quoted("region_id = '{{ r | replace(\"'\", \"''\") }}')")
    assert hand_quoted("named_struct('k{{ loop.index }}', {{ key }})")
    assert not hand_quoted("and measure = {{ sql_string(measure) }}")
    assert not hand_quoted("named_struct('k', {{ order_by }}, 'v', {{ value }})")
    assert not hand_quoted("pre_hook='{{ delete_changed_count_years() }}',")
    assert not hand_quoted("{%- set hook = '{{ delete_affected_regions() }}' if x else '' -%}")


def test_every_inlined_value_goes_through_sql_string() -> None:
    """The one quoting rule stays the only one: no macro, model or test quotes a value by hand."""
    offenders = [
        f"{path.relative_to(DBT_PROJECT_DIR)}:{n}: {line.strip()}"
        for folder in ("macros", "models", "tests", "analyses")
        for path in sorted((DBT_PROJECT_DIR / folder).rglob("*.sql"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hand_quoted(line)
    ]
    assert not offenders, "quote with {{ sql_string(value) }}:\n" + "\n".join(offenders)
