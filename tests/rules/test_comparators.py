"""The comparator rules: semantics by hand-computed cases, the rendered macro is current, and the
macro's SQL evaluated in DuckDB equals the Python evaluation on a grid of cases."""

from __future__ import annotations

import csv
import itertools
import math

import duckdb
import jinja2
import pyarrow as pa
import pytest

from pipelines.config import DBT_PROJECT_DIR
from pipelines.rules import comparator_sql
from pipelines.rules import comparators as cmp
from pipelines.rules.comparators import Bounds, required_bounds


def test_committed_macro_is_a_fresh_render() -> None:
    committed = comparator_sql.MACRO_PATH.read_text(encoding="utf-8")
    assert committed == comparator_sql.render_dbt_macros(), "run `python -m pipelines.rules.render`"


def test_every_comparator_has_a_fallback_rule() -> None:
    for comparator in cmp.COMPARATORS:
        assert (comparator, None) in cmp.RULES
    assert {c for c, _ in cmp.RULES} == set(cmp.COMPARATORS)


def test_unknown_comparator_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown comparator 'approx'"):
        required_bounds("approx", 1.0)


@pytest.mark.parametrize(
    ("kwargs", "value", "met"),
    [
        # 以上: >= inclusive at the boundary; > is not.
        ({"comparator": "ge", "target_value": 95}, 95.0, True),
        ({"comparator": "gt", "target_value": 80}, 80.0, False),
        ({"comparator": "gt", "target_value": 80}, 80.1, True),
        ({"comparator": "le", "target_value": 7.5}, 7.5, True),
        ({"comparator": "lt", "target_value": 7.5}, 7.5, False),
        # 左右 with the default 5 %, two-sided whatever the direction: OOP share 28左右 ->
        # 26.6–29.4 (a value far below "about 28" is not "about 28").
        ({"comparator": "about", "target_value": 28, "direction": "lower_is_better"}, 29.3, True),
        ({"comparator": "about", "target_value": 28, "direction": "lower_is_better"}, 29.5, False),
        ({"comparator": "about", "target_value": 28, "direction": "lower_is_better"}, 26.6, True),
        ({"comparator": "about", "target_value": 28, "direction": "lower_is_better"}, 10.0, False),
        # higher is better: 95–105 % of the target; a per-target 2 % tolerance tightens it.
        ({"comparator": "about", "target_value": 80, "direction": "higher_is_better"}, 76.0, True),
        ({"comparator": "about", "target_value": 80, "direction": "higher_is_better"}, 84.1, False),
        (
            {
                "comparator": "about",
                "target_value": 80,
                "tolerance_pct": 2,
                "direction": "higher_is_better",
            },
            76.0,
            False,
        ),
        # target range: both sides.
        ({"comparator": "about", "target_value": 100, "direction": "target_range"}, 106.0, False),
        ({"comparator": "about", "target_value": 100, "direction": "target_range"}, 96.0, True),
        ({"comparator": "range", "target_value": 103, "target_upper": 107}, 107.0, True),
        ({"comparator": "range", "target_value": 103, "target_upper": 107}, 102.9, False),
        ({"comparator": "eq", "target_value": 100}, 100.0, True),
        ({"comparator": "eq", "target_value": 100}, 99.9, False),
        # 比2015年降低30%: ref 18.5 -> <= 12.95.
        ({"comparator": "reduce_by_pct", "target_value": 30, "reference_value": 18.5}, 12.9, True),
        ({"comparator": "reduce_by_pct", "target_value": 30, "reference_value": 18.5}, 13.0, False),
        ({"comparator": "increase_by_pct", "target_value": 10, "reference_value": 50}, 55.0, True),
        ({"comparator": "increase_by_pct", "target_value": 10, "reference_value": 50}, 54.9, False),
        # 下降3—5个百分点 vs a reference of 12 %: met at ≤ 9 (a fall of 3 points or more); a fall of
        # 6 points beyond the aspiration of 5 is still met on a lower-is-better rate.
        (
            {
                "comparator": "reduce_by_points",
                "target_value": 3,
                "target_upper": 5,
                "reference_value": 12.0,
            },
            9.0,
            True,
        ),  # fmt: skip
        (
            {
                "comparator": "reduce_by_points",
                "target_value": 3,
                "target_upper": 5,
                "reference_value": 12.0,
            },
            9.1,
            False,
        ),  # fmt: skip
        (
            {
                "comparator": "reduce_by_points",
                "target_value": 3,
                "target_upper": 5,
                "reference_value": 12.0,
            },
            6.0,
            True,
        ),  # fmt: skip
        (
            {"comparator": "maintain", "reference_value": 6.8, "direction": "lower_is_better"},
            6.8,
            True,
        ),
        (
            {"comparator": "maintain", "reference_value": 6.8, "direction": "lower_is_better"},
            6.9,
            False,
        ),
        (
            {"comparator": "improve", "reference_value": 76.7, "direction": "higher_is_better"},
            76.7,
            False,
        ),
        (
            {"comparator": "improve", "reference_value": 76.7, "direction": "higher_is_better"},
            77.0,
            True,
        ),
        (
            {"comparator": "improve", "reference_value": 5.0, "direction": "lower_is_better"},
            4.9,
            True,
        ),
    ],
)
def test_semantics(kwargs: dict, value: float, met: bool) -> None:
    assert required_bounds(**kwargs).is_met(value) is met


