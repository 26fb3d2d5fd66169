-- A computed indicator is expressed in its catalogue unit (unit conversions live in units.csv).
select
    s.indicator_code,
    s.unit,
    i.canonical_unit
from {{ ref('computed_indicator_specs') }} as s
inner join {{ ref('stg_indicators') }} as i on s.indicator_code = i.indicator_code
where s.unit != i.canonical_unit
