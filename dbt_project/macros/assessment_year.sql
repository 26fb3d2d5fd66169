{#- The assessment "today": var assessment_year, else the calendar year the run started. -#}
{%- macro assessment_year() -%}
    {%- set configured = var('assessment_year', none) -%}
    {%- if configured is none or configured == '' -%}{{ run_started_at.year }}{%- else -%}{{ configured | int }}{%- endif -%}
{%- endmacro %}
