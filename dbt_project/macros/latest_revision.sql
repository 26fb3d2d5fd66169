{#- Rows of `relation` as the landing zone said them at var `as_of` (null = now); the rules are
    pipelines/ingest/arrivals.py's (CONTRACTS §2):
    - per path, only the latest arrival in raw.ingested_files counts: a row is superseded by any
      later arrival of its path (a revision, a restore of earlier bytes, a rejection, a
      retraction);
    - per key, the latest row among those current arrivals wins (arrival time, then path, then
      source row).
    Adds `revision` (position of the served row among every version of the key known at as_of,
    1 = first) and `n_revisions` (versions known, current or superseded).
    `relation` is a source; `where`, a filter on its rows applied before the ranking (the
    incremental scope: its column must be part of the key); `row_id`, what identifies one of its
    stored rows on DuckDB: a table's `rowid`, or, for a view of a table stored by arrival
    (raw.observations, raw.count_observations: pipelines/ingest/schema.py), the `stored_rowid`
    it carries. -#}
{%- macro latest_revision(relation, key_columns, honour_as_of=true, where=none, row_id='rowid') -%}
    {%- set as_of = var('as_of', none) if honour_as_of else none -%}
    {%- set filters = [] -%}
    {%- if as_of is not none and as_of != '' -%}
        {%- do filters.append("ingested_at <= cast('" ~ as_of ~ "' as timestamp)") -%}
    {%- endif -%}
    {%- if where is not none -%}{%- do filters.append(where) -%}{%- endif -%}
    {%- set filtered = (' where ' ~ (filters | join(' and '))) if filters else '' -%}
    {{- return(adapter.dispatch('latest_revision')(relation, key_columns, as_of, filtered, row_id)) -}}
{%- endmacro %}

{#- Every version of `from_relation` with its ranking among its key's (`partition`, oldest
    first): revision, n_revisions and `served`, the last current version in that order (no
    current version after it); one ordering of the partition serves all three, not a second sort. -#}
{%- macro _revision_ranking(partition, as_of, from_relation) -%}
    {%- set key = partition | join(', ') -%}
    {%- set order = 'ingested_at asc, file_path asc, source_row asc nulls first' -%}
        select
            *,
            row_number() over (partition by {{ key }} order by {{ order }}) as revision,
            count(*) over (partition by {{ key }}) as n_revisions,
            count(case when is_current then 1 end) over (
                partition by {{ key }} order by {{ order }} rows between 1 following and unbounded following
            ) = 0 as served
        from (
            select
                versions.*,
                coalesce(versions.ingested_at >= latest_arrival.ingested_at, true) as is_current
            from ({{ from_relation }}) as versions
            left join (
                {{ latest_arrivals(as_of) }}
            ) as latest_arrival
                on versions.file_path = latest_arrival.file_path
        ) as flagged
{%- endmacro %}

{#- When each path last arrived, at `as_of` (null = now): a row is current unless a later
    arrival of its path (a revision, a restore, a rejection, a retraction) superseded it. -#}
{%- macro latest_arrivals(as_of=none) -%}
    select file_path, max(ingested_at) as ingested_at
    from {{ source('raw', 'ingested_files') }}
    {%- if as_of is not none and as_of != '' %}
    where ingested_at <= cast({{ sql_string(as_of) }} as timestamp)
    {%- endif %}
    group by file_path
{%- endmacro %}
