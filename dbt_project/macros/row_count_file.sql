{#- A built table's row count, written where the run that called dbt reads it while dbt is still
    running (orchestration/row_counts.py): dagster-dbt cannot count through its own connection
    then, as dbt's process holds the DuckDB file's lock until it exits.

    A post-hook of every model (dbt_project.yml). The run names the folder in environment
    variable HEALTHPLAN_ROW_COUNTS_DIR, read only when executing (not part of dbt's parse state,
    like macros/test_scope.sql). Unset (a hand-run `dbt build`), on Spark, or for a view (counting
    it would run its query) the hook renders nothing and dbt runs nothing. -#}

{%- macro row_count_file() -%}
    {%- set folder = env_var('HEALTHPLAN_ROW_COUNTS_DIR', '') if execute else '' -%}
    {%- if folder and target.type == 'duckdb' and config.get('materialized') in ('table', 'incremental') -%}
        {%- set path = folder ~ '/' ~ this.schema ~ '.' ~ this.identifier ~ '.csv' -%}
        copy (select count(*) as row_count from {{ this }}) to {{ sql_string(path) }} (header false)
    {%- endif -%}
{%- endmacro -%}
