-- Rates and ratios computed from annual counts (all ages, both sexes, all causes) as
-- computed_indicator_specs defines them, in the spec's unit, with 95 % Poisson limits for event
-- counts (exact below 10 events, Byar from 10). Zero events give 0 with a non-zero upper limit.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with counts as (
    select * from {{ ref('int_counts_annual') }}
    where
        is_preferred_nature and age_group = 'all' and sex = 'all' and cause_group = 'all'
        and {{ in_scope('region_id', scope) }}
),

specs as (
    -- specs in a unit the units seed knows (pipelines/rules/units.py converts)
    select * from {{ ref('computed_indicator_specs') }}
    where {{ unit_factor_to_base('unit') }} is not null
),

joined as (
    select
        s.indicator_code,
        n.region_id,
        n.year,
        case
            when n.is_illustrative or d.is_illustrative then 'illustrative'
            else n.data_nature
        end as data_nature,
        n.value as numerator,
        d.value as denominator,
        s.unit,
        s.ci_method,
        s.numerator_measure,
        s.denominator_measure
    from specs as s
    inner join counts as n on s.numerator_measure = n.measure
    inner join counts as d
        on
            s.denominator_measure = d.measure
            and n.region_id = d.region_id
            and n.year = d.year
    where d.value > 0
)

select
    indicator_code,
    region_id,
    year,
    data_nature,
    data_nature = 'illustrative' as is_illustrative,
    numerator,
    denominator,
    unit,
    {{ from_base_unit('numerator / denominator', 'unit') }} as value,
    case
        when ci_method = 'poisson' then {{ from_base_unit(poisson_ci('numerator', 'lower') ~ ' / denominator', 'unit') }}
    end as ci_lower,
    case
        when ci_method = 'poisson' then {{ from_base_unit(poisson_ci('numerator', 'upper') ~ ' / denominator', 'unit') }}
    end as ci_upper,
    'rate: ' || numerator_measure || ' / ' || denominator_measure
    || (case when ci_method = 'poisson' then ', Poisson 95% CI' else '' end) as method,
    {{ scope.watermark }} as built_through_ingested_at
from joined
