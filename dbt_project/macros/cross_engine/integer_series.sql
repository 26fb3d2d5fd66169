{#- One row per integer from `start` to `stop` inclusive, as a select-list expression
    (BIGINT on both engines: DuckDB's generate_series returns BIGINT). -#}
{%- macro integer_series(start, stop) -%}
    {{ return(adapter.dispatch('integer_series')(start, stop)) }}
{%- endmacro %}

{%- macro default__integer_series(start, stop) -%}
    unnest(generate_series({{ start }}, {{ stop }}))
{%- endmacro %}

{%- macro spark__integer_series(start, stop) -%}
    explode(sequence(cast({{ start }} as bigint), cast({{ stop }} as bigint)))
{%- endmacro %}
