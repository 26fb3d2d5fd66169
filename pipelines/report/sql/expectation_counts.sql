-- How many expectations, and how many distinct targets, the target validation ($run_id,
-- $validated_at) checked.
select
    count(*) as n_expectations,
    count(distinct target_id) as n_targets
from monitoring.validation_results
where
    run_id = $run_id
    and row_kind = 'expectation'
    and starts_with(suite_name, $suite_prefix)
    and validated_at = $validated_at
