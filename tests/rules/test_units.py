"""Unit conversion has one definition (pipelines/rules/units.py, seed units.csv): conversions
within a kind, the one label-only exception, clashes refused; the dbt macro is rendered from
the same seed and is current; no other module converts units on its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.rules import units as u

UNITS = u.load_units()


def test_committed_macro_is_current() -> None:
    committed = u.MACRO_PATH.read_text(encoding="utf-8")
    assert committed == u.render_dbt_macro(), "run `python -m pipelines.rules.render`"


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("per_mille", "per_100k", 100.0),  # 2.5 ‰ = 250 /10万
        ("percent", "percent", 1.0),
        ("persons_10k", "persons", 10_000.0),
        ("persons", "per_1000_pop", 1.0),  # 每千人口床位数（张）: the counted thing, not a unit
        ("yuan_100m", "yuan_10k", 10_000.0),
        ("percent", "per_mille", 10.0),  # a rate written as a percentage: 0.25 % = 2.5 ‰
    ],
)
def test_conversions_within_a_kind(source: str, target: str, factor: float) -> None:
    assert u.conversion(source, target, UNITS).factor == pytest.approx(factor)


@pytest.mark.parametrize(
    ("source", "target"),
    [("per_100k", "percent"), ("per_mille", "percent"), ("years", "days"), ("percent", "count")],
)
def test_clashes_of_meaning_are_refused_naming_both_units(source: str, target: str) -> None:
    result = u.conversion(source, target, UNITS)
    assert result.factor is None
    assert source in (result.problem or "") and target in (result.problem or "")


def test_dbt_macro_factors_are_the_seed_factors() -> None:
    text = u.MACRO_PATH.read_text(encoding="utf-8")
    found = dict(re.findall(r"when '(\w+)' then ([0-9.e+-]+)", text))
    assert {k: float(v) for k, v in found.items()} == {
        k: v.factor_to_base for k, v in UNITS.items()
    }


def test_no_other_code_reads_unit_factors() -> None:
    """factor_to_base is read only by the rules module (Python) and the generated macro (SQL)."""
    allowed = {
        Path("pipelines/rules/units.py"),
        Path("pipelines/reference.py"),  # loads the seed columns for ingestion's lookups
        Path("dbt_project/models/staging/stg_units.sql"),  # the seed as a staging view
    }
    offenders = []
    for root in ("pipelines", "orchestration", "expectations", "dbt_project/models"):
        for path in (PROJECT_ROOT / root).rglob("*"):
            text = path.read_text("utf-8") if path.suffix in (".py", ".sql") else ""
            if re.search(r"(?<!unit_)factor_to_base", text):
                rel = path.relative_to(PROJECT_ROOT)
                if rel not in allowed:
                    offenders.append(str(rel))
    assert offenders == []
