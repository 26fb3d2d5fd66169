with source as (
    select * from {{ ref('indicators') }}
)

select
    {{ to_text('indicator_code') }} as indicator_code,
    {{ to_text('name_zh') }} as name_zh,
    {{ to_text('name_en') }} as name_en,
    {{ to_text('canonical_unit') }} as canonical_unit,
    {{ to_text('direction') }} as direction,
    {{ to_text('value_type') }} as value_type,
    {{ to_text('definition') }} as definition,
    {{ to_text('numerator') }} as numerator,
    {{ to_text('denominator') }} as denominator,
    {{ to_double('plausible_min') }} as plausible_min,
    {{ to_double('plausible_max') }} as plausible_max,
    coalesce({{ to_bool('computed_from_counts') }}, false) as computed_from_counts,
    {{ to_text('definition_family') }} as definition_family,
    {{ to_text('comparable_to') }} as comparable_to
from source
