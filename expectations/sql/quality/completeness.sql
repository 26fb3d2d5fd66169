-- Frame of the quality__completeness suite: the years each target needs figures for, from its
-- earliest reference year (baseline, relative-to year or the plan's horizon start) up to the
-- assessment year, capped at the target year, with how many values each year has.
-- No ORDER BY (1.3 M rows at national scale): the failing rows are sorted by the key instead.
-- target_ids lists each needing target once, sorted: list_sort(list_distinct(list(...))) gives
-- what string_agg(distinct ... order by ...) gives at a third of the cost (tested in
-- tests/expectations/test_equivalence.py).
with latest as (
    select
        target_id,
        region_id,
        indicator_code,
        assessment_year
    from marts.fct_target_assessment
    where is_latest
),

needs as (
    select
        l.region_id,
        l.indicator_code,
        t.target_id,
        least(
            coalesce(try_cast(t.baseline_year as integer), 9999),
            coalesce(try_cast(t.relative_to_year as integer), 9999),
            coalesce(try_cast(p.horizon_start as integer), 9999)
        ) as first_year,
        least(try_cast(t.target_year as integer), l.assessment_year) as last_year
    from latest as l
    inner join reference.plan_targets as t on l.target_id = t.target_id
    inner join reference.plans as p on t.plan_id = p.plan_id
    where t.comparator != 'none'
),

grid as (
    select
        region_id,
        indicator_code,
        unnest(generate_series(first_year, last_year)) as year,
        target_id
    from needs
    where first_year <= last_year
),

required as (
    select
        region_id,
        indicator_code,
        year,
        array_to_string(list_sort(list_distinct(list(target_id))), ';') as target_ids
    from grid
    group by region_id, indicator_code, year
)

select
    r.region_id,
    r.indicator_code,
    r.year,
    r.target_ids,
    count(o.value) as n_values
from required as r
left join marts.fct_indicator_observation as o
    on r.region_id = o.region_id and r.indicator_code = o.indicator_code and r.year = o.year
group by r.region_id, r.indicator_code, r.year, r.target_ids
