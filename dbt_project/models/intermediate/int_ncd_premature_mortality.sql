-- WHO SDG 3.4.1 premature NCD mortality (40q30) per region × year, as a probability 0–1, from
-- deaths of the four NCD cause groups (cvd, cancer, diabetes, crd) and mid-year population in
-- the eight 5-year bands 30-34 … 65-69 (both sexes). A region-year is computed only when all
-- eight bands have a population; a band without NCD deaths counts 0 deaths when the region-year
-- has NCD deaths by age at all. 95 % CI by the delta method on Poisson death counts.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with bands as (
    select
        age_group,
        age_lower
    from {{ ref('stg_age_groups') }}
    where age_lower between 30 and 65 and width = 5
),

ncd_deaths as (
    {{ counts_by_age_band(ref('int_counts_annual'), 'deaths', scope, cause_groups=['cvd', 'cancer', 'diabetes', 'crd']) }}
),

region_years as (
    select distinct
        d.region_id,
        d.year
    from ncd_deaths as d
    inner join bands as b on d.age_group = b.age_group
),

population as (
    {{ counts_by_age_band(ref('int_counts_annual'), 'population', scope) }}
),

per_band as (
    select * from ({{ deaths_by_band(['age_lower'], deaths='ncd_deaths') }}) as banded
    where population > 0
),

per_band_q as (
    select
        *,
        {{ sdg341_5qx('deaths / population') }} as q,
        {{ sdg341_var_5qx('deaths', 'population') }} as var_q
    from per_band
),

aggregated as (
    select
        region_id,
        year,
        count(*) as n_bands,
        sum(deaths) as deaths_30_69,
        sum(population) as population_30_69,
        1 - {{ product_of('1 - q') }} as q_40_30,
        sum(var_q / pow(1 - q, 2)) as rel_var_sum,
        bool_or(is_illustrative) as is_illustrative
    from per_band_q
    group by region_id, year
)

select
    region_id,
    year,
    case when is_illustrative then 'illustrative' else 'official' end as data_nature,
    is_illustrative,
    deaths_30_69,
    population_30_69,
    q_40_30,
    sqrt(pow(1 - q_40_30, 2) * rel_var_sum) as se_q_40_30,
    greatest(q_40_30 - {{ z_95() }} * sqrt(pow(1 - q_40_30, 2) * rel_var_sum), 0) as ci_lower,
    least(q_40_30 + {{ z_95() }} * sqrt(pow(1 - q_40_30, 2) * rel_var_sum), 1) as ci_upper,
    {{ scope.watermark }} as built_through_ingested_at
from aggregated
where n_bands = 8
