"""Exact and Byar Poisson limits: the committed seed is a fresh render, values match published
tables, and Byar approximates the exact limits where the warehouse switches method."""

from __future__ import annotations

import csv

import duckdb
import jinja2
import pytest

from pipelines.rules import poisson


def test_committed_seed_is_a_fresh_render() -> None:
    committed = poisson.SEED_PATH.read_text(encoding="utf-8")
    assert committed == poisson.render_exact_limits_csv(), "run `python -m pipelines.rules.render`"


def test_committed_macro_is_a_fresh_render() -> None:
    committed = poisson.MACRO_PATH.read_text(encoding="utf-8")
    assert committed == poisson.render_dbt_macro(), "run `python -m pipelines.rules.render`"


def test_macro_sql_in_duckdb_equals_python_limits() -> None:
    """The interval is written once per engine; DuckDB running the macro agrees with Python."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    template = env.from_string(poisson.MACRO_PATH.read_text(encoding="utf-8"))
    # list_item / ordered_list dispatch per engine (macros/cross_engine): DuckDB's variants
    engine_sql = poisson.MACRO_PATH.parent.parent / "cross_engine" / "ordered_list.sql"
    engine = env.from_string(engine_sql.read_text(encoding="utf-8")).module
    macros = template.make_module(
        {
            "ref": lambda name: name,
            "exceptions": None,
            "list_item": engine.default__list_item,
            "ordered_list": engine.default__ordered_list,
        }
    )
    con = duckdb.connect()
    con.execute(
        "create table poisson_exact_limits as select * from read_csv(?)", [str(poisson.SEED_PATH)]
    )
    for observed in [0, 1, 9, 10, 11, 25, 99.5, 100, 1234, 98765]:
        lower, upper = (macros.poisson_ci("o", bound) for bound in ("lower", "upper"))
        row = con.execute(f"select {lower}, {upper} from (select {observed} as o)").fetchone()
        if observed < poisson.EXACT_BELOW:
            expected = poisson.exact_limits(int(observed))  # the seed, rounded to 1e-10
        else:
            expected = poisson.byar_limits(observed)
        assert row == pytest.approx(expected, rel=1e-9, abs=1e-9), observed


@pytest.mark.parametrize(
    ("observed", "lower", "upper"),
    # Garwood exact 95 % limits as tabulated (e.g. Ulm 1990; PHE technical guidance)
    [
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (2, 0.242, 7.225),
        (5, 1.6235, 11.668),
        (9, 4.115, 17.085),
    ],
)
def test_exact_limits_match_published_values(observed: int, lower: float, upper: float) -> None:
    got = poisson.exact_limits(observed)
    assert got == pytest.approx((lower, upper), abs=1e-3)


def test_seed_rows_are_the_exact_limits_below_the_switch() -> None:
    with poisson.SEED_PATH.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["observed"]) for r in rows] == list(range(poisson.EXACT_BELOW))
    for row in rows:
        lower, upper = poisson.exact_limits(int(row["observed"]))
        assert float(row["lower"]) == pytest.approx(lower, abs=1e-9)
        assert float(row["upper"]) == pytest.approx(upper, abs=1e-9)


@pytest.mark.parametrize("observed", [10, 25, 100, 1000])
def test_byar_approximates_exact_limits_from_ten_events(observed: int) -> None:
    exact = poisson.exact_limits(observed)
    byar = poisson.byar_limits(observed)
    assert byar == pytest.approx(exact, rel=0.01)
    assert poisson.poisson_limits(observed) == byar


def test_method_switches_at_ten() -> None:
    assert poisson.poisson_limits(9) == poisson.exact_limits(9)
    assert poisson.poisson_limits(10) == poisson.byar_limits(10)


def test_invalid_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="observed count must be >= 0"):
        poisson.exact_limits(-1)
    with pytest.raises(ValueError, match="Byar's method needs observed > 0"):
        poisson.byar_limits(0)
