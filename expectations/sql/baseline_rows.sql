-- A suite's result rows as validated by one run (expectations/carry_forward.py, baseline_rows):
-- the run's own rows and the compacted rows whose streak ends at that run. Parameters: the
-- suite name, the run id.
select *
from monitoring.validation_results
where suite_name = $suite_name and coalesce(last_run_id, run_id) = $run_id
