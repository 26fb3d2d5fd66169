{#- The body of stg_observations (latest revision, stored incrementally by region: `scope` from
    incremental_scope) and of stg_observations_as_of when var as_of is set (as known then): one
    column list, so the two cannot drift.
    A revision is the same publication again: same region, indicator, period, data nature,
    source and data status. Two publications of one figure (a bulletin and its 解读, a
    preliminary and a final figure) are both kept and resolved in int_observation_duplicates. -#}
{% macro observations_at_revision(honour_as_of, scope=none) %}
with latest as (
    {#- the scope's regions only, before the ranking (region_id is part of the revision key) -#}
    {{ latest_revision(source('raw', 'observations'), ['region_id', 'indicator_code', 'period', 'data_nature', "coalesce(source, '')", "coalesce(data_status, 'final')"], honour_as_of=honour_as_of,
        where=(in_scope('region_id', scope) if scope is not none else none), row_id='stored_rowid') }}
)

select
    region_id,
    indicator_code,
    period,
    period_type,
    cast(year as integer) as year,
    cast(value as double) as value,
    unit,
    cast(ci_lower as double) as ci_lower,
    cast(ci_upper as double) as ci_upper,
    original_value,
    original_unit,
    source,
    source_quote,
    data_nature,
    coalesce(data_status, 'final') as data_status,
    data_nature = 'illustrative' as is_illustrative,
    file_hash,
    file_path,
    sheet,
    source_row,
    ingested_at,
    run_id,
    revision,
    n_revisions,
    region_id || '|' || indicator_code || '|' || period || '|' || data_nature
    || '|' || md5(coalesce(source, '') || '|' || coalesce(data_status, 'final')) as observation_key
    {%- if scope is not none %},
    -- rows a build wrote carry its watermark (how the benchmark counts rows written)
    {{ scope.watermark }} as built_through_ingested_at
    {%- endif %}
from latest
{% endmacro %}
