{#- Every column but `columns` (a list of names). DuckDB: * exclude (…). Open-source Spark SQL
    has no star exclusion, so there the helper columns stay: use this only where the caller
    selects its columns by name afterwards (latest_revision's callers do). -#}
{%- macro star_excluding(columns) -%}
    {{ return(adapter.dispatch('star_excluding')(columns)) }}
{%- endmacro %}

{%- macro default__star_excluding(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{%- macro spark__star_excluding(columns) -%}
    *
{%- endmacro %}
