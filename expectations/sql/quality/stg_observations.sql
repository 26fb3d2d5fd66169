-- Frame of the quality__stg_observations suite: every staged observation with its indicator's
-- plausible range (the join adds no rows: the indicator key is unique).
-- Template: the columns placeholder becomes the observation columns the suite reads
-- (quality_suites.STG_OBSERVATION_COLUMNS, aliased o.), or o.* when they are not known.
-- No ORDER BY: sorting 6 M rows costs seconds; the failing rows are sorted instead.
select
    {columns},
    i.plausible_min,
    i.plausible_max
from staging.stg_observations as o
left join reference.indicators as i on o.indicator_code = i.indicator_code
