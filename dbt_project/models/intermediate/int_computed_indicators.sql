-- Every indicator value computed from counts, in the indicator's canonical unit: rates and
-- ratios (int_computed_rates), premature NCD mortality (int_ncd_premature_mortality, converted
-- from a probability by macro from_base_unit, pipelines/rules/units.py) and life expectancy (int_life_expectancy, unless
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

ncd_unit as (
    select i.canonical_unit
    from indicators as i
    where
        i.indicator_code = 'premature_ncd_mortality'
        and {{ unit_factor_to_base('i.canonical_unit') }} is not null
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
        {{ from_base_unit('ncd.q_40_30', 'nu.canonical_unit') }} as value,
        nu.canonical_unit as unit,
        {{ from_base_unit('ncd.ci_lower', 'nu.canonical_unit') }} as ci_lower,
        {{ from_base_unit('ncd.ci_upper', 'nu.canonical_unit') }} as ci_upper,
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
