{#- A timestamp before every ingestion (coalesce target for "no watermark yet"). DuckDB has
    -infinity; Spark 3.5 silently casts '-infinity' to null, so it gets the first valid day. -#}
{%- macro earliest_timestamp() -%}
    {{ return(adapter.dispatch('earliest_timestamp')()) }}
{%- endmacro %}

{%- macro default__earliest_timestamp() -%}
    cast('-infinity' as timestamp)
{%- endmacro %}

{%- macro spark__earliest_timestamp() -%}
    cast('0001-01-01 00:00:00' as timestamp)
{%- endmacro %}
