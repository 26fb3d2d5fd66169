-- Every indicator value the warehouse knows, reported and computed side by side, as known at
-- var as_of, with its source class and rank from the seed source_precedence (the one
-- precedence rule: official reported > computed from official counts > international
-- estimates > illustrative; preference_rank is null for sub-annual rows).
-- int_observation_duplicates picks the preferred row per region × indicator × year;
-- int_resolved_observations stores every row with is_preferred.
-- A view on DuckDB (macros/cross_engine/row_wise_view.sql): a union of two stored tables and a
-- join to a seed, so each reader's region filter reaches both scans, and the 6.5 M wide rows at M
-- are stored once, in int_resolved_observations (its projection fct_indicator_observation carries
-- this view's tests), not twice (docs/models.md#incremental-builds).
{{ row_wise_view_config() }}
with reported as (
    select * from {{ ref('stg_observations_as_of') }}
),

computed as (
    select * from {{ ref('int_computed_indicators') }}
),

unioned as (
    select
        observation_key || '|reported' as observation_key,
        region_id,
        indicator_code,
        period,
        period_type,
        year,
        value,
        unit,
        ci_lower,
        ci_upper,
        'reported' as value_source,
        data_nature,
        is_illustrative,
        source,
        source_quote,
        data_status,
        original_value,
        cast(null as {{ dbt.type_string() }}) as method,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        file_path,
        file_hash,
        source_row,
        ingested_at,
        revision,
        n_revisions
    from reported
    union all
    select
        region_id || '|' || indicator_code || '|' || cast(year as {{ dbt.type_string() }}) || '|' || data_nature
        || '|computed' as observation_key,
        region_id,
        indicator_code,
        cast(year as {{ dbt.type_string() }}) as period,
        'year' as period_type,
        year,
        value,
        unit,
        ci_lower,
        ci_upper,
        'computed' as value_source,
        data_nature,
        is_illustrative,
        'computed from raw.count_observations' as source,
        cast(null as {{ dbt.type_string() }}) as source_quote,
        'final' as data_status,
        cast(null as {{ dbt.type_string() }}) as original_value,
        method,
        numerator,
        denominator,
        cast(null as {{ dbt.type_string() }}) as file_path,
        cast(null as {{ dbt.type_string() }}) as file_hash,
        cast(null as integer) as source_row,
        cast(null as timestamp) as ingested_at,
        cast(null as bigint) as revision,
        cast(null as bigint) as n_revisions
    from computed
),

precedence as (
    select * from {{ ref('source_precedence') }}
)

select
    u.*,
    p.source_class,
    p.definition_family,
    u.indicator_code || '|' || p.definition_family as series_key,
    case when u.period_type = 'year' then p.source_rank end as preference_rank
from unioned as u
inner join precedence as p
    on u.data_nature = p.data_nature and u.value_source = p.value_source
