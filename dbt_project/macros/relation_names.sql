{#- ref() and source() as dbt's own, but naming relations of the target's own DuckDB file by
    schema and name only. A DuckDB view stores the names it reads as written; named with the
    file's catalog ("healthplan"."staging"."x"), a view breaks in a copy of the file opened
    under another name (the catalog is the file name). Tables are unaffected; Spark names no
    database. The overrides are dbt's documented `builtins` pattern. -#}
{% macro ref() %}
    {%- set version = kwargs.get('version') or kwargs.get('v') -%}
    {%- if (varargs | length) == 1 -%}
        {%- set rel = builtins.ref(varargs[0], version=version) -%}
    {%- else -%}
        {%- set rel = builtins.ref(varargs[0], varargs[1], version=version) -%}
    {%- endif -%}
    {{ return(own_file_relation(rel)) }}
{% endmacro %}

{% macro source(source_name, table_name) %}
    {{ return(own_file_relation(builtins.source(source_name, table_name))) }}
{% endmacro %}

{%- macro own_file_relation(rel) -%}
    {%- if target.type == 'duckdb' and rel.database == target.database -%}
        {{ return(rel.include(database=false)) }}
    {%- endif -%}
    {{ return(rel) }}
{%- endmacro %}
