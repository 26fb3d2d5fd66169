{#- Integer division rounding toward negative infinity for the non-negative operands used here
    (DuckDB `//`, Spark `div`; both BIGINT for BIGINT operands). -#}
{%- macro integer_divide(dividend, divisor) -%}
    {{ return(adapter.dispatch('integer_divide')(dividend, divisor)) }}
{%- endmacro %}

{%- macro default__integer_divide(dividend, divisor) -%}
    ({{ dividend }}) // ({{ divisor }})
{%- endmacro %}

{%- macro spark__integer_divide(dividend, divisor) -%}
    cast(({{ dividend }}) div ({{ divisor }}) as bigint)
{%- endmacro %}
