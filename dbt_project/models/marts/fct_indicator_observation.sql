-- Every indicator value the warehouse knows, reported and computed side by side, as known at
-- var as_of (int_indicator_observations). `is_preferred` marks, per region × indicator × year
-- (annual rows), the one value the target assessment uses: the publication
-- int_observation_duplicates chose, whose rows int_preferred_observations enriches (the same
-- keys, so one join per region × indicator × year answers it, not a second 6.5 M-row join on
-- the long observation_key); every annual row of a year with several publications carries that
-- year's is_conflict and resolution_note, so no figure disappears silently.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with observations as (
    select * from {{ ref('int_indicator_observations') }}
    where {{ in_scope('region_id', scope) }}
),

-- the chosen publication per region × indicator × year and what the choice says about it
chosen as (
    select
        region_id,
        indicator_code,
        year,
        observation_key,
        is_conflict,
        resolution_note
    from {{ ref('int_observation_duplicates') }}
    where {{ in_scope('region_id', scope) }}
)

select
    o.observation_key,
    o.region_id,
    o.indicator_code,
    o.period,
    o.period_type,
    o.year,
    o.value,
    o.unit,
    o.ci_lower,
    o.ci_upper,
    o.value_source,
    o.data_nature,
    o.is_illustrative,
    o.source,
    o.source_quote,
    o.data_status,
    o.source_class,
    o.series_key,
    o.method,
    o.numerator,
    o.denominator,
    o.file_path,
    o.file_hash,
    o.source_row,
    o.ingested_at,
    o.revision,
    o.n_revisions,
    o.preference_rank,
    o.preference_rank as source_rank,
    coalesce(o.observation_key = r.observation_key, false) as is_preferred,
    -- a year's conflict describes its ranked (annual) rows only; the join itself is all
    -- equalities (tests/dbt/test_query_plans.py)
    coalesce(o.preference_rank is not null and r.is_conflict, false) as is_conflict,
    case when o.preference_rank is not null then r.resolution_note end as resolution_note,
    {{ scope.watermark }} as built_through_ingested_at
from observations as o
left join chosen as r
    on
        o.region_id = r.region_id
        and o.indicator_code = r.indicator_code
        and o.year = r.year
