"""Asset definitions: ingestion, dbt, validation, reports and publishing."""
