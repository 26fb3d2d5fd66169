"""Re-render every artefact generated from :mod:`pipelines.rules`.

Usage: ``python -m pipelines.rules.render`` (then commit the changed files).
"""

from __future__ import annotations

from pipelines.rules import comparators, poisson, units


def main() -> None:
    """Write the comparator and unit macros and the exact Poisson limits seed."""
    for path in (
        comparators.write_dbt_macros(),
        units.write_dbt_macro(),
        poisson.write_exact_limits_csv(),
    ):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
