-- Frame of the quality__stg_observations suite: every staged observation with its indicator's
-- plausible range and its unit's scale: unit_max is 100 for a share (a unit of kind proportion in
-- the units seed), null otherwise (the joins add no rows: both keys are unique).
-- Template: the columns placeholder becomes the observation columns the suite reads
-- (quality_suites.STG_OBSERVATION_COLUMNS, aliased o.), or o.* when they are not known;
-- opt_unit becomes o."unit", or null when the relation has no unit column (opt_observation_key
-- likewise).
-- observation_key__hash: the key's 64-bit DuckDB hash, null for a missing key. GX validates the
-- key as exact integer codes made from it (frames.key_codes: rows that share a hash, repeated or
-- colliding keys, are coded again by their text); computed here, in the scan, it costs no window
-- and no text hashing in Python.
-- No ORDER BY: sorting 6 M rows costs seconds; the failing rows are sorted instead.
select
    {columns},
    case
        when {opt_observation_key} is not null then hash({opt_observation_key})
    end as observation_key__hash,
    i.plausible_min,
    i.plausible_max,
    case when u.kind = 'proportion' then cast(100 as double) end as unit_max
from staging.stg_observations as o
left join reference.indicators as i on o.indicator_code = i.indicator_code
left join reference.units as u on {opt_unit} = u.unit
