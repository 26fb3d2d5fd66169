-- A scoped run's copy of the failing elements that stand from its baseline
-- (expectations/results_store.py, store): the same rows under the new run, fresh for the
-- retention policy (no streak yet), inserted in the run's transaction without passing through
-- Python. Template: the carried placeholder is carried_elements.sql; parameters: its own, the new
-- run id and its validation time.
insert into monitoring.validation_results by name
select
    * exclude (last_run_id, last_validated_at, n_runs)
    replace ($new_run_id as run_id, $validated_at as validated_at)
from ({carried}) as carried
