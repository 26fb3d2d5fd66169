-- The GX scope recorded with a run's dbt build (pipelines/validation_scope.py,
-- read_validation_scope), once that build succeeded. Parameter: the run id.
select
    validation_regions,
    validation_baseline_run_id
from monitoring.dbt_build_state
where run_id = ? and status = 'succeeded'
order by started_at desc
limit 1
