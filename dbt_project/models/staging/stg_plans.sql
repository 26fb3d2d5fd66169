with source as (
    select * from {{ ref('plans') }}
)

select
    {{ to_text('plan_id') }} as plan_id,
    {{ to_text('title_zh') }} as title_zh,
    {{ to_text('title_en') }} as title_en,
    {{ to_text('plan_type') }} as plan_type,
    {{ to_text('issuing_body') }} as issuing_body,
    {{ to_text('document_number') }} as document_number,
    cast({{ to_text('issued_date') }} as date) as issued_date,
    {{ to_text('region_id') }} as region_id,
    {{ to_text('baseline_years') }} as baseline_years,
    {{ to_int('horizon_start') }} as horizon_start,
    {{ to_int('horizon_end') }} as horizon_end,
    {{ to_text('source_file') }} as source_file,
    {{ to_text('framework_status') }} as framework_status
from source
