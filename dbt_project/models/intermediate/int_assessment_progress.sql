-- Requirement and progress measures of each assessment (docs/verdicts.md#progress), each named
-- by its method:
-- * required bounds from the comparator macros (pipelines/rules/comparators.py);
-- * ESCAP anticipated value: time-weighted least squares (weights from int_assessment_inputs)
--   evaluated at the target year, with its 95 % prediction interval (t, n − 2 df) and the
--   probability that the target-year value meets the requirement; the residual comes from
--   centred sums, exactly 0 for a fit through every point on every engine;
-- * Healthy People 2030 PTCA, only for movement toward the target when the baseline did not
--   already meet it, relative to the target point (never a tolerance bound);
-- * UNSD progress ratio CR = CAGR_actual / CAGR_required and its class (0.95 / 0.5 / −0.1).
-- A view on DuckDB (macros/cross_engine/row_wise_view.sql): a row per row of
-- int_assessment_inputs, computed without a join, window or aggregate, so a reader's region filter
-- reaches that table's scan and these 2 M wide rows at M are not written again
-- (docs/models.md#incremental-builds).
{{ row_wise_view_config() }}
with inputs as (
    select
        *,
        {{ comparator_reference_value(
            'comparator',
            baseline_value='baseline_value',
            best_of_previous_and_baseline=better_of('previous_value', 'baseline_value'),
            relative_year_value='coalesce(relative_year_value, case when target_baseline_year = relative_to_year'
            ~ ' and relative_to_year <= assessment_year then target_baseline_value end)') }} as reference_value,
        -- (Σw·Σwxy − Σwx·Σwy) / (Σw·Σwxx − Σwx²): one division, so a slope exact in binary is exact
        case
            when n_years > 1 then (sum_w * sum_wxy - sum_wx * sum_wy) / (sum_w * sum_wxx - sum_wx * sum_wx)
        end as slope_per_year,
        -- sums of squares and products about the weighted means (Sxx, Sxy, Syy); the values are
        -- already measured from fit_value_origin, so these are differences of like-sized terms
        (sum_w * sum_wxx - sum_wx * sum_wx) / sum_w as centred_sum_wxx,
        (sum_w * sum_wxy - sum_wx * sum_wy) / sum_w as centred_sum_wxy,
        (sum_w * sum_wyy - sum_wy * sum_wy) / sum_w as centred_sum_wyy
    from {{ ref('int_assessment_inputs') }}
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
            as required_upper_inclusive,
        -- weighted fit at the target year (x = 0), its residual sum of squares and df (n − 2)
        case
            when slope_per_year is not null then fit_value_origin + (sum_wy - slope_per_year * sum_wx) / sum_w
        end as fit_at_target,
        case when n_years > 2 then n_years - 2 end as residual_df,
        -- Σw·r² = Syy − slope·Sxy. Its rounding error is a few ulps of sum_wyy (whatever order an
        -- engine sums in), so a value within 1e-12 · sum_wyy of 0 is a line through every point
        -- and is exactly 0, never negative: DuckDB and Spark then agree, where the square root of
        -- their ±1e-16 differed by 1e-7 in projection_se (docs/verdicts.md#progress-measures)
        case
            when n_years > 2 and centred_sum_wyy - slope_per_year * centred_sum_wxy > 1e-12 * sum_wyy
                then centred_sum_wyy - slope_per_year * centred_sum_wxy
            when n_years > 2 then 0.0
        end as residual_ss
    from inputs
),

with_projection as (
    select
        *,
        case
            when not {{ comparator_is_continuous('comparator') }} and n_years >= min_projection_points
                then fit_at_target
        end as projected_value,
        sqrt(
            residual_ss / residual_df * (n_years / sum_w + 1 / sum_w + pow(sum_wx / sum_w, 2) / centred_sum_wxx)
        ) as projection_se,
        {{ comparator_target_point('comparator', 'target_value', 'target_upper', 'reference_value', 'baseline_value') }}
            as target_point,
        {{ threshold_met('baseline_value', 'required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
            as baseline_met
    from with_bounds
),

with_measures as (
    select
        *,
        projected_value - {{ t_975('residual_df') }} * projection_se as projected_lower,
        projected_value + {{ t_975('residual_df') }} * projection_se as projected_upper,
        case
            when projected_value is null or projection_se is null then null
            when projection_se = 0
                then case when {{ threshold_met('projected_value', 'required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }} then 1.0 else 0.0 end
            else
                coalesce({{ t_cdf('(required_upper - projected_value) / projection_se', 'residual_df') }}, 1.0)
                - coalesce({{ t_cdf('(required_lower - projected_value) / projection_se', 'residual_df') }}, 0.0)
        end as probability_target_met,
        case
            when
                baseline_met = false and target_point != baseline_value
                and (latest_value - baseline_value) * (target_point - baseline_value) > 0
                then 100 * (latest_value - baseline_value) / (target_point - baseline_value)
        end as pct_targeted_change_achieved,
        case when baseline_value != 0 then 100 * (latest_value - baseline_value) / abs(baseline_value) end
            as pct_change_from_baseline,
        case
            when latest_value > 0 and baseline_value > 0 and latest_year > baseline_year
                then pow(latest_value / baseline_value, 1.0 / (latest_year - baseline_year)) - 1
        end as cagr,
        case
            when target_point > 0 and baseline_value > 0 and target_year > baseline_year
                then pow(target_point / baseline_value, 1.0 / (target_year - baseline_year)) - 1
        end as cagr_required
    from with_projection
)

select
    *,
    case when cagr_required != 0 then cagr / cagr_required end as progress_ratio,
    case
        when {{ threshold_met('latest_value', 'required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
            then 'target_achieved'
        when baseline_met and latest_value != baseline_value then 'deterioration'
        when cagr_required is null or cagr_required = 0 or cagr is null then null
        when cagr / cagr_required >= 0.95 then 'on_track'
        when cagr / cagr_required >= 0.5 then 'fair_progress'
        when cagr / cagr_required >= -0.1 then 'limited_progress'
        else 'deterioration'
    end as progress_ratio_class
from with_measures
