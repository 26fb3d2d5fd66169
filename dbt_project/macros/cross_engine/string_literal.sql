{#- Text as a SQL string literal: the one quoting rule of the project's macros (values inlined
    into SQL: region ids, file paths, cells, seed values). DuckDB doubles an apostrophe; Spark SQL
    reads backslash escapes in literals, so there a backslash and an apostrophe are both escaped
    (dbt-spark's escape_single_quotes escapes only the apostrophe). -#}

{%- macro sql_string(value) -%}
    {{- return(adapter.dispatch('sql_string')(value | string)) -}}
{%- endmacro -%}

{%- macro default__sql_string(value) -%}
    {{- return(dbt.string_literal(dbt.escape_single_quotes(value))) -}}
{%- endmacro -%}

{%- macro spark__sql_string(value) -%}
    {{- return("'" ~ value | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") -}}
{%- endmacro -%}

{%- macro sql_string_list(values) -%}
    {#- Comma-separated literals of `values`, for an IN list. -#}
    {%- set literals = [] -%}
    {%- for v in values -%}{%- do literals.append(sql_string(v)) -%}{%- endfor -%}
    {{- return(literals | join(', ')) -}}
{%- endmacro -%}
