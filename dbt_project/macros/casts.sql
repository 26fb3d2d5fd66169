{#- Seed columns arrive typed by agate inference (an all-blank column may become text or int);
    these normalise them without hiding bad values (cast, not try_cast). -#}
{%- macro to_double(column) -%}
    cast(nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '') as double)
{%- endmacro %}

{%- macro to_int(column) -%}
    cast(cast(nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '') as double) as integer)
{%- endmacro %}

{%- macro to_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{%- macro to_bool(column) -%}
    cast(nullif(lower(trim(cast({{ column }} as {{ dbt.type_string() }}))), '') as boolean)
{%- endmacro %}
