with source as (
    select * from {{ ref('regions') }}
)

select
    {{ to_text('region_id') }} as region_id,
    {{ to_text('name_zh') }} as name_zh,
    {{ to_text('name_en') }} as name_en,
    {{ to_text('admin_code') }} as admin_code,
    {{ to_text('level') }} as level,
    {{ to_text('parent_region_id') }} as parent_region_id,
    coalesce({{ to_bool('is_redacted') }}, false) as is_redacted,
    {{ to_text('name_source') }} as name_source
from source
