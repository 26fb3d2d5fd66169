{#- A relation in schema `schema` of the target's database. Spark has no database level above
    schemas (dbt-spark refuses database=…), DuckDB names the attached file. -#}
{%- macro schema_relation(schema, identifier) -%}
    {{ return(adapter.dispatch('schema_relation')(schema, identifier)) }}
{%- endmacro %}

{%- macro default__schema_relation(schema, identifier) -%}
    {{ return(api.Relation.create(database=target.database, schema=schema, identifier=identifier)) }}
{%- endmacro %}

{%- macro spark__schema_relation(schema, identifier) -%}
    {{ return(api.Relation.create(schema=schema, identifier=identifier)) }}
{%- endmacro %}
