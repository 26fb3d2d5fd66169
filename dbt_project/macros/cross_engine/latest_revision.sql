{#- How latest_revision (macros/latest_revision.sql) ranks the versions of a key on each engine:
    the same rows, ranked by _revision_ranking; what differs is what the window carries. -#}

{#- Spark (and any engine): the window carries every column of the rows. -#}
{%- macro default__latest_revision(relation, key_columns, as_of, filtered, row_id) -%}
    select {{ star_excluding(['is_current', 'served']) }}
    from (
        {{ _revision_ranking(key_columns, as_of, 'select * from ' ~ relation ~ filtered) }}
    ) as ranked
    where served and is_current
{%- endmacro %}

{#- DuckDB: the window carries only the key, the order and each row's rowid; the served rows are
    read back by rowid. A window materialises every column it carries: at M (6.3 M observations)
    stg_observations took 10.9–13.7 s with the wide window, 9.3–10.1 s with this one, same rows
    (docs/benchmark.md). -#}
{%- macro duckdb__latest_revision(relation, key_columns, as_of, filtered, row_id) -%}
    {%- set partition = [] -%}
    {%- set narrow -%}
        select
            {{ row_id }} as version_rowid,
            {%- for expression in key_columns %}
            {{ expression }} as revision_key_{{ loop.index }},
            {%- do partition.append('revision_key_' ~ loop.index) %}
            {%- endfor %}
            ingested_at,
            file_path,
            source_row
        from {{ relation }}{{ filtered }}
    {%- endset -%}
    select versions.* exclude (version_rowid), ranked.revision, ranked.n_revisions
    from (select {{ row_id }} as version_rowid, * from {{ relation }}{{ filtered }}) as versions
    inner join (
        {{ _revision_ranking(partition, as_of, narrow) }}
    ) as ranked
        on versions.version_rowid = ranked.version_rowid
    where ranked.served and ranked.is_current
{%- endmacro %}
