-- indicator_assessment_rules: the `_default` row exists and sets every rule; only it sets the
-- about tolerance (GX and dbt read that one number).
select 'missing or incomplete _default row' as problem
from (select 1 as one) as x
where
    not exists (
        select 1 from {{ ref('indicator_assessment_rules') }}
        where
            indicator_code = '_default'
            and max_data_age_years is not null
            and no_se_change_pct is not null
            and min_projection_points is not null
            and about_tolerance_pct is not null
    )
union all
select 'about_tolerance_pct set on ' || indicator_code as problem
from {{ ref('indicator_assessment_rules') }}
where indicator_code != '_default' and about_tolerance_pct is not null
