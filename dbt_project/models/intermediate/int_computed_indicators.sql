-- Every indicator value computed from counts, in the indicator's canonical unit: rates and
-- ratios (int_computed_rates), premature NCD mortality (int_ncd_premature_mortality, converted
-- from a probability with the units seed) and life expectancy (int_life_expectancy, unless
-- suppressed). Only indicators of the catalogue are kept.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with rates as (
    select * from {{ ref('int_computed_rates') }}
    where {{ in_scope('region_id', scope) }}
),

ncd as (
    select * from {{ ref('int_ncd_premature_mortality') }}
    where {{ in_scope('region_id', scope) }}
),

life as (
    select * from {{ ref('int_life_expectancy') }}
    where suppression_reason is null and {{ in_scope('region_id', scope) }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

units as (
    select * from {{ ref('stg_units') }}
),

ncd_unit as (
    select
        i.canonical_unit,
        u.factor_to_base
    from indicators as i
    inner join units as u on i.canonical_unit = u.unit
    where i.indicator_code = 'premature_ncd_mortality'
),

unioned as (
    select
        indicator_code,
        region_id,
        year,
        value,
        unit,
        ci_lower,
        ci_upper,
        data_nature,
        numerator,
        denominator,
        method
    from rates
    union all
    select
        'premature_ncd_mortality' as indicator_code,
        ncd.region_id,
        ncd.year,
        ncd.q_40_30 / nu.factor_to_base as value,
        nu.canonical_unit as unit,
        ncd.ci_lower / nu.factor_to_base as ci_lower,
        ncd.ci_upper / nu.factor_to_base as ci_upper,
        ncd.data_nature,
        ncd.deaths_30_69 as numerator,
        ncd.population_30_69 as denominator,
        'SDG 3.4.1 40q30 from 5-year death rates of cvd, cancer, diabetes, crd; delta-method 95% CI' as method
    from ncd
    cross join ncd_unit as nu
    union all
    select
        'life_expectancy' as indicator_code,
        region_id,
        year,
        e0 as value,
        'years' as unit,
        ci_lower,
        ci_upper,
        data_nature,
        deaths as numerator,
        population as denominator,
        'abridged life table (Chiang II), 95% CI from its standard error' as method
    from life
)

select
    u.indicator_code,
    u.region_id,
    u.year,
    u.value,
    u.unit,
    u.ci_lower,
    u.ci_upper,
    u.data_nature,
    u.data_nature = 'illustrative' as is_illustrative,
    u.numerator,
    u.denominator,
    u.method,
    {{ scope.watermark }} as built_through_ingested_at
from unioned as u
inner join indicators as i on u.indicator_code = i.indicator_code
