-- Failing streaks of target × region as of one target validation ($as_of): since when each
-- target × region failing at $as_of has failed without a pass in between.
--
-- One rule for "failing since" (the report) and "new since the previous run" (the notifier: a
-- streak that starts at $as_of is new). It needs only the verdict changes in
-- monitoring.validation_results, so it keeps working when old rows are compacted away as long as
-- every change of verdict survives: a target × region passed at a validation of its target (an
-- `expectation` row for the target) with no failing `element` row for the region.
with checks as (
    select distinct
        target_id,
        validated_at
    from monitoring.validation_results
    where
        row_kind = 'expectation'
        and starts_with(suite_name, 'targets__')
        and target_id is not null
        and validated_at <= $as_of
),

failures as (
    select distinct
        target_id,
        region_id,
        validated_at
    from monitoring.validation_results
    where
        row_kind = 'element'
        and starts_with(suite_name, 'targets__')
        and validated_at <= $as_of
),

failing_now as (
    select
        target_id,
        region_id
    from failures
    where validated_at = $as_of
),

last_pass as (
    select
        n.target_id,
        n.region_id,
        max(k.validated_at) as passed_at
    from failing_now as n
    inner join checks as k on n.target_id = k.target_id
    left join failures as f
        on
            n.target_id = f.target_id
            and n.region_id = f.region_id
            and k.validated_at = f.validated_at
    where f.target_id is null
    group by n.target_id, n.region_id
)

select
    n.target_id,
    n.region_id,
    min(f.validated_at) as failing_since,
    count(*) as failing_validations,
    any_value(p.passed_at) as last_passed_at
from failing_now as n
inner join failures as f on n.target_id = f.target_id and n.region_id = f.region_id
left join last_pass as p on n.target_id = p.target_id and n.region_id = p.region_id
where p.passed_at is null or f.validated_at > p.passed_at
group by n.target_id, n.region_id
