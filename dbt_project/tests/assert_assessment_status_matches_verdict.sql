-- The status and the verdict never contradict each other (GX relies on threshold_met).
select
    assessment_key,
    status,
    verdict_value,
    threshold_met
from {{ ref('fct_target_assessment') }}
where
    (status in ('met', 'met_early', 'on_track') and threshold_met is distinct from true)
    or (status in ('not_met', 'off_track') and threshold_met is distinct from false)
    or (verdict_value is null and threshold_met is not null)
    or (status in ('no_target', 'reference_missing', 'no_data') and verdict_value is not null)
    or (comparator = 'none' and status != 'no_target')
