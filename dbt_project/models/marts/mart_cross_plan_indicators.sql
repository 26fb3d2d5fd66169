-- The same indicator across plans and regions: one row per target × assessed region (latest
-- assessment) with the national target (plan china_2030) for the same indicator and target
-- year beside it, and how many plans share the indicator.
-- Incremental by region: a region's rows change with its own assessment; when the national
-- region is affected, every row does (the national columns), so the whole table is rebuilt.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
{%- if scope.regions is not none and 'china' in scope.regions %}
    {%- set scope = {'watermark': scope.watermark, 'regions': none} %}
{%- endif %}
with targets as (
    select * from {{ ref('int_assessment_verdict') }}
    where is_latest
),

national_ranked as (
    select
        indicator_code,
        target_year,
        target_id,
        comparator,
        target_value,
        target_upper,
        requirement_text,
        required_lower,
        required_upper,
        latest_value,
        latest_year,
        status,
        -- one national target per indicator and year (the first by id if the outline sets two);
        -- a ranked CTE rather than qualify, which Spark SQL lacks (docs/scale-out.md)
        row_number() over (partition by indicator_code, target_year order by target_id) as national_order
    from targets
    where plan_id = 'china_2030' and region_id = 'china'
),

sharing as (
    select
        indicator_code,
        count(distinct plan_id) as n_plans_with_indicator,
        count(distinct region_id) as n_regions_with_indicator
    from targets
    group by indicator_code
)

select
    t.indicator_code,
    {{ indicator_labels('i') }},
    s.n_plans_with_indicator,
    s.n_regions_with_indicator,
    t.plan_id,
    {{ plan_labels('p') }},
    t.region_id,
    {{ region_labels('r') }},
    t.target_id,
    t.target_year,
    t.comparator,
    t.target_value,
    t.target_upper,
    t.requirement_text,
    t.required_lower,
    t.required_upper,
    t.nature,
    t.latest_year,
    t.latest_value,
    coalesce(t.latest_is_illustrative, false) as latest_is_illustrative,
    t.status,
    t.plan_id = 'china_2030' as is_national,
    n.target_id as national_target_id,
    n.comparator as national_comparator,
    n.target_value as national_target_value,
    n.target_upper as national_target_upper,
    n.requirement_text as national_requirement_text,
    n.required_lower as national_required_lower,
    n.required_upper as national_required_upper,
    n.latest_value as national_latest_value,
    n.latest_year as national_latest_year,
    n.status as national_status,
    -- local ambition vs national, in the good direction (positive = the local plan asks more)
    round(
        case
            when i.direction = 'higher_is_better' then t.required_lower - n.required_lower
            when i.direction = 'lower_is_better' then n.required_upper - t.required_upper
        end,
        9
    ) as local_minus_national_ambition,
    {{ scope.watermark }} as built_through_ingested_at
from targets as t
left join national_ranked as n
    on
        t.indicator_code = n.indicator_code
        and t.target_year = n.target_year
        and n.national_order = 1
left join {{ ref('dim_plan') }} as p on t.plan_id = p.plan_id
left join {{ ref('dim_indicator') }} as i on t.indicator_code = i.indicator_code
left join {{ ref('dim_region') }} as r on t.region_id = r.region_id
left join sharing as s on t.indicator_code = s.indicator_code
where {{ in_scope('t.region_id', scope) }}
