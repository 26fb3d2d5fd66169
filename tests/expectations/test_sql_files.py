"""The SQL of ``expectations/sql/`` lints clean (sqlfluff, the project's rules, DuckDB dialect).

These files are not dbt models, so ``make lint``'s dbt templater does not see them; here each is
linted as the code runs it: a template's ``{columns}`` filled in, a named parameter bound.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from expectations.frames import SQL_DIR
from pipelines.config import PROJECT_ROOT

FILES = sorted(SQL_DIR.rglob("*.sql"))


def _as_run(path: Path) -> str:
    """The file's SQL as the code runs it (see module docstring)."""
    sql = path.read_text(encoding="utf-8")
    if "{columns}" in sql:  # a quality frame: its columns, and {opt_<column>} as that column
        fills = {"columns": "o.value"} | {
            m: f"o.{m.removeprefix('opt_')}" for m in re.findall(r"\{(opt_\w+)\}", sql)
        }
        sql = sql.format(**fills)
    if "{query}" in sql:  # in_scope.sql: a frame's SQL in scope
        sql = sql.format(query="select region_id from marts.fct_target_assessment", regions="'a'")
    for nested in ("{baseline}", "{carried}"):  # the carried-elements templates: a relation
        sql = sql.replace(nested, "select * from monitoring.validation_results")
    bound = {"$keep_runs": "2", "$regions": "['a']", "$validated_at": "now()"}
    return re.sub(r"\$\w+", lambda m: bound.get(m.group(0), "'s'"), sql)


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(SQL_DIR).as_posix() for p in FILES])
def test_sql_file_lints_clean(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlfluff.core import FluffConfig, Linter

    monkeypatch.chdir(PROJECT_ROOT)  # the project's rules (pyproject.toml), not dbt's templater
    config = FluffConfig.from_root(overrides={"templater": "raw", "dialect": "duckdb"})
    result = Linter(config=config).lint_string(_as_run(path), fname=str(path))
    problems = [f"L{v.line_no} {v.rule_code()}: {v.desc()}" for v in result.get_violations()]
    assert problems == []


def test_every_file_is_linted() -> None:
    assert len(FILES) >= 7
