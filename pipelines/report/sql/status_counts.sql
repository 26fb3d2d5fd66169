-- Latest assessment: target × region counts per plan × status and per lead department × status
-- (a jointly led target counts once for each of its lead departments: dim_target_department).
-- `grouping` tells the two apart: 'plan' rows have department null, 'department' rows plan_id null.
-- The leads are the relation `_leads` (target_id, department) that
-- pipelines.report.queries.status_counts registers from lead_departments.sql (the bridge) or,
-- in a warehouse without the bridge, lead_departments_unbridged.sql.
with latest as (
    select
        target_id,
        region_id,
        plan_id,
        status,
        nature
    from marts.fct_target_assessment
    where is_latest
)

select
    'plan' as grouping,
    plan_id,
    null::varchar as department,
    status,
    count(*) as n,
    count(*) filter (where nature = 'binding') as n_binding
from latest
group by plan_id, status
union all
select
    'department' as grouping,
    null::varchar as plan_id,
    d.department,
    l.status,
    count(*) as n,
    count(*) filter (where l.nature = 'binding') as n_binding
from latest as l
inner join _leads as d on l.target_id = d.target_id
group by d.department, l.status
order by grouping, plan_id, department, status
