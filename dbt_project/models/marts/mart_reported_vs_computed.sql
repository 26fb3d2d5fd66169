-- Where a reported value and the value computed from counts exist for the same region ×
-- indicator × year, side by side; `disagrees` when the reported value lies outside the
-- computed 95 % CI (or, for computed values without a CI, differs by more than 0.5 %).
-- One row per reported observation × computed observation: two sources may report the same
-- region × indicator × year, and each is compared (the grain is the two observation keys).
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with observations as (
    select * from {{ ref('fct_indicator_observation') }}
    where period_type = 'year' and {{ in_scope('region_id', scope) }}
),

reported as (
    select * from observations
    where value_source = 'reported'
),

computed as (
    select * from observations
    where value_source = 'computed'
)

select
    r.observation_key as reported_observation_key,
    c.observation_key as computed_observation_key,
    r.region_id,
    r.indicator_code,
    r.year,
    r.unit,
    r.value as reported_value,
    r.ci_lower as reported_ci_lower,
    r.ci_upper as reported_ci_upper,
    r.data_nature as reported_data_nature,
    r.source as reported_source,
    r.file_path as reported_file_path,
    c.value as computed_value,
    c.ci_lower as computed_ci_lower,
    c.ci_upper as computed_ci_upper,
    c.data_nature as computed_data_nature,
    c.method as computed_method,
    c.numerator as computed_numerator,
    c.denominator as computed_denominator,
    r.value - c.value as difference,
    case when c.value != 0 then 100 * (r.value - c.value) / c.value end as pct_difference,
    case
        when c.ci_lower is not null and c.ci_upper is not null
            then r.value < c.ci_lower or r.value > c.ci_upper
        else abs(r.value - c.value) > 0.005 * abs(c.value)
    end as disagrees,
    r.is_illustrative or c.is_illustrative as is_illustrative,
    {{ scope.watermark }} as built_through_ingested_at
from reported as r
inner join computed as c
    on r.region_id = c.region_id and r.indicator_code = c.indicator_code and r.year = c.year
