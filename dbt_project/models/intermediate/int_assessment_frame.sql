-- What is assessed: target × assessed region × assessment year, for every year from the plan's
-- horizon start to var assessment_year, with the years that bound its evidence and the
-- indicator's assessment rules (seed indicator_assessment_rules; docs/verdicts.md).
-- * cutoff_year = least(target_year, assessment_year): the newest data year that can count;
-- * earliest_usable_year: the target's reference year (relative targets), else its baseline
--   year, else the plan's first baseline year, else its horizon start — an older value never
--   decides a verdict;
-- * max_data_age_years: the recency window (an older latest value → stale_data).
-- A view on DuckDB (macros/cross_engine/row_wise_view.sql): built from seeds alone, its rows cost
-- less to compute than to store (1.6 s against 4.3 s at M); a reader's region filter applies to
-- the seed-sized join of targets to regions (one region at M: 0.02 s).
{{ row_wise_view_config() }}
{%- set ay = assessment_year() %}
with plans as (
    select
        *,
        {{ to_int("split_part(baseline_years, ';', 1)") }} as first_baseline_year
    from {{ ref('stg_plans') }}
),

rules as (
    select
        i.indicator_code,
        coalesce(r.max_data_age_years, d.max_data_age_years) as max_data_age_years,
        coalesce(r.no_se_change_pct, d.no_se_change_pct) as no_se_change_pct,
        coalesce(r.min_projection_points, d.min_projection_points) as min_projection_points
    from {{ ref('stg_indicators') }} as i
    cross join {{ ref('indicator_assessment_rules') }} as d
    left join {{ ref('indicator_assessment_rules') }} as r on i.indicator_code = r.indicator_code
    where d.indicator_code = '_default'
),

-- the regions an each_subregion target is assessed in; the scope is a column of the key so
-- that the join below is all equalities (a constant tested on the left side alone in a left
-- join's ON makes DuckDB loop over every pair: tests/dbt/test_query_plans.py)
child_regions as (
    select
        'each_subregion' as scope,
        parent_region_id,
        region_id
    from {{ ref('stg_regions') }}
),

-- each_subregion targets are assessed in every child region (the region itself if none known)
target_regions as (
    select
        t.*,
        coalesce(child.region_id, t.region_id) as assessed_region_id
    from {{ ref('stg_plan_targets') }} as t
    left join child_regions as child
        on t.scope = child.scope and t.region_id = child.parent_region_id
),

year_spine as (
    select {{ integer_series(1900, ay) }} as assessment_year
)

select
    tr.target_id || '|' || tr.assessed_region_id || '|' || cast(y.assessment_year as {{ dbt.type_string() }})
        as assessment_key,
    tr.target_id,
    tr.plan_id,
    tr.indicator_code,
    tr.assessed_region_id as region_id,
    tr.scope,
    tr.domain_id,
    tr.target_year,
    tr.comparator,
    tr.target_value,
    tr.target_upper,
    tr.tolerance_pct,
    tr.relative_to_year,
    tr.baseline_year as target_baseline_year,
    tr.baseline_value as target_baseline_value,
    tr.nature,
    tr.lead_department as target_lead_department,
    tr.co_departments,
    tr.source_quote,
    i.direction,
    i.canonical_unit as unit,
    p.horizon_start,
    y.assessment_year,
    least(tr.target_year, y.assessment_year) as cutoff_year,
    y.assessment_year >= tr.target_year as target_year_reached,
    case
        when {{ comparator_is_relative('tr.comparator') }} and tr.relative_to_year is not null
            then tr.relative_to_year
        else coalesce(tr.baseline_year, p.first_baseline_year, p.horizon_start)
    end as earliest_usable_year,
    r.max_data_age_years,
    r.no_se_change_pct,
    r.min_projection_points
from target_regions as tr
left join plans as p on tr.plan_id = p.plan_id
left join {{ ref('stg_indicators') }} as i on tr.indicator_code = i.indicator_code
left join rules as r on tr.indicator_code = r.indicator_code
inner join year_spine as y
    on y.assessment_year between least(coalesce(p.horizon_start, tr.target_year), {{ ay }}) and {{ ay }}
