{#- Derive the 'all' member of one breakdown dimension (sex, age_group or cause_group) by summing
    its members, only where the source did not report an 'all' row itself (a reported total wins).
    One shape for the three rollups of int_counts_annual.

    One grouped pass over `relation`: a group is a region × year × nature × measure × the other
    two dimensions; it yields a derived row when it has members (`member_condition`) and no 'all'
    row. Same rows as a sum joined against the reported totals (an anti-join of the relation with
    itself), without the second scan and hash join (the breakdown columns are not null). -#}
{% macro rollup_to_all(relation, dimension, derivation, member_condition) %}
    {%- set dims = ['age_group', 'sex', 'cause_group'] -%}
    select
        region_id,
        year,
        data_nature,
        measure,
        {%- for d in dims %}
        {% if d == dimension %}'all'{% else %}{{ d }}{% endif %} as {{ d }},
        {%- endfor %}
        sum(case when {{ member_condition }} then value end) as value,
        {{ sql_string(derivation) }} as derivation,
        max(case when {{ member_condition }} then source_ingested_at end) as source_ingested_at
    from {{ relation }}
    group by
        region_id, year, data_nature, measure
        {%- for d in dims if d != dimension %}, {{ d }}{% endfor %}
    having
        max(case when {{ dimension }} = 'all' then 1 else 0 end) = 0
        and max(case when {{ member_condition }} then 1 else 0 end) = 1
{% endmacro %}
