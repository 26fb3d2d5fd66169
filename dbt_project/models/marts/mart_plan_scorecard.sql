-- Per plan × assessment year: how many targets (target × region) are in each status, binding
-- and expected separately. The latest year is flagged `is_latest`.
with assessment as (
    select * from {{ ref('fct_target_assessment') }}
),

plans as (
    select * from {{ ref('dim_plan') }}
)

select
    a.plan_id,
    p.title_zh as plan_title_zh,
    p.title_en as plan_title_en,
    p.framework_status,
    p.is_monitored,
    a.assessment_year,
    bool_and(a.is_latest) as is_latest,
    count(*) as n_targets,
    count(*) filter (where a.nature = 'binding') as n_binding,
    count(*) filter (where a.nature = 'expected') as n_expected,
    count(*) filter (where a.status = 'met') as n_met,
    count(*) filter (where a.status = 'not_met') as n_not_met,
    count(*) filter (where a.status = 'met_early') as n_met_early,
    count(*) filter (where a.status = 'on_track') as n_on_track,
    count(*) filter (where a.status = 'off_track') as n_off_track,
    count(*) filter (where a.status = 'insufficient_data') as n_insufficient_data,
    count(*) filter (where a.status = 'baseline_only') as n_baseline_only,
    count(*) filter (where a.status = 'no_data') as n_no_data,
    count(*) filter (where a.status = 'no_target') as n_no_target,
    count(*) filter (where a.status = 'reference_missing') as n_reference_missing,
    count(*) filter (where a.status = 'within_noise') as n_within_noise,
    count(*) filter (where a.status = 'stale_data') as n_stale_data,
    count(*) filter (where a.status = 'data_conflict') as n_data_conflict,
    count(*) filter (where a.nature = 'binding' and a.status in ('met', 'met_early')) as n_binding_met,
    count(*) filter (where a.nature = 'binding' and a.status in ('not_met', 'off_track')) as n_binding_failing,
    count(*) filter (where a.nature = 'expected' and a.status in ('met', 'met_early')) as n_expected_met,
    count(*) filter (where a.nature = 'expected' and a.status in ('not_met', 'off_track')) as n_expected_failing,
    count(*) filter (where a.latest_is_illustrative) as n_on_illustrative_data,
    round(
        -- a double on both engines (Spark would keep 100.0 a decimal)
        cast(100 as double) * count(*) filter (where a.status in ('met', 'met_early', 'on_track'))
        / nullif(count(*) filter (where a.status in ('met', 'not_met', 'met_early', 'on_track', 'off_track')), 0),
        1
    ) as pct_assessable_met_or_on_track
from assessment as a
left join plans as p on a.plan_id = p.plan_id
group by a.plan_id, p.title_zh, p.title_en, p.framework_status, p.is_monitored, a.assessment_year
