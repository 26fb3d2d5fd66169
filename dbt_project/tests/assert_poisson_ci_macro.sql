-- The poisson_ci macro against exact (Garwood) limits: from the seed for O = 0, 1, 5 (published
-- tables: 0–3.689, 0.0253–5.572, 1.624–11.668), and Byar's approximation for O = 100, which
-- must agree with the exact 81.364–121.627 within 0.005.
with cases as (
    select
        t.observed,
        t.expected_lower,
        t.expected_upper
    from (
        values
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (5, 1.6235, 11.6683),
        (100, 81.3639, 121.6268)
    ) as t (observed, expected_lower, expected_upper)
),

computed as (
    select
        observed,
        expected_lower,
        expected_upper,
        {{ poisson_ci('observed', 'lower') }} as lower_limit,
        {{ poisson_ci('observed', 'upper') }} as upper_limit
    from cases
)

select *
from computed
where abs(lower_limit - expected_lower) > 0.005 or abs(upper_limit - expected_upper) > 0.005
