-- Targets missed (not_met) or at risk (off_track; reference_missing = the target cannot be
-- judged because its reference-year value is missing), latest assessment, by lead department.
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
        when status = 'off_track' then 'at_risk'
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
    latest_is_illustrative,
    projected_value,
    gap,
    status,
    trend,
    co_departments,
    source_quote,
    {{ scope.watermark }} as built_through_ingested_at
from progress
where status in ('not_met', 'off_track', 'reference_missing')
