-- Frame of the quality__target_coverage suite: every target with a threshold and how many
-- current assessments it has (the suite expects at least one).
select
    t.target_id,
    t.plan_id,
    t.indicator_code,
    t.region_id,
    count(a.target_id) as n_assessments
from reference.plan_targets as t
left join marts.fct_target_assessment as a
    on t.target_id = a.target_id and a.is_latest
where t.comparator != 'none'
group by t.target_id, t.plan_id, t.indicator_code, t.region_id
order by t.target_id
