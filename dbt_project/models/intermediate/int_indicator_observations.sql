-- Every indicator value the warehouse knows, reported and computed side by side, as known at
-- var as_of, with its preference rank (the one rule: reported non-illustrative > computed
-- non-illustrative > reported illustrative > computed illustrative; null for sub-annual rows).
-- int_preferred_observations picks the preferred row per region × indicator × year;
-- fct_indicator_observation publishes every row with is_preferred.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with reported as (
    select * from {{ ref('stg_observations_as_of') }}
    where {{ in_scope('region_id', scope) }}
),

computed as (
    select * from {{ ref('int_computed_indicators') }}
    where {{ in_scope('region_id', scope) }}
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

ranked as (
    select
        *,
        case
            when period_type != 'year' then null
            when not is_illustrative and value_source = 'reported' then 1
            when not is_illustrative and value_source = 'computed' then 2
            when value_source = 'reported' then 3
            else 4
        end as preference_rank
    from unioned
)

select
    *,
    {{ scope.watermark }} as built_through_ingested_at
from ranked
