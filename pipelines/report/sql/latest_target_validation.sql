-- The target validation to report: the latest of run $run_id if it validated targets, else the
-- latest of any run (a report run alone). One row: run_id, validated_at.
select
    run_id,
    max(validated_at) as validated_at
from monitoring.validation_results
where starts_with(suite_name, $suite_prefix)
group by run_id
order by (run_id = $run_id) desc, max(validated_at) desc
limit 1
