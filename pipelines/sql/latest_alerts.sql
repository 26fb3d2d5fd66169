-- The five latest alerts, newest first (`healthplan status`).
select
    raised_at,
    run_id,
    job_name,
    step_key,
    error_type,
    message
from monitoring.alerts
order by raised_at desc
limit 5
