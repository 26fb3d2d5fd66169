-- How many failing elements of each expectation stand from the baseline, and their targets
-- (expectations/carry_forward.py, carried_elements): the suite's result without reading the
-- rows. Template: the carried placeholder is carried_elements.sql.
select
    expectation_id,
    count(*) as n_elements,
    list(distinct target_id) filter (where target_id is not null) as target_ids
from ({carried}) as carried
group by expectation_id
