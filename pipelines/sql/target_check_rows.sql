-- What the per-plan target checks report of one target validation ($run_id, $validated_at;
-- orchestration/assets/validation.py): every expectation row of its target suites, and of each
-- suite's failing elements the first $limit (binding first, then by target, region and year),
-- each carrying how many failing elements its suite has in all (elements_in_suite). The
-- elements are ranked on a few columns and only the listed ones are read whole.
with listed as (
    select
        rowid as listed_rowid,
        count(*) over (partition by suite_name) as elements_in_suite,
        row_number() over (
            partition by suite_name
            order by severity is distinct from 'critical', target_id, region_id, year
        ) as element_rank
    from monitoring.validation_results
    where
        run_id = $run_id
        and validated_at = $validated_at
        and starts_with(suite_name, $suite_prefix)
        and row_kind = 'element'
    qualify element_rank <= $limit
)

select
    v.*,
    l.elements_in_suite
from monitoring.validation_results as v
inner join listed as l on v.rowid = l.listed_rowid
union all by name
select *
from monitoring.validation_results
where
    run_id = $run_id
    and validated_at = $validated_at
    and starts_with(suite_name, $suite_prefix)
    and row_kind is distinct from 'element'
