with source as (
    select * from {{ ref('age_groups') }}
)

select
    {{ to_text('age_group') }} as age_group,
    {{ to_int('age_lower') }} as age_lower,
    {{ to_int('age_upper') }} as age_upper,
    {{ to_int('width') }} as width,
    {{ to_int('sort_order') }} as sort_order
from source
