-- Indicator × region × year: the preferred value (int_preferred_observations: its CI and where
-- the CI comes from, source, source class, data status, conflict flag, resolution note and
-- series, docs/models.md#sources-and-duplicates) and the
-- targets every plan sets for that indicator, region and year overlaid (one row per target; a
-- row with null target_id when no plan targets that year). Years with a target but no value
-- yet are included.
-- A view on DuckDB (macros/cross_engine/row_wise_view.sql): a join of two region-keyed views of
-- stored tables and two small dimensions. At M, storing its 6.6 M wide rows cost ≈ 7 s of a full
-- build; computing all of them costs ≈ 0.5 s, and one region × indicator ≈ 0.04 s
-- (docs/models.md#incremental-builds).
{{ row_wise_view_config() }}
with observations as (
    select * from {{ ref('int_preferred_observations') }}
),

targets as (
    select * from {{ ref('int_assessment_verdict') }}
    where is_latest
)

select
    coalesce(o.indicator_code, t.indicator_code) as indicator_code,
    {{ indicator_labels('i') }},
    coalesce(o.region_id, t.region_id) as region_id,
    {{ region_labels('r') }},
    coalesce(o.year, t.target_year) as year,
    o.value,
    o.ci_lower,
    o.ci_upper,
    o.value_source,
    o.data_nature,
    coalesce(o.is_illustrative, false) as is_illustrative,
    o.source,
    o.source_quote,
    o.source_class,
    o.source_rank,
    o.data_status,
    o.ci_source,
    o.is_conflict,
    o.resolution_note,
    o.series_key,
    o.is_spliced,
    o.in_latest_series,
    t.target_id,
    t.plan_id,
    t.comparator,
    t.target_value,
    t.target_upper,
    t.requirement_text,
    t.required_lower,
    t.required_upper,
    t.nature,
    t.status as target_status,
    {{ threshold_met('o.value', 't.required_lower', 't.required_lower_inclusive', 't.required_upper', 't.required_upper_inclusive') }}
        as value_meets_target,
    -- the later of the two stored builds the row reads (either side may be absent)
    greatest(o.built_through_ingested_at, t.built_through_ingested_at) as built_through_ingested_at
-- every preferred value with every target of its region × indicator × year; the keys are not
-- null on either side (tested), so this gives the rows the distinct union of both sides' keys
-- joined to each side gave, without the distinct over 6.5 M keys and a second 6.5 M-row join
from observations as o
full outer join targets as t
    on o.region_id = t.region_id and o.indicator_code = t.indicator_code and o.year = t.target_year
left join {{ ref('dim_indicator') }} as i on coalesce(o.indicator_code, t.indicator_code) = i.indicator_code
left join {{ ref('dim_region') }} as r on coalesce(o.region_id, t.region_id) = r.region_id
