{#- Aggregate: `value` of the row with the smallest `order_by` (DuckDB arg_min, Spark min_by). -#}
{%- macro value_at_min(value, order_by) -%}
    {{ return(adapter.dispatch('value_at_min')(value, order_by)) }}
{%- endmacro %}

{%- macro default__value_at_min(value, order_by) -%}
    arg_min({{ value }}, {{ order_by }})
{%- endmacro %}

{%- macro spark__value_at_min(value, order_by) -%}
    min_by({{ value }}, {{ order_by }})
{%- endmacro %}
