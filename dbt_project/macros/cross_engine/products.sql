{#- Product of a column: DuckDB has product() as aggregate and window function; Spark has
    neither, so it folds the collected values (collect_list skips nulls as product() does).
    All-null input gives null on both engines. -#}
{%- macro product_of(expression) -%}
    {{ return(adapter.dispatch('product_of')(expression)) }}
{%- endmacro %}

{%- macro default__product_of(expression) -%}
    product({{ expression }})
{%- endmacro %}

{%- macro spark__product_of(expression) -%}
    case when count({{ expression }}) > 0 then
        aggregate(collect_list(cast({{ expression }} as double)), cast(1 as double), (acc, v) -> acc * v)
    end
{%- endmacro %}

{#- The same over a window (`window` is the text inside over (…)). -#}
{%- macro product_over(expression, window) -%}
    {{ return(adapter.dispatch('product_over')(expression, window)) }}
{%- endmacro %}

{%- macro default__product_over(expression, window) -%}
    product({{ expression }}) over ({{ window }})
{%- endmacro %}

{%- macro spark__product_over(expression, window) -%}
    case when count({{ expression }}) over ({{ window }}) > 0 then
        aggregate(
            collect_list(cast({{ expression }} as double)) over ({{ window }}),
            cast(1 as double), (acc, v) -> acc * v
        )
    end
{%- endmacro %}
