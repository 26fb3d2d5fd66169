"""The portable-SQL distribution macros (dbt_project/macros/distributions.sql) against scipy,
evaluated in DuckDB: the assessment's prediction intervals and probabilities rest on them."""

from __future__ import annotations

import jinja2
import numpy as np
import pytest
from scipy import stats

from pipelines.config import DBT_PROJECT_DIR

duckdb = pytest.importorskip("duckdb")


def _module() -> object:
    text = "".join(
        (DBT_PROJECT_DIR / "macros" / name).read_text(encoding="utf-8")
        for name in ("distributions.sql", "generated/poisson_ci.sql")
    )
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return env.from_string(text).module


def test_normal_cdf_matches_scipy() -> None:
    z = np.linspace(-6, 6, 241)
    sql = f"select {_module().normal_cdf('z')} from unnest(?) as t(z)"
    got = [r[0] for r in duckdb.connect().execute(sql, [z.tolist()]).fetchall()]
    assert np.abs(np.array(got) - stats.norm.cdf(z)).max() < 1e-7


@pytest.mark.parametrize(("df", "tolerance"), [(1, 1e-12), (2, 1e-12), (3, 0.015), (5, 0.005)])
def test_t_cdf_matches_scipy(df: int, tolerance: float) -> None:
    t = np.linspace(-20, 20, 401)
    sql = f"select {_module().t_cdf('t', str(df))} from unnest(?) as x(t)"
    got = [r[0] for r in duckdb.connect().execute(sql, [t.tolist()]).fetchall()]
    assert np.abs(np.array(got) - stats.t.cdf(t, df)).max() < tolerance


def test_t_975_matches_scipy() -> None:
    con = duckdb.connect()
    for df in (*range(1, 31), 31, 100):
        (got,) = con.execute(f"select {_module().t_975(str(df))}").fetchone()
        expected = stats.t.ppf(0.975, df) if df <= 30 else stats.norm.ppf(0.975)
        assert got == pytest.approx(expected, abs=6e-4), df
