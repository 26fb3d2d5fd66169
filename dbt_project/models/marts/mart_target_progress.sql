-- One row per target × assessed region, as of var assessment_year: everything needed to read
-- it — plan, indicator, region, requirement, baseline, latest value, projection, status, trend —
-- and, beside it, the latest international estimate of a differently defined series
-- (indicators.comparable_to), which never enters the assessment.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope(assessment_year_column='assessment_year') %}
with assessment as (
    select * from {{ ref('int_assessment_verdict') }}
    where is_latest and {{ in_scope('region_id', scope) }}
),

facts as (
    select
        assessment_key,
        severity,
        lead_department
    from {{ ref('fct_target_assessment') }}
    where {{ in_scope('region_id', scope) }}
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
    a.assessment_key,
    a.target_id,
    a.plan_id,
    {{ plan_labels('p') }},
    p.plan_type,
    a.domain_id,
    d.domain_zh,
    d.domain_en,
    a.indicator_code,
    {{ indicator_labels('i') }},
    a.region_id,
    {{ region_labels('r', zh_first=true) }},
    a.scope,
    a.assessment_year,
    a.target_year,
    a.target_year - a.assessment_year as years_to_target,
    a.comparator,
    a.target_value,
    a.target_upper,
    a.tolerance_pct,
    a.relative_to_year,
    a.reference_value,
    a.requirement_text,
    a.required_lower,
    a.required_lower_inclusive,
    a.required_upper,
    a.required_upper_inclusive,
    a.baseline_year,
    a.baseline_value,
    a.baseline_source,
    a.latest_year,
    a.latest_value,
    a.latest_ci_lower,
    a.latest_ci_upper,
    a.latest_data_nature,
    coalesce(a.latest_is_illustrative, false) as latest_is_illustrative,
    a.latest_source,
    a.latest_source_rank,
    a.latest_is_conflict,
    a.data_age_years,
    a.max_data_age_years,
    a.latest_gap,
    a.n_points,
    a.slope_per_year,
    a.projected_value,
    a.projected_lower,
    a.projected_upper,
    a.probability_target_met,
    a.cagr,
    a.cagr_required,
    a.progress_ratio,
    a.progress_ratio_class,
    a.pct_targeted_change_achieved,
    a.pct_change_from_baseline,
    a.progress_methods_disagree,
    a.verdict_value,
    a.verdict_basis,
    a.projection_method,
    a.gap,
    a.threshold_met,
    a.status,
    a.noise_point_side,
    s.gx_outcome = 'fail' as is_failing,
    s.is_finding as is_at_risk,
    s.rank as status_rank,
    a.trend,
    a.trend_method,
    a.nature,
    f.severity,
    f.lead_department,
    a.co_departments,
    a.source_quote,
    e.estimate_indicator_code as international_estimate_code,
    e.year as international_estimate_year,
    e.value as international_estimate_value,
    e.source as international_estimate_source,
    a.latest_value is null and e.value is not null as only_international_estimate,
    {{ scope.watermark }} as built_through_ingested_at
from assessment as a
inner join facts as f on a.assessment_key = f.assessment_key
left join {{ ref('dim_plan') }} as p on a.plan_id = p.plan_id
left join {{ ref('dim_indicator') }} as i on a.indicator_code = i.indicator_code
left join {{ ref('dim_region') }} as r on a.region_id = r.region_id
left join domains as d on a.plan_id = d.plan_id and a.domain_id = d.domain_id
left join {{ ref('assessment_statuses') }} as s on a.status = s.status
left join estimates as e on a.indicator_code = e.indicator_code and a.region_id = e.region_id
