-- Targets a monitor must act on (assessment_statuses.is_finding, mart_target_progress.is_at_risk):
-- missed (not_met), at risk (off_track, worsening) or cannot be assessed (reference_missing,
-- stale_data, data_conflict), latest assessment, by lead department.
-- One row per lead department × target × region; binding targets first.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with progress as (
    select * from {{ ref('mart_target_progress') }}
    where {{ in_scope('region_id', scope) }}
)

select
    coalesce(lead_department, '(not stated)') as lead_department,
    case
        when status = 'not_met' then 'missed'
        when status in ('off_track', 'worsening') then 'at_risk'
        else 'cannot_assess'
    end as watch_reason,
    severity,
    nature,
    plan_id,
    plan_title_zh,
    target_id,
    indicator_code,
    indicator_name_zh,
    indicator_name_en,
    unit,
    region_id,
    region_name_en,
    target_year,
    requirement_text,
    latest_year,
    latest_value,
    latest_source,
    latest_data_nature,
    latest_ci_lower,
    latest_ci_upper,
    data_age_years,
    latest_is_illustrative,
    projected_value,
    gap,
    status,
    trend,
    co_departments,
    source_quote,
    {{ scope.watermark }} as built_through_ingested_at
from progress
where is_at_risk
