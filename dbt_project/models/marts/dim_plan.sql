-- The plans (five local plans and 健康中国2030) with their target counts. A plan counts as
-- monitored only when its framework is complete (framework_status = 'complete').
with plans as (
    select * from {{ ref('stg_plans') }}
),

regions as (
    select * from {{ ref('stg_regions') }}
),

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

counts as (
    select
        plan_id,
        count(*) as n_targets,
        count(*) filter (where nature = 'binding') as n_binding_targets,
        count(*) filter (where nature = 'expected') as n_expected_targets,
        count(*) filter (where comparator != 'none') as n_measurable_targets,
        min(target_year) as first_target_year,
        max(target_year) as last_target_year
    from targets
    group by plan_id
)

select
    p.plan_id,
    p.title_zh,
    p.title_en,
    p.plan_type,
    p.issuing_body,
    p.document_number,
    p.issued_date,
    p.region_id,
    r.name_en as region_name_en,
    r.name_zh as region_name_zh,
    p.baseline_years,
    p.horizon_start,
    p.horizon_end,
    p.source_file,
    p.framework_status,
    p.framework_status = 'complete' as is_monitored,
    coalesce(c.n_targets, 0) as n_targets,
    coalesce(c.n_binding_targets, 0) as n_binding_targets,
    coalesce(c.n_expected_targets, 0) as n_expected_targets,
    coalesce(c.n_measurable_targets, 0) as n_measurable_targets,
    c.first_target_year,
    c.last_target_year
from plans as p
left join regions as r on p.region_id = r.region_id
left join counts as c on p.plan_id = c.plan_id
