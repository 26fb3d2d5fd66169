-- Frame of the quality__consistency suite: one row per region and year, one column per indicator
-- named in quality_suites.CONSISTENCY_RULES.
-- Template: the columns placeholder becomes one
-- max(value) filter (where indicator_code = 'code') as code
-- per known indicator of those rules (quality_suites.consistency_sql).
select
    region_id,
    year,
    {columns}
from marts.fct_indicator_observation
group by region_id, year
order by region_id, year
