with source as (
    select * from {{ ref('units') }}
)

select
    {{ to_text('unit') }} as unit,
    {{ to_text('kind') }} as kind,
    {{ to_double('factor_to_base') }} as factor_to_base,
    {{ to_text('label_zh') }} as label_zh,
    {{ to_text('label_en') }} as label_en
from source
