"""Failure alerts from Dagster: a failure hook on every job and a run-failure sensor.

The hook runs inside the failing run (no daemon needed, so ``healthplan run`` alerts too) and names
the failed step and its error.  The sensor (daemon) catches failures that happen outside any step
— a run that could not get the writer lock, a resource that failed to start, a killed run worker —
and stays silent when the hook already reported the run's step failures.
"""

import dagster as dg

from pipelines.alerts import Alert, record_alert
from pipelines.config import load_settings


def _error_text(error: BaseException | None) -> tuple[str, str]:
    if error is None:
        return "UnknownError", ""
    # Dagster wraps user errors; the interesting one is the original exception.
    original = getattr(error, "user_exception", None) or error.__cause__ or error
    return type(original).__name__, str(original) or repr(original)


@dg.failure_hook(required_resource_keys={"warehouse"})
def alert_on_step_failure(context: dg.HookContext) -> None:
    """Record an alert naming run, job, failed step and error."""
    settings = context.resources.warehouse.settings()
    error_type, message = _error_text(context.op_exception)
    alert = record_alert(
        settings.warehouse,
        Alert(
            run_id=context.run_id,
            job_name=context.job_name,
            step_key=context.step_key,
            error_type=error_type,
            message=message,
        ),
        lock_file=settings.lock_file,
    )
    context.log.error(alert.summary())


def alert_for_run_failure(
    run_id: str, job_name: str, step_failures: list[dg.DagsterEvent], failure_message: str
) -> Alert | None:
    """Alert for a failed run unless its step failures were already reported by the hook."""
    if step_failures:
        return None
    settings = load_settings()
    return record_alert(
        settings.warehouse,
        Alert(
            run_id=run_id,
            job_name=job_name,
            step_key=None,
            error_type="RunFailure",
            message=failure_message or "run failed outside any step",
        ),
        lock_file=settings.lock_file,
    )


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records an alert for runs that failed outside a step (lock, resources, crash).",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    """Run-failure sensor: see module docstring."""
    message = context.failure_event.message or ""
    alert_for_run_failure(
        context.dagster_run.run_id,
        context.dagster_run.job_name,
        list(context.get_step_failure_events()),
        message,
    )
