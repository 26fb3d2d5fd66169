-- The one value per region × indicator × year (annual rows) every assessment reads: the row of
-- int_indicator_observations with the best preference rank (ties: data_nature descending).
-- source_rank / is_conflict / resolution_note are placeholders until the source-precedence and
-- duplicate rules (issue 14, "Sources and duplicates") fill them.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with ranked as (
    select
        *,
        row_number() over (
            partition by region_id, indicator_code, year
            order by preference_rank asc, data_nature desc
        ) as preference_order
    from {{ ref('int_indicator_observations') }}
    where preference_rank is not null and {{ in_scope('region_id', scope) }}
)

select
    observation_key,
    region_id,
    indicator_code,
    year,
    value,
    unit,
    ci_lower,
    ci_upper,
    source,
    source_quote,
    data_nature,
    is_illustrative,
    value_source,
    cast(preference_rank as integer) as source_rank,
    false as is_conflict,
    cast(null as {{ dbt.type_string() }}) as resolution_note,
    {{ scope.watermark }} as built_through_ingested_at
from ranked
where preference_order = 1
