{#- Half a unit of the last digit a figure was printed with, in the unit of `value` (the
    canonical unit): 12.35 → 0.005, 12.4 → 0.05, 80 → 0.5, 80.0 → 0.05; 0.41 % stored as 4.1 ‰
    → 0.005 × 10. Two printings of one figure agree when they differ by no more than the coarser
    one's half unit (12.35 and 12.4; 29.27 and 29.3). Null when the printed text has no number
    (a computed value): such a value is exact. Portable: regexp_extract(text, pattern, group),
    power, abs (DuckDB and Spark). -#}
{%- macro printed_half_unit(printed, value) -%}
    case
        when regexp_extract({{ printed }}, '([0-9][0-9,]*)(\.([0-9]+))?', 1) = '' then null
        else 0.5 * power(10.0, -length(regexp_extract({{ printed }}, '([0-9][0-9,]*)(\.([0-9]+))?', 3)))
            * coalesce(
                abs({{ value }}) / nullif(
                    cast(replace(regexp_extract({{ printed }}, '([0-9][0-9,]*(\.[0-9]+)?)', 1), ',', '') as double),
                    0
                ),
                1.0
            )
    end
{%- endmacro %}

{#- Text of a group's values joined by `sep` in the order of `order_by` (engine variants in
    macros/cross_engine/text_lists.sql). -#}
{%- macro ordered_text_agg(expr, order_by, sep='; ') -%}
    {{ return(adapter.dispatch('ordered_text_agg')(expr, order_by, sep)) }}
{%- endmacro %}
