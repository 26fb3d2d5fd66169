{#- Use the configured schema name as-is (reference, staging, marts …) instead of dbt's
    "<target>_<schema>" so analysts query marts.mart_target_progress, not main_marts.… -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
