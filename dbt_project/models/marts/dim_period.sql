-- Calendar years spanned by observations, plan horizons and target years, with the Chinese
-- five-year-plan period each belongs to.
with observation_years as (
    select distinct year from {{ ref('fct_indicator_observation') }}
),

plan_years as (
    select horizon_start as year from {{ ref('stg_plans') }}
    union
    select horizon_end as year from {{ ref('stg_plans') }}
),

target_years as (
    select distinct target_year as year from {{ ref('stg_plan_targets') }}
),

bounds as (
    select
        min(year) as first_year,
        greatest(max(year), {{ assessment_year() }}) as last_year
    from (
        select year from observation_years
        union all
        select year from plan_years
        union all
        select year from target_years
    ) as y
    where year is not null
),

spine as (
    select {{ integer_series('b.first_year', 'b.last_year') }} as year
    from bounds as b
    where b.first_year is not null
)

select
    s.year,
    cast(s.year as {{ dbt.type_string() }}) as period,
    'year' as period_type,
    -- regular five-year plans since the 3rd (1966–1970); the 14th runs 2021–2025
    case when s.year >= 1966 then {{ integer_divide('s.year - 1', 5) }} * 5 + 1 end as fyp_start_year,
    case when s.year >= 1966 then {{ integer_divide('s.year - 1', 5) }} * 5 + 5 end as fyp_end_year,
    case when s.year >= 1966 then {{ integer_divide(integer_divide('s.year - 1', 5) ~ ' * 5 + 1 - 1966', 5) }} + 3 end as fyp_number,
    s.year in (select t.year from target_years as t) as is_target_year,
    s.year in (select o.year from observation_years as o) as has_observations,
    s.year = {{ assessment_year() }} as is_assessment_year
from spine as s
