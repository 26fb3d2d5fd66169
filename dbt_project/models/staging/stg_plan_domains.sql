with source as (
    select * from {{ ref('plan_domains') }}
)

select
    {{ to_text('plan_id') }} as plan_id,
    {{ to_text('domain_id') }} as domain_id,
    {{ to_text('domain_zh') }} as domain_zh,
    {{ to_text('domain_en') }} as domain_en,
    {{ to_text('lead_department') }} as lead_department,
    {{ to_text('co_departments') }} as co_departments,
    {{ to_text('source_quote') }} as source_quote
from source
