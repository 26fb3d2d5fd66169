{#- Abridged period life table, Chiang II with the Silcocks last-interval variance
    (assessment-methods §A3; PHEindicatormethods::phe_life_expectancy).

    `input` is a relation or CTE name with the columns in `group_columns` plus
    age_lower (start of the band), width (band width in years; null for the open last band),
    deaths and population. Every group must hold every band (the caller checks completeness).
    Returns one row per group × band with m, a, q, l, d, big_l (nLx), t, e and, on the first band
    of each group, se_e0 (standard error of life expectancy at birth).

    a = 0.1 for age 0 else 0.5; q = n·M / (1 + n·M·(1 − a)), 1 when D > P/(n·a) and in the open
    band; l0 = 100 000; L = n(l_{x+n} + a·d) and L_ω = l_ω / M_ω; e = T / l.
    Var(q) = q²(1 − q)/D; SE(e0)² = [Σ_{i<ω} l_i²((1 − a_i)n_i + e_{i+1})² Var(q_i)
    + l_ω²/(D_ω M_ω²)] / l0². -#}
{%- macro abridged_life_table(input, group_columns) -%}
    {%- set g = group_columns | join(', ') -%}
    {%- set part = 'partition by ' ~ g if group_columns else '' -%}
    with lt_rates as (
        select
            {{ g }}{{ ',' if group_columns }}
            age_lower,
            cast(width as double) as n,
            width is null as is_open,
            cast(deaths as double) as deaths,
            cast(population as double) as population,
            cast(deaths as double) / cast(population as double) as m,
            cast(case when age_lower = 0 then 0.1 else 0.5 end as double) as a
        from {{ input }}
    ),

    lt_q as (
        select
            *,
            case
                when is_open then 1.0
                when deaths > population / (n * a) then 1.0
                else n * m / (1 + n * m * (1 - a))
            end as q
        from lt_rates
    ),

    lt_l as (
        select
            *,
            100000.0 * coalesce(
                {{ product_over('1 - q', part ~ ' order by age_lower rows between unbounded preceding and 1 preceding') }},
                1.0
            ) as l
        from lt_q
    ),

    lt_big_l as (
        select
            *,
            l * q as d,
            case
                when is_open then (case when m > 0 then l / m end)
                else n * ((l - l * q) + a * l * q)
            end as big_l
        from lt_l
    ),

    lt_e as (
        select
            *,
            sum(big_l) over (
                {{ part }} order by age_lower rows between current row and unbounded following
            ) as t
        from lt_big_l
    ),

    lt_e2 as (
        select
            *,
            t / nullif(l, 0) as e
        from lt_e
    ),

    lt_var as (
        select
            *,
            case
                when is_open
                    then (case when deaths > 0 and m > 0 then l * l / (deaths * m * m) end)
                when deaths > 0
                    then
                        l * l
                        * pow((1 - a) * n + coalesce(lead(e) over ({{ part }} order by age_lower), 0), 2)
                        * (q * q * (1 - q) / deaths)
                else 0.0
            end as var_term
        from lt_e2
    )

    select
        *,
        case
            when age_lower = min(age_lower) over ({{ part }})
                then sqrt(sum(var_term) over ({{ part }})) / 100000.0
        end as se_e0
    from lt_var
{%- endmacro %}
