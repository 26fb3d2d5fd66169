-- The failing target × region × year rows (row_kind 'element') of the target validation
-- ($run_id, $validated_at).
select
    suite_name,
    expectation_id,
    target_id,
    plan_id,
    region_id,
    observed_value,
    threshold,
    severity,
    nature,
    lead_department,
    source_quote
from monitoring.validation_results
where
    run_id = $run_id
    and row_kind = 'element'
    and starts_with(suite_name, $suite_prefix)
    and validated_at = $validated_at
order by target_id, region_id
