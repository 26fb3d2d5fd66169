-- The verdict of each assessment (docs/verdicts.md): status from the vocabulary seed
-- assessment_statuses, the value it rests on, the noise rule and Healthy People's change tests.
-- Order: no target → missing reference → no usable data (stale / baseline only / none) → data
-- older than the recency window (stale_data) → conflicting figures → continuous targets
-- (maintain, improve: significance tests) → target year reached (latest value and its interval)
-- → met early → ESCAP anticipated value (decides on_track / off_track) → too few points.
-- A view on DuckDB (macros/cross_engine/row_wise_view.sql): a row per row of int_assessment_inputs
-- (through the view int_assessment_progress), computed without a join, window or aggregate, so a
-- reader's region filter reaches that table's scan and these 2 M wide rows at M are not written
-- again (docs/models.md#incremental-builds).
{{ row_wise_view_config() }}
with progress as (
    select
        *,
        {{ se_from_ci('latest_ci_lower', 'latest_ci_upper') }} as latest_se,
        coalesce((required_lower + required_upper) / 2, target_point, target_value) as range_center
    from {{ ref('int_assessment_progress') }}
),

changes as (
    select
        *,
        {{ meets_required('latest_value') }} as latest_met,
        case
            when latest_ci_lower is null or latest_ci_upper is null then {{ meets_required('latest_value') }}
            when {{ meets_required('latest_ci_lower') }} and {{ meets_required('latest_ci_upper') }} then true
            when not {{ clears_lower('latest_ci_upper') }} or not {{ clears_upper('latest_ci_lower') }} then false
        end as latest_interval_met,
        case when latest_year > baseline_year then {{ better_by('latest_value', 'baseline_value', 'range_center') }} end
            as gain_vs_baseline,
        {{ better_by('latest_value', 'previous_value', 'range_center') }} as gain_vs_previous,
        case
            when latest_se > 0
                then sqrt(
                    latest_se * latest_se
                    + coalesce(pow({{ se_from_ci('baseline_ci_lower', 'baseline_ci_upper') }}, 2), 0)
                )
        end as se_vs_baseline,
        case
            when latest_se > 0
                then sqrt(
                    latest_se * latest_se
                    + coalesce(pow({{ se_from_ci('previous_ci_lower', 'previous_ci_upper') }}, 2), 0)
                )
        end as se_vs_previous
    from progress
),

tests as (
    select
        *,
        case
            when se_vs_baseline is null and pct_targeted_change_achieved is not null
                then (case when pct_targeted_change_achieved >= no_se_change_pct then 'improving' else 'no_detectable_change' end)
            else {{ hp_change('gain_vs_baseline', 'gain_vs_baseline / se_vs_baseline', 'baseline_value', 'no_se_change_pct') }}
        end as change_vs_baseline,
        {{ hp_change('gain_vs_previous', 'gain_vs_previous / se_vs_previous', 'previous_value', 'no_se_change_pct') }}
            as change_vs_previous,
        -- the interval straddles the requirement (or the point lies outside its own interval)
        latest_met is not null and coalesce(latest_interval_met != latest_met, true) as is_within_noise
    from changes
),

statuses as (
    select
        *,
        case
            when comparator = 'none' then 'no_target'
            when {{ comparator_is_relative('comparator') }} and reference_value is null then 'reference_missing'
            when latest_value is null and newest_any_year is not null then 'stale_data'
            when latest_value is null
                then (case when not target_year_reached and baseline_value is not null then 'baseline_only' else 'no_data' end)
            when data_age_years > max_data_age_years then 'stale_data'
            when latest_is_conflict then 'data_conflict'
            when comparator = 'maintain' and latest_met
                then (case when target_year_reached then 'met' else 'on_track' end)
            when comparator = 'maintain' and latest_met = false and change_vs_baseline = 'worsening'
                then (case when target_year_reached then 'not_met' else 'off_track' end)
            when comparator = 'improve' and latest_met and change_vs_baseline = 'improving'
                then (case when target_year_reached then 'met' else 'on_track' end)
            when comparator = 'improve' and latest_met = false and 'worsening' in (change_vs_baseline, change_vs_previous)
                then (case when target_year_reached then 'not_met' else 'off_track' end)
            when {{ comparator_is_continuous('comparator') }} and latest_met is not null then 'within_noise'
            when {{ comparator_is_continuous('comparator') }} and n_points <= 1 then 'baseline_only'
            when {{ comparator_is_continuous('comparator') }} then 'insufficient_data'
            when target_year_reached and latest_met is not null
                then (case when is_within_noise then 'within_noise' when latest_met then 'met' else 'not_met' end)
            when target_year_reached then 'insufficient_data'
            when latest_met and not is_within_noise then 'met_early'
            when projected_value is not null
                then (case when {{ meets_required('projected_value') }} then 'on_track' else 'off_track' end)
            when n_points <= 1 then 'baseline_only'
            else 'insufficient_data'
        end as status
    from tests
),

verdicts as (
    select
        *,
        case
            when status in ('on_track', 'off_track') and not {{ comparator_is_continuous('comparator') }}
                then 'projected'
            when status in ('met', 'not_met', 'on_track', 'off_track', 'met_early', 'within_noise')
                then 'observed'
        end as verdict_basis,
        case
            when projected_value is not null then 'escap_weighted_least_squares'
            when target_year_reached or {{ comparator_is_continuous('comparator') }} then 'not_applicable'
            else 'none'
        end as projection_method,
        case
            when status in ('met', 'not_met', 'met_early') then latest_value
            when status in ('on_track', 'off_track') and {{ comparator_is_continuous('comparator') }} then latest_value
            when status in ('on_track', 'off_track') then projected_value
        end as verdict_value,
        case when status = 'within_noise' then (case when latest_met then 'meets' else 'misses' end) end
            as noise_point_side,
        status in ('on_track', 'off_track') and not {{ comparator_is_continuous('comparator') }}
        and progress_ratio_class is not null
        and (status = 'on_track') != (progress_ratio_class in ('on_track', 'target_achieved')) as progress_methods_disagree,
        coalesce(change_vs_baseline, 'unknown') as trend,
        case
            when se_vs_baseline is not null then 'hp2030_significance_test'
            when pct_targeted_change_achieved is not null then 'hp2030_ptca_without_se'
            else 'hp2030_change_without_se'
        end as trend_method,
        assessment_year = {{ assessment_year() }} as is_latest
    from statuses
)

select
    *,
    {{ meets_required('verdict_value') }} as threshold_met,
    {{ bounds_gap('verdict_value', 'required_lower', 'required_upper') }} as gap,
    {{ bounds_gap('latest_value', 'required_lower', 'required_upper') }} as latest_gap,
    {{ requirement_text('required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
        as requirement_text
from verdicts
