-- The DuckDB floor's computed indicators: registers + population -> every indicator per region
-- and year. Crude death rate (per mille), infant / under-5 mortality (per mille of live births),
-- maternal mortality (per 100,000 live births), SDG 3.4.1 probability of dying 30-70 from the
-- four NCDs (%) and life expectancy at birth from an abridged life table (Chiang, a = n/2,
-- a0 = 0.1). bench.floor.rates_sql fills the string.Template placeholders: deaths, births and
-- counts are relations (file readers), age_lower and cause expressions over a death record.
with d as (
    select region, year(death_date) as year, $age_lower as age_lower,
           $cause as cause, maternal
    from $deaths
),
b as (
    select region, year(birth_date) as year, count(*) as births
    from $births group by all
),
pop_in as (
    -- population by age group, summed over sex unless a both-sexes row exists
    select region, try_cast(regexp_extract(period, '\d{4}') as int) as year, age_group,
           coalesce(sum(try_cast(value as double)) filter (where sex = 'all'),
                    sum(try_cast(value as double)) filter (where sex <> 'all')) as pop
    from $counts where measure = 'population' group by all
),
pop as (
    select region, year, pop,
           case when age_group = '85+' then 85
                else try_cast(split_part(age_group, '-', 1) as int) end as age_lower
    from pop_in where age_group <> 'all'
),
pop_total as (
    -- the total: the 'all' age group if the file has one, else the sum of the age groups
    select region, year,
           coalesce(max(pop) filter (where age_group = 'all'),
                    sum(pop) filter (where age_group <> 'all')) as pop
    from pop_in group by all
),
da as (
    select region, year, age_lower, count(*) as deaths,
           count(*) filter (where cause in ('cvd', 'cancer', 'diabetes', 'crd')) as ncd,
           sum(maternal::int) as maternal
    from d group by all
),
tot as (
    select region, year, sum(deaths) as deaths, sum(maternal) as maternal,
           sum(deaths) filter (where age_lower = 0) as infant,
           sum(deaths) filter (where age_lower <= 1) as under5
    from da group by all
),
ag as (
    -- every age band of the population, 0 deaths where the register has none
    select pop.region, pop.year, pop.age_lower, coalesce(da.deaths, 0) as deaths,
           coalesce(da.ncd, 0) as ncd, pop.pop,
           case when pop.age_lower = 0 then 1 when pop.age_lower = 1 then 4
                when pop.age_lower = 85 then null else 5 end as n,
           coalesce(da.deaths, 0) / pop.pop as m
    from pop left join da using (region, year, age_lower)
    where (pop.region, pop.year) in (select (region, year) from tot)
),
lt as (
    select *, case when n is null then 1.0
                   else n * m / (1 + (n - case when age_lower = 0 then 0.1 else n / 2 end) * m)
              end as q
    from ag
),
lt2 as (
    select *, 100000 * exp(coalesce(sum(ln(greatest(1 - q, 1e-12))) over (
                  partition by region, year order by age_lower
                  rows between unbounded preceding and 1 preceding), 0)) as l
    from lt
),
lt3 as (
    select *, case when n is null then l / m
                   else n * (l - l * q) + (case when age_lower = 0 then 0.1 else n / 2 end) * l * q
              end as big_l
    from lt2
),
e0 as (
    select region, year, sum(big_l) / max(l) filter (where age_lower = 0) as e0,
           100 * (1 - exp(sum(ln(1 - 5 * (ncd / pop) / (1 + 2.5 * (ncd / pop))))
                  filter (where age_lower between 30 and 65))) as sdg341
    from lt3 group by all
)
select tot.region, tot.year,
       1000.0 * tot.deaths / p.pop as crude_death_rate,
       1000.0 * tot.infant / b.births as infant_mortality_rate,
       1000.0 * tot.under5 / b.births as under5_mortality_rate,
       100000.0 * tot.maternal / b.births as maternal_mortality_ratio,
       e0.sdg341 as premature_ncd_mortality,
       e0.e0 as life_expectancy
from tot
left join b using (region, year)
left join pop_total as p using (region, year)
left join e0 using (region, year)
