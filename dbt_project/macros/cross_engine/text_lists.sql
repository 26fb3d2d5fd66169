{#- Text lists: a ';'-separated cell as rows, and rows back into one sorted distinct list. -#}

{#- One row per trimmed item of `text` split on the literal `separator` (no row for null), as a
    select-list expression. Spark's split takes a regular expression, so the separator is quoted;
    its generator cannot sit inside trim(), so the items are trimmed before exploding. -#}
{%- macro split_trimmed_rows(text, separator) -%}
    {{ return(adapter.dispatch('split_trimmed_rows')(text, separator)) }}
{%- endmacro %}

{%- macro default__split_trimmed_rows(text, separator) -%}
    trim(unnest(string_split({{ text }}, {{ sql_string(separator) }})))
{%- endmacro %}

{%- macro spark__split_trimmed_rows(text, separator) -%}
    explode(transform(split({{ text }}, {{ sql_string('\\Q' ~ separator ~ '\\E') }}), item -> trim(item)))
{%- endmacro %}

{#- Aggregate: the distinct non-null values of `expression`, sorted, joined by `separator`
    (null when there is none, as DuckDB's string_agg). -#}
{%- macro sorted_distinct_text(expression, separator) -%}
    {{ return(adapter.dispatch('sorted_distinct_text')(expression, separator)) }}
{%- endmacro %}

{%- macro default__sorted_distinct_text(expression, separator) -%}
    string_agg(distinct {{ expression }}, {{ sql_string(separator) }} order by {{ expression }})
{%- endmacro %}

{%- macro spark__sorted_distinct_text(expression, separator) -%}
    case when count({{ expression }}) > 0
        then array_join(array_sort(collect_set({{ expression }})), {{ sql_string(separator) }})
    end
{%- endmacro %}

{#- Aggregate: the values of `expression` (nulls skipped) in the order of `order_by`, joined by
    `separator` (null when there is none). Spark's collect_list has no order: the (order, value)
    pairs are sorted first. -#}
{%- macro default__ordered_text_agg(expression, order_by, separator) -%}
    string_agg({{ expression }}, {{ sql_string(separator) }} order by {{ order_by }})
{%- endmacro %}

{%- macro spark__ordered_text_agg(expression, order_by, separator) -%}
    case when count({{ expression }}) > 0 then
        array_join(
            transform(
                array_sort(collect_list(named_struct(
                    {%- for key in order_by.split(',') %}{{ sql_string('k' ~ loop.index) }}, {{ key | trim }}, {% endfor -%}
                    'v', {{ expression }}
                ))),
                pair -> pair.v
            ),
            {{ sql_string(separator) }}
        )
    end
{%- endmacro %}
