{#- A number as text the way C printf %g writes it (6 significant digits, trailing zeros and
    point dropped, exponent below 1e-4 and from 1e6): 95, 5.5, 0.61, 1e+06.
    DuckDB: format('{:g}'). Spark: Java's %g keeps trailing zeros (95.0000, 1.00000e+06), so
    they are stripped from the mantissa. -#}
{%- macro number_text(expression) -%}
    {{ return(adapter.dispatch('number_text')(expression)) }}
{%- endmacro %}

{%- macro default__number_text(expression) -%}
    format('{:g}', {{ expression }})
{%- endmacro %}

{%- macro spark__number_text(expression) -%}
    regexp_replace(
        regexp_replace(format_string('%g', cast({{ expression }} as double)), '(\\.[0-9]*?)0+(e|$)', '$1$2'),
        '\\.(e|$)', '$1'
    )
{%- endmacro %}
