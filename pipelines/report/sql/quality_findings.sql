-- Data-quality findings of the latest quality validation of run $run_id: per suite and
-- severity, the rules that failed and the failing rows; suites without a failure are left out.
select
    suite_name,
    severity,
    coalesce(is_structural, false) as is_structural,
    count(*) filter (where row_kind = 'expectation' and not success) as failed_rules,
    count(*) filter (where row_kind = 'element') as failing_rows
from monitoring.validation_results
where
    run_id = $run_id
    and starts_with(suite_name, 'quality__')
    and validated_at = (
        select max(validated_at) from monitoring.validation_results
        where run_id = $run_id and starts_with(suite_name, 'quality__')
    )
group by all
having count(*) filter (where not success) > 0
order by is_structural desc, suite_name, severity
