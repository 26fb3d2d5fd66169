-- Failing streaks of target × region as of one target validation ($as_of): since when each
-- target × region failing at $as_of has failed without a pass in between.
--
-- THE rule for "failing since": the report (首次未达标), the notifier ("new since the previous
-- run" = a streak that starts at $as_of), the view monitoring.target_failing_since and the README
-- query all read it. It understands the retention policy (expectations/results_store.compact):
-- a failing `element` row covers every validation from its run through `last_run_id` (a compacted
-- streak), and monitoring.validation_runs keeps every validation of every suite even after its
-- rows were compacted away, so a pass between two failures is never lost.
with validations as (
    select run_id, validated_at
    from monitoring.validation_runs
    where starts_with(suite_name, 'targets__')
    union all
    select run_id, validated_at
    from monitoring.validation_results
    where starts_with(suite_name, 'targets__')
),

runs as (
    select
        run_id,
        max(validated_at) as validated_at
    from validations
    group by run_id
),

runs_upto as (
    select * from runs
    where validated_at <= $as_of
),

fails as (
    select
        f.target_id,
        f.region_id,
        first_run.validated_at as first_at,
        last_run.validated_at as last_at
    from monitoring.validation_results as f
    inner join runs_upto as first_run on f.run_id = first_run.run_id
    inner join runs as last_run on coalesce(f.last_run_id, f.run_id) = last_run.run_id
    where
        f.row_kind = 'element'
        and starts_with(f.suite_name, 'targets__')
        and f.target_id is not null
),

failing_now as (
    select distinct
        target_id,
        region_id
    from fails
    where $as_of between first_at and last_at
),

history as (
    select
        r.validated_at,
        n.target_id,
        n.region_id,
        bool_or(f.target_id is not null) as failed
    from runs_upto as r
    cross join failing_now as n
    left join fails as f
        on
            n.target_id = f.target_id
            and n.region_id = f.region_id
            and r.validated_at between f.first_at and f.last_at
    group by r.validated_at, n.target_id, n.region_id
),

last_pass as (
    select
        target_id,
        region_id,
        max(validated_at) filter (where not failed) as passed_at
    from history
    group by target_id, region_id
)

select
    h.target_id,
    h.region_id,
    min(h.validated_at) as failing_since,
    count(*) as failing_validations,
    any_value(p.passed_at) as last_passed_at
from history as h
inner join last_pass as p on h.target_id = p.target_id and h.region_id = p.region_id
where h.failed and (p.passed_at is null or h.validated_at > p.passed_at)
group by h.target_id, h.region_id
