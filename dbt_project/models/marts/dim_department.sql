-- One row per department named by any plan (plus the "plan names no lead department"
-- placeholder): how many targets it leads alone, jointly, or co-operates on, and in which plans.
with bridge as (
    select * from {{ ref('dim_target_department') }}
),

joint as (
    select
        target_id,
        count(*) as n_leads
    from bridge
    where role = 'lead'
    group by target_id
)

select
    b.department,
    bool_and(b.is_stated) as is_stated,
    count(distinct b.target_id) filter (where b.role = 'lead') as n_targets_led,
    count(distinct b.target_id) filter (where b.role = 'lead' and j.n_leads > 1)
        as n_targets_led_jointly,
    count(distinct b.target_id) filter (where b.role = 'co') as n_targets_co_operating,
    {{ sorted_distinct_text('b.plan_id', ';') }} as plan_ids
from bridge as b
left join joint as j on b.target_id = j.target_id
group by b.department
