"""Issue 18's size rules hold: no module over ~400 lines, no function over ~60, no dbt model
over ~150, unless it says why at its top or is a known offender being split (size_rules.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from size_rules import (
    KNOWN_OFFENDERS,
    MAX_FUNCTION_LINES,
    MAX_MODULE_LINES,
    all_offenders,
    model_offenders,
    python_offenders,
)


@pytest.fixture(scope="module")
def offenders() -> dict[str, str]:
    return {o.key: str(o) for o in all_offenders()}


def test_no_unit_over_its_limit_without_a_reason(offenders: dict[str, str]) -> None:
    new = [text for key, text in sorted(offenders.items()) if key not in KNOWN_OFFENDERS]
    assert new == [], (
        "split these, or write why at their top (`# size: <reason>`), see size_rules.py:\n"
        + "\n".join(new)
    )


def test_every_known_offender_is_still_over_its_limit(offenders: dict[str, str]) -> None:
    stale = sorted(set(KNOWN_OFFENDERS) - set(offenders))
    assert stale == [], f"within their limits now: delete from KNOWN_OFFENDERS: {stale}"


def test_every_known_offender_says_who_or_why() -> None:
    assert all(reason.strip() for reason in KNOWN_OFFENDERS.values())


def _module(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pkg" / "mod.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _function(name: str, body_lines: int, first: str = "") -> str:
    lines = [f"def {name}() -> int:", *([f"    {first}"] if first else [])]
    lines += [f"    x{i} = {i}" for i in range(body_lines)] + ["    return 0", "", ""]
    return "\n".join(lines)


def test_the_check_finds_long_modules_and_functions(tmp_path: Path) -> None:
    long_function = _function("long", MAX_FUNCTION_LINES - 1)  # def + body + return: limit + 1
    short_function = _function("short", MAX_FUNCTION_LINES - 2)  # exactly at the limit
    filler = "\n".join(f"Y{i} = {i}" for i in range(MAX_MODULE_LINES))
    path = _module(tmp_path, f'"""Doc."""\n{long_function}{short_function}{filler}\n')
    found = {o.key: o for o in python_offenders(path, tmp_path)}
    assert set(found) == {"pkg/mod.py", "pkg/mod.py::long"}
    assert found["pkg/mod.py::long"].lines == MAX_FUNCTION_LINES + 1


def test_a_reason_at_the_top_exempts_a_unit(tmp_path: Path) -> None:
    reasoned = _function("long", MAX_FUNCTION_LINES, first="# size: one table of cases")
    above = "# size: generated dispatch\n" + _function("other", MAX_FUNCTION_LINES)
    filler = "\n".join(f"Y{i} = {i}" for i in range(MAX_MODULE_LINES))
    text = f'# size: the one list of codes\n"""Doc."""\n{reasoned}{above}{filler}\n'
    assert python_offenders(_module(tmp_path, text), tmp_path) == []
    # A reason further down does not count.
    late = _function("late", MAX_FUNCTION_LINES + 5).replace(
        "    x30 = 30", "    # size: too late\n    x30 = 30"
    )
    assert [o.key for o in python_offenders(_module(tmp_path, late), tmp_path)] == [
        "pkg/mod.py::late"
    ]


def test_the_check_finds_long_models(tmp_path: Path) -> None:
    model = tmp_path / "models" / "m.sql"
    model.parent.mkdir()
    model.write_text("select 1 as a\n" + "union all select 1\n" * 160, encoding="utf-8")
    assert [o.kind for o in model_offenders(model, tmp_path)] == ["model"]
    model.write_text("-- size: one row per code\n" + model.read_text(), encoding="utf-8")
    assert model_offenders(model, tmp_path) == []
