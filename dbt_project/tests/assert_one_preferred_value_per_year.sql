-- The assessment reads exactly one preferred annual value per region × indicator × year.
select
    region_id,
    indicator_code,
    year,
    count(*) as n_preferred
from {{ ref('fct_indicator_observation') }}
where is_preferred
group by region_id, indicator_code, year
having count(*) > 1
