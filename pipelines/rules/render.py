"""Re-render every artefact generated from :mod:`pipelines.rules`.

Usage: ``python -m pipelines.rules.render`` (then commit the changed files).
"""

from __future__ import annotations

from pipelines.rules import comparators, poisson


def main() -> None:
    """Write the comparator macros, the Poisson interval macro and the exact limits seed."""
    written = (
        comparators.write_dbt_macros(),
        poisson.write_dbt_macro(),
        poisson.write_exact_limits_csv(),
    )
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
