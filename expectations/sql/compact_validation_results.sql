-- Retention of monitoring.validation_results (docs/monitoring.md#retention): every verdict change
-- is kept, identical repeats are compacted into one row per streak.
--
-- monitoring.validation_runs registers every validation of every suite (never compacted).
-- A *series* is one expectation, or one failing element, of one suite: (suite_name,
-- expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code). A *verdict* is
-- (success, observed_value, threshold, severity, is_structural, status, data_year,
-- data_source): a new data year or source is a change even when the verdict stays. A *streak* is a run of
-- consecutive validations of the suite in which a series had the same verdict; it is kept as its
-- first row, with last_run_id / last_validated_at (the streak's last validation) and n_runs.
-- The rows of the newest keep_runs runs are never compacted (the failure report and the GX asset
-- checks read the latest run whole); an element absent from a run (it passed) ends its streak.
-- Only the series with a row that has just left the kept runs are compacted (a row is inserted
-- with n_runs null and compacted once), with the newest settled streak of each: the cost follows
-- one run's rows, not the whole history, and rows are deleted or updated in place, not rewritten.
--
-- Parameter: keep_runs (a named query parameter). Runs in one transaction (the caller's).
-- every validation of every suite (table created by results_store.ensure_monitoring_schema),
-- registered before its rows can be compacted (a compacted run
-- leaves no row of its own, but the numbering of runs must not move)
insert into monitoring.validation_runs
select
    suite_name,
    run_id,
    min(validated_at) as validated_at
from monitoring.validation_results as v
where
    not exists (
        select 1 from monitoring.validation_runs as r
        where r.suite_name = v.suite_name and r.run_id = v.run_id
    )
group by suite_name, run_id;

create or replace temporary table _runs as
select
    suite_name,
    run_id,
    row_number() over (partition by suite_name order by validated_at, run_id) as seq
from monitoring.validation_runs;

create or replace temporary table _kept_runs as
select run_id
from monitoring.validation_results
group by run_id
order by max(validated_at) desc
limit $keep_runs;

-- the series with a row that has just left the kept runs (never compacted: n_runs is null);
-- only their rows are compacted again, the settled history of every other series is left as is
-- (by a hash of the series: a hash two series share only adds rows to look at, streaks are
-- still told apart by the series columns themselves)
create or replace temporary table _expiring_series as
select distinct
    hash(
        suite_name, expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code
    ) as series
from monitoring.validation_results
where n_runs is null and run_id not in (select run_id from _kept_runs);

create or replace temporary table _candidates as
select
    -- what a streak is decided by and records (the rows themselves are not rewritten)
    v.rowid as stored_row,
    v.suite_name,
    v.expectation_id,
    v.row_kind,
    v.target_id,
    v.plan_id,
    v.region_id,
    v.year,
    v.indicator_code,
    v.success,
    v.observed_value,
    v.threshold,
    v.severity,
    v.is_structural,
    v.status,
    v.data_year,
    v.data_source,
    v.run_id,
    v.validated_at,
    v.last_run_id,
    v.last_validated_at,
    v.n_runs,
    first_run.seq as first_seq,
    last_run.seq as last_seq
from monitoring.validation_results as v
inner join _runs as first_run
    on v.suite_name = first_run.suite_name and v.run_id = first_run.run_id
inner join _runs as last_run
    on v.suite_name = last_run.suite_name and coalesce(v.last_run_id, v.run_id) = last_run.run_id
where
    v.run_id not in (select run_id from _kept_runs)
    and hash(
        v.suite_name, v.expectation_id, v.row_kind, v.target_id, v.plan_id, v.region_id, v.year,
        v.indicator_code
    ) in (select series from _expiring_series)
-- of the settled rows only the newest streak of a series can grow; older ones stay as they are
qualify
    v.n_runs is null
    or first_run.seq = max(case when v.n_runs is not null then first_run.seq end) over (
        partition by
            v.suite_name, v.expectation_id, v.row_kind, v.target_id, v.plan_id, v.region_id,
            v.year, v.indicator_code
    );

create or replace temporary table _streaks as
select
    *,
    sum(case when starts_streak then 1 else 0 end) over (
        partition by suite_name, expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code
        order by first_seq
        rows between unbounded preceding and current row
    ) as streak
from (
    select
        *,
        coalesce(
            lag(last_seq) over series <> first_seq - 1
            or lag(success) over series is distinct from success
            or lag(observed_value) over series is distinct from observed_value
            or lag(threshold) over series is distinct from threshold
            or lag(severity) over series is distinct from severity
            or lag(is_structural) over series is distinct from is_structural
            or lag(status) over series is distinct from status
            or lag(data_year) over series is distinct from data_year
            or lag(data_source) over series is distinct from data_source,
            true
        ) as starts_streak
    from _candidates
    window series as (
        partition by suite_name, expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code
        order by first_seq
    )
) as flagged;

create or replace temporary table _compacted as
select
    * exclude (
        first_seq, last_seq, starts_streak, streak, streak_row,
        last_run_id, last_validated_at, n_runs,
        streak_last_run_id, streak_last_validated_at, streak_n_runs
    ),
    streak_last_run_id as last_run_id,
    streak_last_validated_at as last_validated_at,
    streak_n_runs as n_runs
from (
    select
        *,
        row_number() over (
            partition by suite_name, expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code, streak
            order by first_seq
        ) as streak_row,
        arg_max(coalesce(last_run_id, run_id), last_seq) over (
            partition by suite_name, expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code, streak
        ) as streak_last_run_id,
        arg_max(coalesce(last_validated_at, validated_at), last_seq) over (
            partition by suite_name, expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code, streak
        ) as streak_last_validated_at,
        sum(coalesce(n_runs, 1)) over (
            partition by suite_name, expectation_id, row_kind, target_id, plan_id, region_id, year, indicator_code, streak
        ) as streak_n_runs
    from _streaks
) as ranked
where streak_row = 1;

-- a row merged into the streak of an earlier one goes; each streak's first row stays where it is
-- and only its streak columns change (rewriting every candidate row cost seconds at M)
delete from monitoring.validation_results
where
    rowid in (select stored_row from _candidates)
    and rowid not in (select stored_row from _compacted);

update monitoring.validation_results as v
set
    last_run_id = c.last_run_id,
    last_validated_at = c.last_validated_at,
    n_runs = c.n_runs
from _compacted as c
where
    v.rowid = c.stored_row
    and (
        v.n_runs is distinct from c.n_runs
        or v.last_run_id is distinct from c.last_run_id
        or v.last_validated_at is distinct from c.last_validated_at
    );
