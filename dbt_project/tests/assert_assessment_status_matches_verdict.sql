-- The status and the verdict never contradict each other: GX fails exactly the rows whose
-- verdict_value misses the requirement, so threshold_met = false iff the status's gx_outcome
-- (seed assessment_statuses) is `fail`, and a value is judged only for a decided status.
select
    a.assessment_key,
    a.status,
    a.verdict_value,
    a.threshold_met
from {{ ref('fct_target_assessment') }} as a
left join {{ ref('assessment_statuses') }} as s on a.status = s.status
where
    coalesce(a.threshold_met = false, false) != coalesce(s.gx_outcome = 'fail', false)
    or (a.status in ('met', 'met_early', 'on_track') and a.threshold_met is distinct from true)
    or (a.verdict_value is null and a.threshold_met is not null)
    or (a.status not in ('met', 'met_early', 'on_track', 'not_met', 'off_track') and a.verdict_value is not null)
    or (a.comparator = 'none' and a.status != 'no_target')
