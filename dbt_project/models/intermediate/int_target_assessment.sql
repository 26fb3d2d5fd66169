-- The target assessment with every intermediate quantity (fct_target_assessment publishes the
-- contract columns). Grain: target × assessed region × assessment year, for every year from the
-- plan's horizon start to the assessment year (var assessment_year, default: this year); an
-- assessment "as of" year A only sees observations of years <= A.
--
-- Rules (docs/models.md#assessment-rules):
-- * series: the preferred annual value per region × indicator × year (int_preferred_observations);
-- * cutoff = least(target_year, A); latest = last observation at or before the cutoff;
-- * series_start = target baseline_year, else the plan's first baseline year, else its horizon
--   start; trend points = observations in [series_start, cutoff];
-- * baseline = the target's baseline_value, else the observation at series_start, else the
--   first trend point;
-- * reference_value: reduce/increase_by_pct → the observation in relative_to_year (or the
--   plan's baseline_value when baseline_year = relative_to_year), never another year;
--   maintain → the baseline; improve → the observation before the latest;
-- * required bounds, threshold test, gap: the comparator macros generated from
--   pipelines/rules/comparators.py (the single definition);
-- * projection: least squares over >= 3 trend points, evaluated at the target year.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope(assessment_year_column='assessment_year') %}
{%- set ay = assessment_year() %}
{%- set min_points = var('min_projection_points', 3) %}
with targets as (
    select * from {{ ref('stg_plan_targets') }}
),

plans as (
    select
        *,
        try_cast(split_part(baseline_years, ';', 1) as integer) as first_baseline_year
    from {{ ref('stg_plans') }}
),

regions as (
    select * from {{ ref('stg_regions') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

series as (
    select
        region_id,
        indicator_code,
        year,
        value,
        ci_lower,
        ci_upper,
        data_nature,
        is_illustrative
    from {{ ref('int_preferred_observations') }}
    where {{ in_scope('region_id', scope) }}
),

-- each_subregion targets are assessed in every child region (the region itself if none known)
target_regions as (
    select
        t.*,
        coalesce(child.region_id, t.region_id) as assessed_region_id
    from targets as t
    left join regions as child
        on t.scope = 'each_subregion' and t.region_id = child.parent_region_id
    where {{ in_scope('coalesce(child.region_id, t.region_id)', scope) }}
),

year_spine as (
    select {{ integer_series(1900, ay) }} as assessment_year
),

assessment_rows as (
    select
        tr.target_id,
        tr.plan_id,
        tr.indicator_code,
        tr.assessed_region_id as region_id,
        tr.scope,
        tr.domain_id,
        tr.target_year,
        tr.comparator,
        tr.target_value,
        tr.target_upper,
        tr.tolerance_pct,
        tr.relative_to_year,
        tr.baseline_year as target_baseline_year,
        tr.baseline_value as target_baseline_value,
        tr.nature,
        tr.lead_department as target_lead_department,
        tr.co_departments,
        tr.source_quote,
        i.direction,
        i.canonical_unit as unit,
        p.horizon_start,
        y.assessment_year,
        least(tr.target_year, y.assessment_year) as cutoff_year,
        tr.comparator in ('reduce_by_pct', 'increase_by_pct') as is_relative,
        coalesce(tr.baseline_year, p.first_baseline_year, p.horizon_start) as series_start_year,
        tr.target_id || '|' || tr.assessed_region_id || '|' || cast(y.assessment_year as {{ dbt.type_string() }})
            as assessment_key
    from target_regions as tr
    left join plans as p on tr.plan_id = p.plan_id
    left join indicators as i on tr.indicator_code = i.indicator_code
    inner join year_spine as y
        on
            y.assessment_year
            between least(coalesce(p.horizon_start, tr.target_year), {{ ay }}) and {{ ay }}
),

points as (
    select
        r.assessment_key,
        r.series_start_year,
        s.year,
        s.value,
        s.ci_lower,
        s.ci_upper,
        s.data_nature,
        s.is_illustrative,
        row_number() over (partition by r.assessment_key order by s.year desc) as recency
    from assessment_rows as r
    inner join series as s
        on
            r.region_id = s.region_id
            and r.indicator_code = s.indicator_code
            and s.year <= r.cutoff_year
),

latest as (
    select * from points
    where recency = 1
),

previous as (
    select * from points
    where recency = 2
),

n_obs as (
    select
        assessment_key,
        count(*) as n_obs
    from points
    group by assessment_key
),

trend_stats as (
    select
        assessment_key,
        count(*) as n_points,
        -- undefined (not NaN) below two distinct years
        case when count(distinct year) > 1 then regr_slope(value, year) end as slope_per_year,
        case when count(distinct year) > 1 then regr_intercept(value, year) end as intercept,
        min(year) as first_year,
        {{ value_at_min('value', 'year') }} as first_value
    from points
    where year >= series_start_year
    group by assessment_key
),

at_series_start as (
    select * from points
    where year = series_start_year
),

reference_obs as (
    select
        r.assessment_key,
        s.value,
        s.ci_lower,
        s.ci_upper
    from assessment_rows as r
    inner join series as s
        on
            r.region_id = s.region_id
            and r.indicator_code = s.indicator_code
            and r.relative_to_year = s.year
            and s.year <= r.assessment_year
),

assembled as (
    select
        r.*,
        coalesce(n.n_obs, 0) as n_obs,
        coalesce(ts.n_points, 0) as n_points,
        ts.slope_per_year,
        ts.intercept,
        ts.first_year,
        ts.first_value,
        l.year as latest_year,
        l.value as latest_value,
        l.ci_lower as latest_ci_lower,
        l.ci_upper as latest_ci_upper,
        l.data_nature as latest_data_nature,
        l.is_illustrative as latest_is_illustrative,
        pv.year as previous_year,
        pv.value as previous_value,
        -- baseline: the plan's; for a relative target the reference year's observation;
        -- else the observation at series start; else the first trend point
        case
            when r.target_baseline_value is not null then r.target_baseline_value
            when r.is_relative and ro.value is not null then ro.value
            when ss.value is not null then ss.value
            else ts.first_value
        end as baseline_value,
        case
            when r.target_baseline_value is not null then r.target_baseline_year
            when r.is_relative and ro.value is not null then r.relative_to_year
            when ss.value is not null then ss.year
            else ts.first_year
        end as baseline_year,
        case
            when r.target_baseline_value is not null then 'plan'
            when r.is_relative and ro.value is not null then 'observed_reference_year'
            when ss.value is not null then 'observed_series_start'
            when ts.first_value is not null then 'observed_first_point'
        end as baseline_source,
        -- CI of the baseline when it is an observation (a plan-stated baseline has none)
        case
            when r.target_baseline_value is not null then null
            when r.is_relative and ro.value is not null then ro.ci_lower
            else ss.ci_lower
        end as baseline_ci_lower,
        case
            when r.target_baseline_value is not null then null
            when r.is_relative and ro.value is not null then ro.ci_upper
            else ss.ci_upper
        end as baseline_ci_upper,
        ro.value as relative_year_value
    from assessment_rows as r
    left join n_obs as n on r.assessment_key = n.assessment_key
    left join trend_stats as ts on r.assessment_key = ts.assessment_key
    left join latest as l on r.assessment_key = l.assessment_key
    left join previous as pv on r.assessment_key = pv.assessment_key
    left join at_series_start as ss on r.assessment_key = ss.assessment_key
    left join reference_obs as ro on r.assessment_key = ro.assessment_key
),

with_reference as (
    select
        *,
        case
            when comparator in ('reduce_by_pct', 'increase_by_pct')
                then coalesce(
                    relative_year_value,
                    case
                        when target_baseline_year = relative_to_year and relative_to_year <= assessment_year
                            then target_baseline_value
                    end
                )
            when comparator = 'maintain' then baseline_value
            when comparator = 'improve' then previous_value
        end as reference_value,
        case
            when n_points >= {{ min_points }} and slope_per_year is not null
                then intercept + slope_per_year * target_year
        end as projected_value
    from assembled
),

with_bounds as (
    select
        *,
        {{ comparator_lower('comparator', 'target_value', 'target_upper', 'tolerance_pct', 'reference_value', 'direction') }}
            as required_lower,
        {{ comparator_lower_inclusive('comparator', 'target_value', 'target_upper', 'tolerance_pct', 'reference_value', 'direction') }}
            as required_lower_inclusive,
        {{ comparator_upper('comparator', 'target_value', 'target_upper', 'tolerance_pct', 'reference_value', 'direction') }}
            as required_upper,
        {{ comparator_upper_inclusive('comparator', 'target_value', 'target_upper', 'tolerance_pct', 'reference_value', 'direction') }}
            as required_upper_inclusive
    from with_reference
),

with_tests as (
    select
        *,
        {{ threshold_met('latest_value', 'required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
            as latest_met,
        {{ threshold_met('projected_value', 'required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
            as projected_met,
        assessment_year >= target_year as target_year_reached,
        comparator in ('maintain', 'improve') as is_continuous
    from with_bounds
),

with_status as (
    select
        *,
        case
            when comparator = 'none' then 'no_target'
            when comparator in ('reduce_by_pct', 'increase_by_pct') and reference_value is null
                then 'reference_missing'
            when latest_value is null
                then (case when not target_year_reached and baseline_value is not null then 'baseline_only' else 'no_data' end)
            when target_year_reached
                then (case latest_met when true then 'met' when false then 'not_met' else 'insufficient_data' end)
            when is_continuous and latest_met is not null
                then (case when latest_met then 'on_track' else 'off_track' end)
            when latest_met and not is_continuous then 'met_early'
            when projected_met is not null and not is_continuous
                then (case when projected_met then 'on_track' else 'off_track' end)
            when n_obs <= 1 then 'baseline_only'
            else 'insufficient_data'
        end as status
    from with_tests
),

with_verdict as (
    select
        *,
        case
            when status in ('met', 'not_met', 'met_early') then latest_value
            when status in ('on_track', 'off_track') and is_continuous then latest_value
            when status in ('on_track', 'off_track') then projected_value
        end as verdict_value
    from with_status
),

with_measures as (
    select
        *,
        {{ threshold_met('verdict_value', 'required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
            as threshold_met,
        {{ bounds_gap('verdict_value', 'required_lower', 'required_upper') }} as gap,
        {{ bounds_gap('latest_value', 'required_lower', 'required_upper') }} as latest_gap,
        {{ requirement_text('required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
            as requirement_text,
        -- the point the plan aims at, for the percent of targeted change achieved
        case
            when is_continuous then null
            when required_lower is not null and required_upper is null then required_lower
            when required_upper is not null and required_lower is null then required_upper
            when required_lower = required_upper then required_lower
            when baseline_value < required_lower then required_lower
            when baseline_value > required_upper then required_upper
        end as target_point,
        case
            when
                latest_value > 0 and first_value > 0 and latest_year > first_year
                then pow(latest_value / first_value, 1.0 / (latest_year - first_year)) - 1
        end as cagr,
        -- change from baseline to latest, positive = better
        case
            when direction = 'higher_is_better' then latest_value - baseline_value
            when direction = 'lower_is_better' then baseline_value - latest_value
            when direction = 'target_range'
                then
                    abs(baseline_value - coalesce((required_lower + required_upper) / 2, target_value))
                    - abs(latest_value - coalesce((required_lower + required_upper) / 2, target_value))
        end as improvement,
        sqrt(
            pow((latest_ci_upper - latest_ci_lower) / (2 * {{ z_95() }}), 2)
            + coalesce(pow((baseline_ci_upper - baseline_ci_lower) / (2 * {{ z_95() }}), 2), 0)
        ) as change_se
    from with_verdict
)

select
    *,
    case
        when target_point is not null and baseline_value is not null and target_point != baseline_value
            then 100 * (latest_value - baseline_value) / (target_point - baseline_value)
    end as pct_targeted_change_achieved,
    case
        when improvement is null or baseline_year is null or latest_year is null or latest_year <= baseline_year
            then 'unknown'
        when change_se > 0
            then (
                case
                    when improvement / change_se > {{ var('trend_z', 1.645) }} then 'improving'
                    when improvement / change_se < -{{ var('trend_z', 1.645) }} then 'worsening'
                    else 'no_detectable_change'
                end
            )
        when baseline_value = 0 then (case when improvement > 0 then 'improving' when improvement < 0 then 'worsening' else 'no_detectable_change' end)
        when improvement / abs(baseline_value) >= {{ var('trend_relative_threshold', 0.01) }} then 'improving'
        when improvement / abs(baseline_value) <= -{{ var('trend_relative_threshold', 0.01) }} then 'worsening'
        else 'no_detectable_change'
    end as trend,
    case when change_se > 0 then 'confidence_intervals' else 'relative_threshold' end as trend_method,
    assessment_year = {{ ay }} as is_latest,
    {{ scope.watermark }} as built_through_ingested_at
from with_measures
