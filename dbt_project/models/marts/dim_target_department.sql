-- Bridge: one row per target × department × role. Joint leads (`市发改委;市卫计委`) become one
-- row per department, so a department view counts a jointly led target once for each of them.
-- Departments come from the target's own row, else from its domain (the plan's 牵头单位 per
-- field), each spelling mapped to the plan's one name (department_aliases); a target whose plan
-- names no lead gets the explicit placeholder from the translation seed (department/none:
-- 计划未明确牵头单位) with `is_stated` false, never a silent null.
with targets as (
    select * from {{ ref('stg_plan_targets') }}
),

domains as (
    select * from {{ ref('stg_plan_domains') }}
),

aliases as (
    select * from {{ ref('department_aliases') }}
),

placeholder as (
    select zh from {{ ref('translations') }}
    where namespace = 'department' and key = 'none'
),

assigned as (
    select
        t.target_id,
        t.plan_id,
        coalesce(t.lead_department, d.lead_department) as leads,
        coalesce(t.co_departments, d.co_departments) as cos
    from targets as t
    left join domains as d on t.plan_id = d.plan_id and t.domain_id = d.domain_id
),

split as (
    select
        target_id,
        plan_id,
        'lead' as role,
        {{ split_trimmed_rows('leads', ';') }} as department
    from assigned
    union all
    select
        target_id,
        plan_id,
        'co' as role,
        {{ split_trimmed_rows('cos', ';') }} as department
    from assigned
),

stated as (
    select distinct
        s.target_id,
        s.plan_id,
        s.role,
        coalesce(a.department, s.department) as department
    from split as s
    left join aliases as a on s.plan_id = a.plan_id and s.department = a.alias
    where s.department != ''
),

unstated as (
    select
        a.target_id,
        a.plan_id,
        'lead' as role,
        p.zh as department
    from assigned as a
    cross join placeholder as p
    where not exists (
        select 1
        from stated as s
        where s.target_id = a.target_id and s.role = 'lead'
    )
)

select
    target_id,
    plan_id,
    department,
    role,
    true as is_stated
from stated
union all
select
    target_id,
    plan_id,
    department,
    role,
    false as is_stated
from unstated
