-- The current assessment rows of the target × regions that failed the target validation
-- ($run_id, $validated_at). Only those rows are read: a national mart has 275,000 current rows.
select a.*
from marts.fct_target_assessment as a
where
    a.is_latest
    and (a.target_id, a.region_id) in (
        select
            target_id,
            region_id
        from monitoring.validation_results
        where
            run_id = $run_id
            and row_kind = 'element'
            and starts_with(suite_name, $suite_prefix)
            and validated_at = $validated_at
    )
