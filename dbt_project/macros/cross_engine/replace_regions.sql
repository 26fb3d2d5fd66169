{#- Incremental builds on Spark without a table format (docs/scale-out.md#incremental-builds).

    DuckDB deletes the affected regions' rows and inserts the new ones (delete+insert). Plain
    Parquet tables on Spark cannot DELETE, but a partition can be dropped and overwritten: the
    region-keyed models are partitioned by region_id, a pre-hook drops the partitions of the
    affected regions (same query as incremental_scope, so a region whose rows vanish goes too) and
    dbt-spark's insert_overwrite writes the rebuilt regions (dynamic partition overwrite).
    int_counts_annual is partitioned by year the same way. On Iceberg or Delta the same models
    could use incremental_strategy='merge' with unique_key plus a delete pre-hook instead. -#}

{%- macro spark__incremental_by_region_config(watermark_table=false) -%}
    {%- set hook = '{{ delete_affected_regions(watermark_table=true) }}' if watermark_table else '{{ delete_affected_regions() }}' -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        file_format='parquet',
        partition_by=['region_id'],
        on_schema_change='fail',
        pre_hook=hook,
        post_hook=['{{ create_watermarks_table() }}', '{{ record_watermark() }}'] if watermark_table else [],
    ) }}
{%- endmacro -%}

{%- macro spark__incremental_by_year_config() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        file_format='parquet',
        partition_by=['year'],
        on_schema_change='fail',
        pre_hook='{{ delete_changed_count_years() }}',
    ) }}
{%- endmacro -%}

{%- macro spark__delete_affected_regions(watermark_table=false) -%}
    {#- One statement (Spark runs one per hook): drop the affected regions' partitions. -#}
    {%- set regions = [] -%}
    {%- if execute and is_incremental() -%}
        {%- set regions = run_query(affected_regions_query(watermark_table)).columns[0].values() | reject('none') | list -%}
    {%- endif -%}
    {%- if regions -%}
        alter table {{ this }} drop if exists
        {%- for r in regions %} partition (region_id = {{ sql_string(r) }}){{ ',' if not loop.last }}{% endfor %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}

{%- macro spark__delete_changed_count_years() -%}
    {#- int_counts_annual: drop the changed years' partitions (a year whose rows were all
        withdrawn disappears as in a full build). -#}
    {%- set years = changed_count_years() if is_incremental() and var('as_of', none) is none else [] -%}
    {%- if years -%}
        alter table {{ this }} drop if exists
        {%- for y in years %} partition (year = {{ y }}){{ ',' if not loop.last }}{% endfor %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}

{%- macro create_watermarks_table() -%}
    {#- Spark post-hook: the watermark table, one partition per model (overwritten by the next). -#}
    {{- return(adapter.dispatch('create_watermarks_table')()) -}}
{%- endmacro -%}

{%- macro default__create_watermarks_table() -%}
    create table if not exists {{ watermarks_relation() }} (model varchar, built_through_ingested_at timestamp)
{%- endmacro -%}

{%- macro spark__create_watermarks_table() -%}
    create table if not exists {{ watermarks_relation() }} (built_through_ingested_at timestamp, model string)
    using parquet partitioned by (model)
{%- endmacro -%}

{%- macro spark__record_watermark() -%}
    insert overwrite table {{ watermarks_relation() }} partition (model = {{ sql_string(this.identifier) }})
    select {{ raw_ingestion_watermark() }}
{%- endmacro -%}
