-- The assessment reads exactly one preferred annual value per region × indicator × year.
-- Grouped by region, so an incremental run tests its affected regions only (macros/test_scope.sql).
select
    region_id,
    indicator_code,
    year,
    count(*) as n_preferred
from {{ ref('fct_indicator_observation') }}
where is_preferred and {{ singular_test_scope() }}
group by region_id, indicator_code, year
having count(*) > 1
