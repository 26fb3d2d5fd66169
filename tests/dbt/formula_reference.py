"""Independent Python implementations of the formulas (assessment-methods §A3), written from the
method notes, not from the SQL, to check the dbt models' results."""

from __future__ import annotations

import math
from collections.abc import Sequence


def chiang_life_table(
    widths: Sequence[float | None], deaths: Sequence[float], population: Sequence[float]
) -> tuple[float, float]:
    """Life expectancy at birth and its standard error (Chiang II, Silcocks last interval).

    ``widths`` are the band widths with ``None`` for the open last band; the first band is age 0.
    """
    k = len(widths)
    m = [d / p for d, p in zip(deaths, population, strict=True)]
    a = [0.1] + [0.5] * (k - 1)
    q = []
    for i in range(k):
        if widths[i] is None:
            q.append(1.0)
            continue
        n = widths[i]
        if deaths[i] > population[i] / (n * a[i]):
            q.append(1.0)
        else:
            q.append(n * m[i] / (1 + n * m[i] * (1 - a[i])))
    lx = [100_000.0]
    for i in range(k - 1):
        lx.append(lx[i] * (1 - q[i]))
    big_l = []
    for i in range(k):
        if widths[i] is None:
            big_l.append(lx[i] / m[i])
        else:
            d = lx[i] * q[i]
            big_l.append(widths[i] * ((lx[i] - d) + a[i] * d))
    t = [sum(big_l[i:]) for i in range(k)]
    e = [t[i] / lx[i] for i in range(k)]
    var_sum = 0.0
    for i in range(k - 1):
        var_q = q[i] ** 2 * (1 - q[i]) / deaths[i] if deaths[i] > 0 else 0.0
        var_sum += lx[i] ** 2 * ((1 - a[i]) * widths[i] + e[i + 1]) ** 2 * var_q
    last = k - 1
    var_sum += (lx[last] / 2) ** 2 * 4 / (deaths[last] * m[last] ** 2)
    return e[0], math.sqrt(var_sum) / lx[0]


def sdg_341(rates: Sequence[float]) -> float:
    """40q30 from the eight 5-year death rates 30-34 … 65-69."""
    survival = 1.0
    for m in rates:
        survival *= 1 - 5 * m / (1 + 2.5 * m)
    return 1 - survival


def least_squares_projection(years: Sequence[int], values: Sequence[float], at: int) -> float:
    """Ordinary least-squares line through (year, value), evaluated at ``at``."""
    n = len(years)
    mx, my = sum(years) / n, sum(values) / n
    sxx = sum((x - mx) ** 2 for x in years)
    sxy = sum((x - mx) * (y - my) for x, y in zip(years, values, strict=True))
    slope = sxy / sxx
    return my + slope * (at - mx)


def weighted_projection(
    years: Sequence[int], values: Sequence[float], first_year: int, at: int
) -> tuple[float, float | None, int]:
    """ESCAP-style time-weighted least squares (weight = year − first_year + 1) evaluated at
    ``at``: (fit, standard error of a new observation of average weight, residual df).

    Written independently of the SQL (centred sums, explicit residuals) so a shared mistake
    is unlikely: σ² = Σw·r²/(n − 2); Var(new) = σ²·(n/Σw + 1/Σw + (at − x̄_w)²/Σw(x − x̄_w)²).
    """
    n = len(years)
    w = [float(y - first_year + 1) for y in years]
    sw = sum(w)
    xbar = sum(wi * x for wi, x in zip(w, years, strict=True)) / sw
    ybar = sum(wi * y for wi, y in zip(w, values, strict=True)) / sw
    sxx = sum(wi * (x - xbar) ** 2 for wi, x in zip(w, years, strict=True))
    sxy = sum(wi * (x - xbar) * (y - ybar) for wi, x, y in zip(w, years, values, strict=True))
    slope = sxy / sxx
    fit = ybar + slope * (at - xbar)
    if n < 3:
        return fit, None, n - 2
    resid = [y - (ybar + slope * (x - xbar)) for x, y in zip(years, values, strict=True)]
    sigma2 = sum(wi * r * r for wi, r in zip(w, resid, strict=True)) / (n - 2)
    se = (sigma2 * (n / sw + 1 / sw + (at - xbar) ** 2 / sxx)) ** 0.5
    return fit, se, n - 2
