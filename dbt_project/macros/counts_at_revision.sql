{#- The body of stg_count_observations_latest (latest revision, stored incrementally by region:
    `scope` from incremental_scope) and of stg_count_observations when var as_of is set (as known
    then): one column list, so the two cannot drift. -#}
{% macro counts_at_revision(honour_as_of, scope=none) %}
with latest as (
    {#- the scope's regions only, before the ranking (region_id is part of the revision key) -#}
    {{ latest_revision(source('raw', 'count_observations'), ['region_id', 'period', 'measure', 'age_group', 'sex', 'cause_group', 'data_nature'], honour_as_of=honour_as_of,
        where=(in_scope('region_id', scope) if scope is not none else none), row_id='stored_rowid') }}
)

select
    region_id,
    period,
    cast(year as integer) as year,
    period = cast(year as {{ dbt.type_string() }}) as is_annual,
    measure,
    age_group,
    sex,
    cause_group,
    cast(value as double) as value,
    source,
    data_nature,
    data_nature = 'illustrative' as is_illustrative,
    file_hash,
    file_path,
    ingested_at,
    run_id,
    revision,
    n_revisions
    {%- if scope is not none %},
    -- rows a build wrote carry its watermark (how the benchmark counts rows written)
    {{ scope.watermark }} as built_through_ingested_at
    {%- endif %}
from latest
{% endmacro %}
