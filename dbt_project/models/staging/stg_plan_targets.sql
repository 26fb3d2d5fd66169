-- Plan targets, typed. The tolerance of `about` stays null when the plan gives none; the
-- comparator macros apply the single default (pipelines/rules/comparators.py).
with source as (
    select * from {{ ref('plan_targets') }}
)

select
    {{ to_text('target_id') }} as target_id,
    {{ to_text('plan_id') }} as plan_id,
    {{ to_text('indicator_code') }} as indicator_code,
    {{ to_text('region_id') }} as region_id,
    coalesce({{ to_text('scope') }}, 'region') as scope,
    {{ to_text('domain_id') }} as domain_id,
    {{ to_int('target_year') }} as target_year,
    {{ to_text('comparator') }} as comparator,
    {{ to_double('target_value') }} as target_value,
    {{ to_double('target_upper') }} as target_upper,
    {{ to_double('tolerance_pct') }} as tolerance_pct,
    {{ to_int('relative_to_year') }} as relative_to_year,
    {{ to_int('baseline_year') }} as baseline_year,
    {{ to_double('baseline_value') }} as baseline_value,
    coalesce({{ to_text('nature') }}, 'unstated') as nature,
    {{ to_text('lead_department') }} as lead_department,
    {{ to_text('co_departments') }} as co_departments,
    {{ to_text('source_section') }} as source_section,
    {{ to_text('source_quote') }} as source_quote,
    {{ to_text('note') }} as note
from source
