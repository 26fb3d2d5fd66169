-- A suite's result rows as validated by one run (expectations/carry_forward.py): the run's own
-- rows and the compacted rows whose streak ends at that run, of one kind (expectation or
-- element). Parameters: the suite name, the run id, the row kind.
select *
from monitoring.validation_results
where
    suite_name = $suite_name
    and coalesce(last_run_id, run_id) = $run_id
    and row_kind = $row_kind
