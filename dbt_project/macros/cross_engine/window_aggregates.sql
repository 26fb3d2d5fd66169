{#- Aggregates DuckDB has and Spark lacks: product (aggregate and window), distinct count over a window. -#}

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

{#- Number of distinct non-null values of `expression` over a window (`window` is the text inside
    over (…)). Spark has no DISTINCT window aggregate: the size of the window's collect_set. -#}
{%- macro count_distinct_over(expression, window) -%}
    {{ return(adapter.dispatch('count_distinct_over')(expression, window)) }}
{%- endmacro %}

{%- macro default__count_distinct_over(expression, window) -%}
    count(distinct {{ expression }}) over ({{ window }})
{%- endmacro %}

{%- macro spark__count_distinct_over(expression, window) -%}
    cast(size(collect_set({{ expression }}) over ({{ window }})) as bigint)
{%- endmacro %}
