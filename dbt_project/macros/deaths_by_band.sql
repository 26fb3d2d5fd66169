{#- The input of the life table and of 40q30 (int_life_table, int_ncd_premature_mortality), in
    one place: counts_by_age_band selects their deaths and population, deaths_by_band puts the
    two together per age band. -#}

{#- One count measure per region × year × age band (every band but 'all'), both sexes, of the
    preferred data nature, summed over `cause_groups` (one group: that group's rows): the CTEs
    `population` and `deaths` that deaths_by_band reads. Columns region_id, year, age_group,
    `measure` (its value, named after the measure: deaths, population), is_illustrative (any
    summed row illustrative). `counts` is int_counts_annual; `scope` the model's
    incremental_scope(). -#}
{%- macro counts_by_age_band(counts, measure, scope, cause_groups=['all']) -%}
    {#- one group: its rows as they are (a key has one row of each group), no aggregation -#}
    {%- set summed = cause_groups | length > 1 %}
    select
        region_id,
        year,
        age_group,
        {{ 'sum(value)' if summed else 'value' }} as {{ measure }},
        {{ 'bool_or(is_illustrative)' if summed else 'is_illustrative' }} as is_illustrative
    from {{ counts }}
    where
        is_preferred_nature
        and sex = 'all'
        and measure = {{ sql_string(measure) }}
        and age_group != 'all'
        and cause_group in ({{ sql_string_list(cause_groups) }})
        and {{ in_scope('region_id', scope) }}
    {%- if summed %}
    group by region_id, year, age_group
    {%- endif %}
{%- endmacro %}

{#- Deaths and population per region × year × age band: every band of each region-year that has
    a population, 0 deaths where the band has none. Reads the CTEs `region_years` (region_id,
    year), `bands` (age_group + `band_columns`), `population` and `deaths` (or the CTE named by
    `deaths`), the latter two from counts_by_age_band. -#}
{%- macro deaths_by_band(band_columns, deaths='deaths') -%}
    select
        ry.region_id,
        ry.year,
        b.age_group,
        {%- for column in band_columns %}
        b.{{ column }},
        {%- endfor %}
        coalesce(d.deaths, 0) as deaths,
        p.population,
        coalesce(d.is_illustrative, false) or p.is_illustrative as is_illustrative
    from region_years as ry
    cross join bands as b
    inner join population as p
        on ry.region_id = p.region_id and ry.year = p.year and b.age_group = p.age_group
    left join {{ deaths }} as d
        on ry.region_id = d.region_id and ry.year = d.year and b.age_group = d.age_group
{%- endmacro %}
