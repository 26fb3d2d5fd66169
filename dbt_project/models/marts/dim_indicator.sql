-- The indicator catalogue with its unit labels and how many plans and targets use it.
with indicators as (
    select * from {{ ref('stg_indicators') }}
),

units as (
    select * from {{ ref('stg_units') }}
),

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

usage as (
    select
        indicator_code,
        count(distinct plan_id) as n_plans,
        count(*) as n_targets
    from targets
    group by indicator_code
)

select
    i.indicator_code,
    i.name_zh,
    i.name_en,
    i.canonical_unit,
    u.label_zh as unit_label_zh,
    u.label_en as unit_label_en,
    i.direction,
    i.value_type,
    i.definition,
    i.numerator,
    i.denominator,
    i.plausible_min,
    i.plausible_max,
    i.computed_from_counts,
    i.definition_family,
    i.comparable_to,
    coalesce(us.n_plans, 0) as n_plans,
    coalesce(us.n_targets, 0) as n_targets
from indicators as i
left join units as u on i.canonical_unit = u.unit
left join usage as us on i.indicator_code = us.indicator_code
