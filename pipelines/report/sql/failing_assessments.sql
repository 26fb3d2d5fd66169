-- The current assessment rows of the wanted target × regions (the relation `_wanted`, registered
-- by pipelines.report.queries.failing_assessments: the failing ones). Only those rows are read:
-- a national mart has 275,000 current rows.
select a.*
from marts.fct_target_assessment as a
inner join _wanted as w on a.target_id = w.target_id and a.region_id = w.region_id
where a.is_latest
