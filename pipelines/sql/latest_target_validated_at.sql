-- When the latest target validation ran, whether or not compaction left rows of it in the
-- results (monitoring.validation_runs registers every validation). A scalar subquery: the view
-- monitoring.target_failing_since puts it where failing_streaks.sql reads $as_of.
(
    select max(validated_at) from (
        select validated_at from monitoring.validation_runs
        where starts_with(suite_name, 'targets__')
        union all
        select validated_at from monitoring.validation_results
        where starts_with(suite_name, 'targets__')
    ) as validations
)
