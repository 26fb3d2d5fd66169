"""Domain rules with exactly one definition each (CONTRACTS §0).

- :mod:`pipelines.rules.comparators` — what each ``plan_targets.comparator`` requires; renders the
  dbt macros in ``dbt_project/macros/generated/comparator_bounds.sql``.
- :mod:`pipelines.rules.poisson` — exact Poisson limits for small counts; renders the seed
  ``dbt_project/seeds/poisson_exact_limits.csv`` (Byar's approximation for larger counts lives in the
  ``poisson_ci`` dbt macro and is mirrored here for tests).

Regenerate every rendered artefact with ``python -m pipelines.rules.render``.
"""