def test_bounds_and_text_of_typical_targets() -> None:
    assert required_bounds("ge", 95) == Bounds(95.0, True, None, None)
    assert required_bounds("ge", 95).text() == "≥ 95"
    assert required_bounds("lt", 5).text() == "< 5"
    assert required_bounds("eq", 100).text() == "= 100"
    assert required_bounds("range", 103, 107).text() == "103–107"
    about = required_bounds("about", 25, direction="lower_is_better")
    assert about.upper == pytest.approx(26.25) and about.lower == pytest.approx(23.75)
    assert about.text() == "23.75–26.25"
    reduce = required_bounds("reduce_by_pct", 10, reference_value=20.0)
    assert reduce.upper == pytest.approx(18.0) and reduce.upper_inclusive is True


def test_reduce_by_points_bounds_point_and_text() -> None:
    bounds = required_bounds("reduce_by_points", 3, 5, reference_value=12.0)
    assert bounds == Bounds(None, None, 9.0, True)
    assert bounds.text() == "≤ 9"
    assert cmp.target_point("reduce_by_points", 3, 5, reference_value=12.0) == 9.0
    assert "reduce_by_points" in cmp.RELATIVE_COMPARATORS
    assert not required_bounds("reduce_by_points", 3, 5, reference_value=None).is_assessable


def test_every_comparator_has_a_label() -> None:
    """Monitors read comparators in words: translations.csv has one row per comparator."""
    with (DBT_PROJECT_DIR / "seeds" / "translations.csv").open(encoding="utf-8") as handle:
        keys = {r["key"] for r in csv.DictReader(handle) if r["namespace"] == "comparator"}
    assert keys == set(cmp.COMPARATORS)


def test_missing_reference_gives_no_bounds_never_a_guess() -> None:
    bounds = required_bounds("reduce_by_pct", 30, reference_value=None)
    assert not bounds.is_assessable
    assert bounds.is_met(10.0) is None
    assert bounds.gap(10.0) is None
    assert bounds.text() is None


def test_none_and_improve_on_a_range_indicator_cannot_be_judged() -> None:
    assert required_bounds("none", 3).is_met(1.0) is None
    assert required_bounds("improve", reference_value=3, direction="target_range").is_met(1) is None


def test_gap_is_signed_in_the_good_direction() -> None:
    assert required_bounds("ge", 95).gap(97.0) == pytest.approx(2.0)
    assert required_bounds("ge", 95).gap(90.0) == pytest.approx(-5.0)
    assert required_bounds("le", 7.5).gap(8.0) == pytest.approx(-0.5)
    assert required_bounds("range", 103, 107).gap(108.0) == pytest.approx(-1.0)
    assert required_bounds("range", 103, 107).gap(104.0) == pytest.approx(1.0)
    assert required_bounds("eq", 100).gap(98.0) == pytest.approx(-2.0)


