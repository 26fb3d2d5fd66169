{#- on-run-start: where the raw tables come from. On DuckDB ingestion writes schema raw of the
    warehouse file itself: nothing to do. On Spark, raw.<table> are external Parquet tables over
    the lake folders pipelines.lake writes (HEALTHPLAN_LAKE); REFRESH makes a session that
    already listed a folder see the files added since. On a cluster the lake is an HDFS/S3 path
    and the tables live in the Hive metastore (docs/scale-out.md). -#}
{%- macro register_lake_tables() -%}
    {{ return(adapter.dispatch('register_lake_tables')()) }}
{%- endmacro %}

{%- macro default__register_lake_tables() -%}
    select 1
{%- endmacro %}

{%- macro spark__register_lake_tables() -%}
    {%- set lake = env_var('HEALTHPLAN_LAKE', '../warehouse/lake') -%}
    {%- if execute -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for table in ['ingested_files', 'observations', 'count_observations', 'quarantine'] -%}
            {%- do run_query("create table if not exists raw." ~ table ~ " using parquet location '" ~ lake ~ "/" ~ table ~ "'") -%}
            {%- do run_query('refresh table raw.' ~ table) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
