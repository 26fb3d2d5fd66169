"""Confidence limits for Poisson counts (assessment-methods §A3, "Rates from small counts").

- Exact limits (O < :data:`EXACT_BELOW`): ``O_L = χ²(α/2; 2O)/2``, ``O_U = χ²(1−α/2; 2(O+1))/2``.
  DuckDB has no chi-square quantile, so they ship as the seed
  ``dbt_project/seeds/poisson_exact_limits.csv`` rendered here with scipy.
- Byar's approximation (O ≥ :data:`EXACT_BELOW`):
  ``O_L = O(1 − 1/(9O) − z/(3√O))³``, ``O_U = (O+1)(1 − 1/(9(O+1)) + z/(3√(O+1)))³``.
  The dbt macro ``poisson_ci`` implements the same formula in SQL; :func:`byar_limits` is its
  Python twin for tests.

Rate limits are ``O_L / n`` and ``O_U / n`` (times the rate's multiplier).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from scipy.stats import chi2, norm

from pipelines.config import SEEDS_DIR

#: Counts below this use exact limits; from this count on, Byar's approximation.
EXACT_BELOW: int = 10

#: Two-sided confidence level of every interval in the warehouse.
CONFIDENCE_LEVEL: float = 0.95

#: Committed output of :func:`render_exact_limits_csv`.
SEED_PATH: Path = SEEDS_DIR / "poisson_exact_limits.csv"


def z_value(level: float = CONFIDENCE_LEVEL) -> float:
    """Two-sided standard-normal quantile (1.959963984540054 for 95 %)."""
    return float(norm.ppf(1 - (1 - level) / 2))


def exact_limits(observed: int, level: float = CONFIDENCE_LEVEL) -> tuple[float, float]:
    """Exact (Garwood) limits of a Poisson count ``observed`` ≥ 0."""
    if observed < 0:
        raise ValueError(f"observed count must be >= 0, got {observed}")
    alpha = 1 - level
    lower = 0.0 if observed == 0 else float(chi2.ppf(alpha / 2, 2 * observed) / 2)
    upper = float(chi2.ppf(1 - alpha / 2, 2 * (observed + 1)) / 2)
    return lower, upper


def byar_limits(observed: float, level: float = CONFIDENCE_LEVEL) -> tuple[float, float]:
    """Byar's approximate limits of a Poisson count ``observed`` > 0."""
    if observed <= 0:
        raise ValueError(f"Byar's method needs observed > 0, got {observed}")
    z = z_value(level)
    o, o1 = float(observed), float(observed) + 1
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return lower, upper


def poisson_limits(observed: int, level: float = CONFIDENCE_LEVEL) -> tuple[float, float]:
    """Exact limits below :data:`EXACT_BELOW`, Byar's from there on (the warehouse's rule)."""
    return exact_limits(observed, level) if observed < EXACT_BELOW else byar_limits(observed, level)


def render_exact_limits_csv(level: float = CONFIDENCE_LEVEL) -> str:
    """CSV text of the seed: observed 0…EXACT_BELOW−1 with exact lower and upper limits."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["observed", "lower", "upper", "confidence_level"])
    for observed in range(EXACT_BELOW):
        lower, upper = exact_limits(observed, level)
        writer.writerow([observed, f"{lower:.10f}", f"{upper:.10f}", level])
    return buf.getvalue()


def write_exact_limits_csv(path: Path = SEED_PATH) -> Path:
    """Write :func:`render_exact_limits_csv` to ``path`` (default: the committed seed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_exact_limits_csv(), encoding="utf-8")
    return path