# --- SQL == Python on a grid ------------------------------------------------------------------

_GRID_VALUES = [None, 0.0, 5.0, 7.5, 28.0, 100.0, 103.0]


def _grid() -> list[tuple]:
    rows = []
    directions = [*cmp.DIRECTIONS, None]
    for comparator, direction in itertools.product(cmp.COMPARATORS, directions):
        for target, upper, tol, ref in itertools.product(
            [None, 7.5, 28.0], [None, 107.0], [None, 2.0], [None, 18.5]
        ):
            for value in _GRID_VALUES:
                rows.append((comparator, direction, target, upper, tol, ref, value))
    return rows


def _macros() -> jinja2.Template:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    # number_text dispatches per engine (macros/cross_engine): DuckDB's variant, as dbt renders it
    engine_macros = comparator_sql.MACRO_PATH.parent.parent / "cross_engine" / "number_text.sql"
    env.globals["number_text"] = env.from_string(
        engine_macros.read_text()
    ).module.default__number_text
    return env.from_string(comparator_sql.MACRO_PATH.read_text(encoding="utf-8"))


def test_sql_macro_equals_python_on_a_grid() -> None:
    module = _macros().module
    args = (
        "comparator",
        "target_value",
        "target_upper",
        "tolerance_pct",
        "reference_value",
        "direction",
    )
    parts = {
        p: getattr(module, f"comparator_{p}")(*args)
        for p in ("lower", "lower_inclusive", "upper", "upper_inclusive")
    }
    met = module.threshold_met("v", "lo", "lo_inc", "hi", "hi_inc")
    gap = module.bounds_gap("v", "lo", "hi")
    text = module.requirement_text("lo", "lo_inc", "hi", "hi_inc")

    rows = _grid()
    con = duckdb.connect()
    names = ["comparator", "direction", "target_value", "target_upper", "tolerance_pct"]
    names += ["reference_value", "v"]
    grid = pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows])  # noqa: F841
    con.execute("create table grid as select * from grid")
    sql = f"""
        with b as (
            select *, {parts["lower"]} as lo, {parts["lower_inclusive"]} as lo_inc,
                {parts["upper"]} as hi, {parts["upper_inclusive"]} as hi_inc
            from grid
        )
        select comparator, direction, target_value, target_upper, tolerance_pct,
            reference_value, v, lo, lo_inc, hi, hi_inc, {met} as met, {gap} as gap,
            {text} as txt
        from b
    """
    result = con.execute(sql).fetchall()
    assert len(result) == len(rows)
    checked_met = 0
    for comparator, direction, t, u, tol, ref, v, lo, lo_inc, hi, hi_inc, met_, gap_, txt in result:
        bounds = required_bounds(comparator, t, u, tol, ref, direction)
        case = (comparator, direction, t, u, tol, ref, v)
        assert (lo, lo_inc, hi, hi_inc) == (
            bounds.lower,
            bounds.lower_inclusive,
            bounds.upper,
            bounds.upper_inclusive,
        ), case
        assert met_ == bounds.is_met(v), case
        expected_gap = bounds.gap(v)
        assert (gap_ is None) == (expected_gap is None), case
        if gap_ is not None:
            assert math.isclose(gap_, expected_gap, abs_tol=1e-12), case
        assert txt == bounds.text(), case
        checked_met += met_ is not None
    # the grid exercises real verdicts, not only nulls
    assert checked_met > 1000


def test_no_model_relists_a_comparator_set() -> None:
    """Which comparators are relative / continuous / reference-based is said once (REFERENCE_OF,
    CONTINUOUS_COMPARATORS) and reaches SQL through the generated macros: a model listing
    comparators in an `in (...)` list would be a second definition that can drift."""
    import re

    from pipelines.config import DBT_PROJECT_DIR

    names = "|".join(cmp.COMPARATORS)
    pattern = re.compile(rf"comparator\s+(not\s+)?in\s*\(\s*'({names})'")
    offenders = [
        str(path.relative_to(DBT_PROJECT_DIR))
        for path in (DBT_PROJECT_DIR / "models").rglob("*.sql")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
