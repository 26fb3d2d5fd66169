-- Current target × regions whose requirement is not met, each counted once.
select count(*) as n_missed
from (
    select
        target_id,
        region_id
    from marts.fct_target_assessment
    where is_latest
    group by target_id, region_id
    having bool_or(threshold_met is not distinct from false)
) as missed
