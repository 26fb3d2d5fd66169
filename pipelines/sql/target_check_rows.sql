-- What the per-plan target checks report of one target validation ($run_id, $validated_at;
-- orchestration/assets/validation.py): every expectation row of its target suites, and of each
-- suite's failing elements the first $limit (binding first, then by target, region and year),
-- each row carrying how many failing elements its suite has in all (elements_in_suite).
with target_rows as (
    select *
    from monitoring.validation_results
    where
        run_id = $run_id
        and validated_at = $validated_at
        and starts_with(suite_name, $suite_prefix)
),

ranked as (
    select
        *,
        count(*) filter (where row_kind = 'element') over (
            partition by suite_name
        ) as elements_in_suite,
        row_number() over (
            partition by suite_name, row_kind = 'element'
            order by severity is distinct from 'critical', target_id, region_id, year
        ) as element_rank
    from target_rows
)

select * exclude (element_rank)
from ranked
where row_kind is distinct from 'element' or element_rank <= $limit
order by suite_name, element_rank
