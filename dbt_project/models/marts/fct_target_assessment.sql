-- One row per target × assessed region × assessment year (CONTRACTS §3). `is_latest` marks the
-- assessment as of var assessment_year. All logic lives in the int_assessment_* models
-- (docs/verdicts.md); this model adds the plan context (domain, lead department, severity) and
-- fixes the published columns: every verdict with the data year, source, nature and interval it
-- rests on. Incremental by region like int_assessment_verdict; to keep exactly the contract
-- columns its watermark is kept in intermediate.incremental_watermarks, not in a column.
{{ incremental_by_region_config(watermark_table=true) }}
{%- set scope = incremental_scope(assessment_year_column='assessment_year', watermark_table=true) %}
with assessment as (
    select * from {{ ref('int_assessment_verdict') }}
    where {{ in_scope('region_id', scope) }}
),

domains as (
    select * from {{ ref('stg_plan_domains') }}
)

select
    a.assessment_key,
    a.target_id,
    a.plan_id,
    a.indicator_code,
    a.region_id,
    a.assessment_year,
    a.is_latest,
    a.target_year,
    a.comparator,
    a.target_value,
    a.target_upper,
    a.tolerance_pct,
    a.relative_to_year,
    a.reference_value,
    a.required_lower,
    a.required_lower_inclusive,
    a.required_upper,
    a.required_upper_inclusive,
    a.baseline_year,
    a.baseline_value,
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
    a.gap,
    a.verdict_value,
    a.verdict_basis,
    a.projection_method,
    a.threshold_met,
    a.status,
    a.noise_point_side,
    a.trend,
    a.trend_method,
    a.nature,
    case when a.nature = 'binding' then 'critical' else 'warning' end as severity,
    coalesce(a.target_lead_department, d.lead_department) as lead_department,
    a.domain_id,
    a.source_quote
from assessment as a
left join domains as d on a.plan_id = d.plan_id and a.domain_id = d.domain_id
