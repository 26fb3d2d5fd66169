-- Each target's lead departments (one row per joint lead; the "plan names no lead department"
-- placeholder where the plan names none), stated leads first.
select
    target_id,
    department
from marts.dim_target_department
where role = 'lead'
order by target_id asc, is_stated desc, department asc
