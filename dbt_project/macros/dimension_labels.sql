{#- The display labels the marts show beside their keys, defined once: an indicator's names,
    canonical unit and direction (`dim_indicator`), a region's names (`dim_region`) and a plan's
    titles (`dim_plan`). A mart joins the dimension under the alias it passes here, e.g.
    `left join {{ ref('dim_indicator') }} as i on t.indicator_code = i.indicator_code` and
    `{{ indicator_labels('i') }}` in its select list. -#}
{%- macro indicator_labels(alias) -%}
    {{ alias }}.name_zh as indicator_name_zh,
    {{ alias }}.name_en as indicator_name_en,
    {{ alias }}.canonical_unit as unit,
    {{ alias }}.direction
{%- endmacro %}

{#- `zh_first`: mart_target_progress has always listed the Chinese name first. -#}
{%- macro region_labels(alias, zh_first=false) -%}
    {%- if zh_first -%}
        {{ alias }}.name_zh as region_name_zh,
        {{ alias }}.name_en as region_name_en
    {%- else -%}
        {{ alias }}.name_en as region_name_en,
        {{ alias }}.name_zh as region_name_zh
    {%- endif -%}
{%- endmacro %}

{%- macro plan_labels(alias) -%}
    {{ alias }}.title_zh as plan_title_zh,
    {{ alias }}.title_en as plan_title_en
{%- endmacro %}
