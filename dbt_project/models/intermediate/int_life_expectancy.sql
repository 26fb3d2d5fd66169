-- Life expectancy at birth per region × year from int_life_table, with its Chiang II standard
-- error and 95 % CI. Suppressed (kept here, not published to the facts) when the total
-- population is below 5,000, the open age band has no deaths, or the CI is wider than 20 years.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with life_table as (
    select * from {{ ref('int_life_table') }}
    where {{ in_scope('region_id', scope) }}
),

totals as (
    select
        region_id,
        year,
        sum(population) as population,
        sum(deaths) as deaths,
        sum(case when is_open then deaths end) as open_band_deaths
    from life_table
    group by region_id, year
),

at_birth as (
    select
        region_id,
        year,
        e as e0,
        se_e0,
        is_illustrative
    from life_table
    where age_lower = 0
)

select
    b.region_id,
    b.year,
    case when b.is_illustrative then 'illustrative' else 'official' end as data_nature,
    b.is_illustrative,
    b.e0,
    b.se_e0,
    b.e0 - {{ z_95() }} * b.se_e0 as ci_lower,
    b.e0 + {{ z_95() }} * b.se_e0 as ci_upper,
    t.population,
    t.deaths,
    case
        when t.population < 5000 then 'population below 5000'
        when coalesce(t.open_band_deaths, 0) = 0 then 'no deaths in the open age band'
        when 2 * {{ z_95() }} * b.se_e0 > 20 then '95% CI wider than 20 years'
    end as suppression_reason,
    {{ scope.watermark }} as built_through_ingested_at
from at_birth as b
inner join totals as t on b.region_id = t.region_id and b.year = t.year
