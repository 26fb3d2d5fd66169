-- "What does plan X require for year Y": one row per target × region with the requirement in
-- words and numbers (bounds from the comparator rules; relative targets use the reference
-- value known at the latest assessment), nature, lead department and the source phrase.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with assessment as (
    select * from {{ ref('mart_target_progress') }}
    where {{ in_scope('region_id', scope) }}
)

select
    plan_id,
    plan_title_zh,
    plan_title_en,
    target_year,
    target_id,
    domain_id,
    domain_zh,
    indicator_code,
    indicator_name_zh,
    indicator_name_en,
    unit,
    direction,
    region_id,
    region_name_en,
    scope,
    comparator,
    target_value,
    target_upper,
    tolerance_pct,
    relative_to_year,
    reference_value,
    requirement_text,
    required_lower,
    required_lower_inclusive,
    required_upper,
    required_upper_inclusive,
    baseline_year,
    baseline_value,
    nature,
    severity,
    lead_department,
    co_departments,
    source_quote,
    status as latest_status,
    {{ scope.watermark }} as built_through_ingested_at
from assessment
