-- The run of a suite's latest validation (expectations/carry_forward.py, baseline_rows), read
-- through the retention policy: a compacted row names its streak's last run. Parameter: the
-- suite name ($suite_name).
select coalesce(last_run_id, run_id) as run_id
from monitoring.validation_results
where suite_name = $suite_name
order by coalesce(last_validated_at, validated_at) desc
limit 1
