"""Dagster wiring: assets, resources, jobs, schedules, sensors and the `healthplan` CLI."""
