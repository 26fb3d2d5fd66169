{#- Every column but `columns` (a list of names), in a select list. DuckDB: * exclude (…).
    Spark SQL has no star exclusion; with spark.sql.parser.quotedRegexColumnNames (set in the
    spark profile) a back-quoted name is a regular expression, and `(a|b)?+.+` matches every
    name except exactly a and b (the possessive group eats a whole excluded name, leaving
    nothing for .+). -#}
{%- macro star_excluding(columns) -%}
    {{ return(adapter.dispatch('star_excluding')(columns)) }}
{%- endmacro %}

{%- macro default__star_excluding(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{%- macro spark__star_excluding(columns) -%}
    `({{ columns | join('|') }})?+.+`
{%- endmacro %}
