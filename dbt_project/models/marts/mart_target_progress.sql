-- One row per target × assessed region, as of var assessment_year: the published assessment
-- (every column of fct_target_assessment but is_latest, read from the fact and never derived
-- again here) and, after it, what a reader needs beside it — plan, domain, indicator and region
-- names, the requirement in words, where the baseline comes from, the status's rank — and the
-- latest international estimate of a differently defined series (indicators.comparable_to),
-- which never enters the assessment.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope(assessment_year_column='assessment_year') %}
with facts as (
    select {{ star_excluding(['is_latest']) }}
    from {{ ref('fct_target_assessment') }}
    where is_latest and {{ in_scope('region_id', scope) }}
),

-- what the fact does not publish
details as (
    select
        assessment_key,
        scope,
        requirement_text,
        baseline_source,
        latest_gap,
        co_departments
    from {{ ref('int_assessment_verdict') }}
    where is_latest and {{ in_scope('region_id', scope) }}
),

domains as (
    select * from {{ ref('stg_plan_domains') }}
),

estimates_ranked as (
    select
        i.comparable_to as indicator_code,
        o.region_id,
        o.indicator_code as estimate_indicator_code,
        o.year,
        o.value,
        o.source,
        -- a ranked CTE rather than qualify, which Spark SQL lacks (docs/scale-out.md)
        row_number() over (
            partition by i.comparable_to, o.region_id order by o.year desc, o.indicator_code asc
        ) as estimate_order
    from {{ ref('fct_indicator_observation') }} as o
    inner join {{ ref('stg_indicators') }} as i on o.indicator_code = i.indicator_code
    where
        o.is_preferred
        and {{ in_scope('o.region_id', scope) }}
        and i.comparable_to is not null
        and o.year <= {{ assessment_year() }}
),

estimates as (
    select
        indicator_code,
        region_id,
        estimate_indicator_code,
        year,
        value,
        source
    from estimates_ranked
    where estimate_order = 1
)

select
    f.*,
    {{ plan_labels('p') }},
    p.plan_type,
    d.domain_zh,
    d.domain_en,
    {{ indicator_labels('i') }},
    {{ region_labels('r', zh_first=true) }},
    v.scope,
    f.target_year - f.assessment_year as years_to_target,
    v.requirement_text,
    v.baseline_source,
    v.latest_gap,
    s.gx_outcome = 'fail' as is_failing,
    s.is_finding as is_at_risk,
    s.rank as status_rank,
    v.co_departments,
    e.estimate_indicator_code as international_estimate_code,
    e.year as international_estimate_year,
    e.value as international_estimate_value,
    e.source as international_estimate_source,
    f.latest_value is null and e.value is not null as only_international_estimate,
    {{ scope.watermark }} as built_through_ingested_at
from facts as f
inner join details as v on f.assessment_key = v.assessment_key
left join {{ ref('dim_plan') }} as p on f.plan_id = p.plan_id
left join {{ ref('dim_indicator') }} as i on f.indicator_code = i.indicator_code
left join {{ ref('dim_region') }} as r on f.region_id = r.region_id
left join domains as d on f.plan_id = d.plan_id and f.domain_id = d.domain_id
left join {{ ref('assessment_statuses') }} as s on f.status = s.status
left join estimates as e on f.indicator_code = e.indicator_code and f.region_id = e.region_id
