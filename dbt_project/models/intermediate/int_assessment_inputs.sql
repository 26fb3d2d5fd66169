-- The evidence of each assessment (int_assessment_frame) from the preferred annual values
-- (int_preferred_observations): usable points are the years in [earliest_usable_year,
-- cutoff_year]; no value is interpolated (docs/verdicts.md#recency). Per assessment: the latest
-- and previous usable value with year, interval, source and nature; the newest value of any
-- year (to tell stale data from no data); the baseline; and the sums of the time-weighted
-- regression over the usable points of the latest series (weight = year − earliest_usable_year
-- + 1, x = year − target_year, y = value − fit_value_origin; is_spliced when older usable points
-- belong to another series).
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope(assessment_year_column='assessment_year') %}
with frame as (
    select * from {{ ref('int_assessment_frame') }}
    where {{ in_scope('region_id', scope) }}
),

-- The regression sums take each value minus the lowest value of its region × indicator's latest
-- series (fit_value_origin): the fit is the same, but its sums of squares are then about the
-- series' spread, not its level (life expectancy ≈ 78 moving by 0.3 a year), so the centred sums
-- and the residual (int_assessment_progress) are not lost to cancellation.
origins as (
    select
        region_id,
        indicator_code,
        min(value) as fit_value_origin
    from {{ ref('int_preferred_observations') }}
    where in_latest_series and {{ in_scope('region_id', scope) }}
    group by region_id, indicator_code
),

points as (
    select
        f.assessment_key,
        o.year,
        o.value,
        o.ci_lower,
        o.ci_upper,
        o.source,
        o.source_rank,
        o.is_conflict,
        o.data_nature,
        o.is_illustrative,
        o.in_latest_series,
        o.value - g.fit_value_origin as y,
        g.fit_value_origin,
        o.year >= f.earliest_usable_year as is_usable,
        -- the regression uses one series (one definition), never a splice of two
        o.year >= f.earliest_usable_year and o.in_latest_series as is_fitted,
        cast(o.year - f.earliest_usable_year + 1 as double) as w,
        cast(o.year - f.target_year as double) as x,
        row_number() over (
            partition by f.assessment_key, o.year >= f.earliest_usable_year order by o.year desc
        ) as recency,
        row_number() over (
            partition by f.assessment_key, o.year >= f.earliest_usable_year order by o.year asc
        ) as seniority
    from frame as f
    inner join {{ ref('int_preferred_observations') }} as o
        on f.region_id = o.region_id and f.indicator_code = o.indicator_code and o.year <= f.cutoff_year
    left join origins as g on f.region_id = g.region_id and f.indicator_code = g.indicator_code
),

evidence as (
    select
        assessment_key,
        max(year) as newest_any_year,
        -- bigint on both engines (DuckDB sums integers to HUGEINT, which Spark lacks)
        cast(sum(case when is_usable then 1 else 0 end) as bigint) as n_points,
        {%- for col in ['year', 'value', 'ci_lower', 'ci_upper', 'source', 'source_rank', 'data_nature'] %}
        max(case when is_usable and recency = 1 then {{ col }} end) as latest_{{ col }},
        {%- endfor %}
        bool_or(is_usable and recency = 1 and is_illustrative) as latest_is_illustrative,
        bool_or(is_usable and recency = 1 and is_conflict) as latest_is_conflict,
        {%- for col in ['year', 'value', 'ci_lower', 'ci_upper'] %}
        max(case when is_usable and recency = 2 then {{ col }} end) as previous_{{ col }},
        max(case when is_usable and seniority = 1 then {{ col }} end) as first_{{ col }},
        {%- endfor %}
        max(case when is_fitted then fit_value_origin end) as fit_value_origin,
        sum(case when is_fitted then w end) as sum_w,
        sum(case when is_fitted then w * x end) as sum_wx,
        sum(case when is_fitted then w * y end) as sum_wy,
        sum(case when is_fitted then w * x * x end) as sum_wxx,
        sum(case when is_fitted then w * x * y end) as sum_wxy,
        sum(case when is_fitted then w * y * y end) as sum_wyy,
        count(distinct case when is_fitted then year end) as n_years,
        bool_or(is_usable and not in_latest_series) as is_spliced
    from points
    group by assessment_key
)

select
    f.*,
    coalesce(e.n_points, 0) as n_points,
    e.n_years,
    coalesce(e.is_spliced, false) as is_spliced,
    e.newest_any_year,
    {%- for col in ['year', 'value', 'ci_lower', 'ci_upper', 'source', 'source_rank', 'data_nature'] %}
    e.latest_{{ col }},
    {%- endfor %}
    coalesce(e.latest_is_illustrative, false) as latest_is_illustrative,
    coalesce(e.latest_is_conflict, false) as latest_is_conflict,
    {%- for col in ['year', 'value', 'ci_lower', 'ci_upper'] %}
    e.previous_{{ col }},
    {%- endfor %}
    {%- for col in ['fit_value_origin', 'sum_w', 'sum_wx', 'sum_wy', 'sum_wxx', 'sum_wxy', 'sum_wyy'] %}
    e.{{ col }},
    {%- endfor %}
    f.cutoff_year - coalesce(e.latest_year, e.newest_any_year) as data_age_years,
    -- baseline: the plan's, else the first usable observation (for a relative target the
    -- reference year's, where usable data starts)
    coalesce(f.target_baseline_value, e.first_value) as baseline_value,
    case when f.target_baseline_value is not null then f.target_baseline_year else e.first_year end
        as baseline_year,
    case
        when f.target_baseline_value is not null then 'plan'
        when e.first_year = f.earliest_usable_year then 'observed_baseline_year'
        when e.first_year is not null then 'observed_first_point'
    end as baseline_source,
    case when f.target_baseline_value is null then e.first_ci_lower end as baseline_ci_lower,
    case when f.target_baseline_value is null then e.first_ci_upper end as baseline_ci_upper,
    case when e.first_year = f.relative_to_year then e.first_value end as relative_year_value
from frame as f
left join evidence as e on f.assessment_key = e.assessment_key
