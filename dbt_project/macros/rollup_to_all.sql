{#- Derive the 'all' member of one breakdown dimension (sex, age_group or cause_group) by summing
    its members, only where the source did not report an 'all' row itself (a reported total wins).
    One shape for the three rollups of int_counts_annual. -#}
{% macro rollup_to_all(relation, dimension, derivation, member_condition=none, member_join='') %}
    {%- set dims = ['age_group', 'sex', 'cause_group'] -%}
    select
        b.region_id,
        b.year,
        b.data_nature,
        b.measure,
        {%- for d in dims %}
        {% if d == dimension %}'all'{% else %}b.{{ d }}{% endif %} as {{ d }},
        {%- endfor %}
        sum(b.value) as value,
        '{{ derivation }}' as derivation,
        max(b.source_ingested_at) as source_ingested_at
    from {{ relation }} as b
    {{ member_join }}
    left join {{ relation }} as x
        on
            b.region_id = x.region_id
            and b.year = x.year
            and b.data_nature = x.data_nature
            and b.measure = x.measure
            {%- for d in dims if d != dimension %}
            and b.{{ d }} = x.{{ d }}
            {%- endfor %}
            and x.{{ dimension }} = 'all'
    where x.measure is null{% if member_condition %} and {{ member_condition }}{% endif %}
    group by
        b.region_id, b.year, b.data_nature, b.measure
        {%- for d in dims if d != dimension %}, b.{{ d }}{% endfor %}
{% endmacro %}
