-- The failing target × region × year rows (row_kind 'element') of the target validation
-- ($run_id, $validated_at), each with what the report reads of the current assessment of its
-- target × region (marts.fct_target_assessment, is_latest): columns prefixed `a_`, null where
-- there is no assessment row. `union all by name` with an empty row gives an assessment without
-- one of these columns (an older warehouse, a test fixture) that column as null, so the report
-- leaves its field empty. Ordered by target and region (pipelines.report.queries.failing_rows).
with assessment as (
    select * from marts.fct_target_assessment
    union all by name
    select
        null::varchar as indicator_code,
        null::varchar as plan_id,
        null::varchar as nature,
        null::varchar as lead_department,
        null::varchar as co_departments,
        null::varchar as source_quote,
        null::varchar as comparator,
        null::integer as target_year,
        null::double as target_value,
        null::varchar as status,
        null::bigint as assessment_year,
        null::integer as latest_year,
        null::double as latest_value,
        null::bigint as data_age_years,
        null::varchar as verdict_basis,
        null::double as required_lower,
        null::double as required_upper,
        null::double as gap,
        null::varchar as trend,
        null::boolean as latest_is_illustrative,
        null::varchar as latest_data_nature,
        null::double as projected_value,
        null::varchar as projection_method,
        null::double as projected_lower,
        null::double as projected_upper,
        null::varchar as trend_method,
        null::varchar as progress_ratio_class,
        null::double as latest_ci_lower,
        null::double as latest_ci_upper,
        null::varchar as latest_source,
        null::boolean as is_latest
    where false
),

elements as (
    select
        suite_name,
        expectation_id,
        target_id,
        plan_id,
        region_id,
        observed_value,
        threshold,
        severity,
        nature,
        lead_department,
        source_quote
    from monitoring.validation_results
    where
        run_id = $run_id
        and row_kind = 'element'
        and starts_with(suite_name, $suite_prefix)
        and validated_at = $validated_at
)

select
    e.*,
    a.indicator_code as a_indicator_code,
    a.plan_id as a_plan_id,
    a.nature as a_nature,
    a.lead_department as a_lead_department,
    a.co_departments as a_co_departments,
    a.source_quote as a_source_quote,
    a.comparator as a_comparator,
    a.target_year as a_target_year,
    a.target_value as a_target_value,
    a.status as a_status,
    a.assessment_year as a_assessment_year,
    a.latest_year as a_latest_year,
    a.latest_value as a_latest_value,
    a.data_age_years as a_data_age_years,
    a.verdict_basis as a_verdict_basis,
    a.required_lower as a_required_lower,
    a.required_upper as a_required_upper,
    a.gap as a_gap,
    a.trend as a_trend,
    a.latest_is_illustrative as a_latest_is_illustrative,
    a.latest_data_nature as a_latest_data_nature,
    a.projected_value as a_projected_value,
    a.projection_method as a_projection_method,
    a.projected_lower as a_projected_lower,
    a.projected_upper as a_projected_upper,
    a.trend_method as a_trend_method,
    a.progress_ratio_class as a_progress_ratio_class,
    a.latest_ci_lower as a_latest_ci_lower,
    a.latest_ci_upper as a_latest_ci_upper,
    a.latest_source as a_latest_source
from elements as e
left join assessment as a
    on e.target_id = a.target_id and e.region_id = a.region_id and a.is_latest
order by e.target_id, e.region_id
