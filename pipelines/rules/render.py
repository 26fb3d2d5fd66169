"""Re-render every artefact generated from :mod:`pipelines.rules`.

Usage: ``python -m pipelines.rules.render`` (then commit the changed files).
"""

from __future__ import annotations

from pipelines.rules import comparator_sql, poisson, units


def main() -> None:
    """Write the comparator, unit and Poisson interval macros and the exact limits seed."""
    written = (
        comparator_sql.write_dbt_macros(),
        units.write_dbt_macro(),
        poisson.write_dbt_macro(),
        poisson.write_exact_limits_csv(),
    )
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
