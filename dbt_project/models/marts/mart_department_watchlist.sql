-- Targets a monitor must act on (assessment_statuses.is_finding, mart_target_progress.is_at_risk):
-- missed (not_met), at risk (off_track, worsening) or cannot be assessed (reference_missing,
-- stale_data, data_conflict), latest assessment, by lead department.
-- One row per lead department × target × region: a jointly led target (`市发改委;市卫计委`) is
-- one row for each of its lead departments (dim_target_department), and a target whose plan names
-- no lead is listed under the explicit 计划未明确牵头单位 (is_lead_stated false).
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with progress as (
    select * from {{ ref('mart_target_progress') }}
    where {{ in_scope('region_id', scope) }}
),

leads as (
    select * from {{ ref('dim_target_department') }}
    where role = 'lead'
)

select
    d.department as lead_department,
    d.is_stated as is_lead_stated,
    case
        when p.status = 'not_met' then 'missed'
        when p.status in ('off_track', 'worsening') then 'at_risk'
        else 'cannot_assess'
    end as watch_reason,
    p.severity,
    p.nature,
    p.plan_id,
    p.plan_title_zh,
    p.target_id,
    p.indicator_code,
    p.indicator_name_zh,
    p.indicator_name_en,
    p.unit,
    p.region_id,
    p.region_name_en,
    p.target_year,
    p.requirement_text,
    p.latest_year,
    p.latest_value,
    p.latest_source,
    p.latest_data_nature,
    p.latest_ci_lower,
    p.latest_ci_upper,
    p.data_age_years,
    p.latest_is_illustrative,
    p.projected_value,
    p.gap,
    p.status,
    p.trend,
    p.co_departments,
    p.source_quote,
    {{ scope.watermark }} as built_through_ingested_at
from progress as p
inner join leads as d on p.target_id = d.target_id
where p.is_at_risk
