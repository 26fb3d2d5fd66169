{#- An array of `value` ordered by `order_by` (aggregate), and its item at a 1-based position.
    DuckDB: list(v order by o) and arr[i] (1-based). Spark: collect_list has no order, so the
    pairs are sorted; element_at is 1-based too (null past the end with ANSI mode off, as
    dbt-spark sets it). Keeping both 1-based here is the point: an off-by-one hides in arr[i]. -#}
{%- macro ordered_list(value, order_by) -%}
    {{ return(adapter.dispatch('ordered_list')(value, order_by)) }}
{%- endmacro %}

{%- macro default__ordered_list(value, order_by) -%}
    list({{ value }} order by {{ order_by }})
{%- endmacro %}

{%- macro spark__ordered_list(value, order_by) -%}
    transform(
        array_sort(collect_list(named_struct('k', {{ order_by }}, 'v', {{ value }}))),
        pair -> pair.v
    )
{%- endmacro %}

{%- macro list_item(list_expression, position) -%}
    {{ return(adapter.dispatch('list_item')(list_expression, position)) }}
{%- endmacro %}

{%- macro default__list_item(list_expression, position) -%}
    ({{ list_expression }})[{{ position }}]
{%- endmacro %}

{%- macro spark__list_item(list_expression, position) -%}
    element_at({{ list_expression }}, {{ position }})
{%- endmacro %}
