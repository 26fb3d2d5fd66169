-- The validation results store (CONTRACTS.md §4; docs/monitoring.md): created when missing by
-- results_store.ensure_monitoring_schema, which also adds the extension columns to older tables.
-- validation_runs registers every validation of every suite (compact_validation_results.sql).
create schema if not exists monitoring;
create table if not exists monitoring.validation_results (
    run_id varchar not null,
    validated_at timestamp not null,
    suite_name varchar not null,
    expectation_type varchar not null,
    expectation_id varchar not null,
    target_id varchar,
    plan_id varchar,
    indicator_code varchar,
    region_id varchar,
    year integer,
    success boolean not null,
    observed_value double,
    threshold varchar,
    severity varchar not null,
    lead_department varchar,
    nature varchar,
    source_quote varchar,
    message varchar,
    row_kind varchar,
    is_structural boolean,
    status varchar,
    data_year integer,
    data_source varchar,
    data_nature varchar,
    ci_lower double,
    ci_upper double,
    last_run_id varchar,
    last_validated_at timestamp,
    n_runs integer
);
create table if not exists monitoring.validation_runs (
    suite_name varchar not null,
    run_id varchar not null,
    validated_at timestamp not null
);
