-- Abridged period life table (Chiang II) per region × year × age band, both sexes, all causes,
-- from deaths and mid-year population in every age_groups band (0, 1-4, 5-9, …, 85+). Only
-- region-years with a positive population in every band are built; a band without a deaths
-- row counts 0 deaths when the region-year has deaths by age at all. See macro
-- abridged_life_table for the formulas.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with bands as (
    select * from {{ ref('stg_age_groups') }}
),

n_bands as (
    select count(*) as n from bands
),

deaths as (
    {{ counts_by_age_band(ref('int_counts_annual'), 'deaths', scope) }}
),

population as (
    {{ counts_by_age_band(ref('int_counts_annual'), 'population', scope) }}
),

region_years as (
    select
        p.region_id,
        p.year
    from population as p
    inner join bands as b on p.age_group = b.age_group
    where
        p.population > 0
        and exists (
            select 1 from deaths as d
            where d.region_id = p.region_id and d.year = p.year
        )
    group by p.region_id, p.year
    having count(*) = (select n from n_bands)
),

input as (
    {{ deaths_by_band(['age_lower', 'width']) }}
),

life_table as (
    {{ abridged_life_table('input', ['region_id', 'year']) }}
),

flags as (
    select
        region_id,
        year,
        bool_or(is_illustrative) as is_illustrative
    from input
    group by region_id, year
)

select
    lt.region_id,
    lt.year,
    b.age_group,
    lt.age_lower,
    lt.n as width,
    lt.is_open,
    lt.deaths,
    lt.population,
    lt.m,
    lt.a,
    lt.q,
    lt.l,
    lt.d,
    lt.big_l,
    lt.t,
    lt.e,
    lt.se_e0,
    f.is_illustrative,
    {{ scope.watermark }} as built_through_ingested_at
from life_table as lt
inner join bands as b on lt.age_lower = b.age_lower
inner join flags as f on lt.region_id = f.region_id and lt.year = f.year
