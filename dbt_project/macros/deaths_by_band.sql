{#- Deaths and population per region × year × age band, the input of the life table and of
    40q30 (int_life_table, int_ncd_premature_mortality): every band of each region-year that has
    a population, 0 deaths where the band has none. Reads the CTEs `region_years` (region_id,
    year), `bands` (age_group + `band_columns`), `population` and `deaths` (or the CTE named by `deaths`; region_id, year,
    age_group, population | deaths, is_illustrative). -#}
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
