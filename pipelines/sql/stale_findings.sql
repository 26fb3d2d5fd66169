-- Target × region whose latest assessment is `stale_data` (the latest figure is too old to
-- assess), with the names a message shows.
select
    a.target_id,
    a.region_id,
    coalesce(i.name_zh, a.indicator_code) as indicator_name,
    coalesce(r.name_zh, a.region_id) as region_name,
    a.latest_year,
    a.assessment_year - a.latest_year as data_age_years,
    coalesce(p.title_zh, a.plan_id) as plan_title
from marts.fct_target_assessment as a
left join reference.indicators as i on a.indicator_code = i.indicator_code
left join reference.regions as r on a.region_id = r.region_id
left join reference.plans as p on a.plan_id = p.plan_id
where a.is_latest and a.status = 'stale_data'
order by a.plan_id, a.target_id, a.region_id
