-- size: one resolution in three ordered steps over the same partitions; split, it would store an
-- intermediate of every multi-publication year only to read it back once.
-- Publications of one region × indicator × year value in the best source class (the lowest
-- preference_rank of source_precedence), resolved (docs/models.md#sources-and-duplicates):
--   1. a preliminary figure (预计, 初步核算) gives way to a final one of the same class;
--   2. the remaining figures agree when each lies within half a unit of the last printed digit
--      of the coarser printing (printed_half_unit): identical values collapse, and the same
--      figure at two precisions (12.35 / 12.4; 80 / 80.0) resolves to the more precise one;
--   3. figures that do not agree are a conflict: the year keeps a value (the latest ingested
--      publication) so it still counts as the latest year, flagged is_conflict with every value.
-- One row per region × indicator × year that has something to resolve: more than one publication
-- in its best class, or a value that is not finite. A year with one finite publication there
-- (≈ all of them) has no row: int_resolved_observations takes that publication as it is, which is
-- what the resolution would give it (no conflict, no note). Stored (incremental by region), its
-- watermark in a table: the model may hold no row at all (at M it holds none), and an empty
-- table's watermark would make every run rebuild every region.
{{ incremental_by_region_config(watermark_table=true) }}
{%- set scope = incremental_scope(watermark_table=true) %}
with by_class as (
    select
        region_id,
        indicator_code,
        year,
        preference_rank,
        count(*) as n_publications,
        -- finite and not null: such a value agrees with itself (NaN and ±inf do not)
        min(case when abs(value) <= 1.7976931348623157e308 then 1 else 0 end) = 1 as all_finite
    from {{ ref('int_indicator_observations') }}
    where preference_rank is not null and {{ in_scope('region_id', scope) }}
    group by region_id, indicator_code, year, preference_rank
),

-- the years to resolve and their best class; grouped, not windowed: a window would carry every
-- wide row of every year (6.5 M at M) to find the few that need resolving
to_resolve as (
    select
        region_id,
        indicator_code,
        year,
        min(preference_rank) as best_rank
    from by_class
    group by region_id, indicator_code, year
    having {{ value_at_min('n_publications > 1 or not all_finite', 'preference_rank') }}
),

best as (
    select o.*
    from {{ ref('int_indicator_observations') }} as o
    inner join to_resolve as t
        on
            o.region_id = t.region_id
            and o.indicator_code = t.indicator_code
            and o.year = t.year
            and o.preference_rank = t.best_rank
    where {{ in_scope('o.region_id', scope) }}
),

candidates as (
    select
        *,
        max(case when data_status = 'final' then 1 else 0 end)
            over (partition by region_id, indicator_code, year)
            as has_final,
        -- rounded so a converted printing (0.41 % → 4.1 ‰) ties with the same digits in ‰
        round(coalesce({{ printed_half_unit('original_value', 'value') }}, 0.0), 12) as half_unit,
        -- rounded to 9 decimals: a unit conversion (0.41 % → 4.1 ‰) must not print 4.1000000000000005
        cast(round(value, 9) as {{ dbt.type_string() }}) || ' (' || coalesce(source, 'no source') || ')' as label
    from best
),

live as (
    select
        *,
        row_number() over (
            partition by region_id, indicator_code, year
            order by half_unit asc, ingested_at desc, observation_key asc
        ) as precision_order,
        row_number() over (
            partition by region_id, indicator_code, year
            order by ingested_at desc, half_unit asc, observation_key asc
        ) as recency_order
    from candidates
    where not (data_status = 'preliminary' and has_final = 1)
),

anchored as (
    select
        l.*,
        a.value as anchor_value,
        abs(l.value - a.value) <= greatest(l.half_unit, a.half_unit) + 1e-9 as agrees
    from live as l
    inner join live as a
        on
            l.region_id = a.region_id
            and l.indicator_code = a.indicator_code
            and l.year = a.year
            and a.precision_order = 1
),

groups as (
    select
        region_id,
        indicator_code,
        year,
        count(*) as n_live,
        count(distinct round(value, 9)) as n_values,
        sum(case when agrees then 0 else 1 end) as n_disagreeing,
        max(case when precision_order = 1 then observation_key end) as most_precise_key,
        max(case when recency_order = 1 then observation_key end) as latest_key,
        max(case when precision_order = 1 then label end) as most_precise_label,
        {{ ordered_text_agg('label', 'value, label') }} as live_labels
    from anchored
    group by region_id, indicator_code, year
),

superseded as (
    select
        region_id,
        indicator_code,
        year,
        count(*) as n_superseded,
        {{ ordered_text_agg('label', 'value, label') }} as superseded_labels
    from candidates
    where data_status = 'preliminary' and has_final = 1
    group by region_id, indicator_code, year
),

resolved as (
    select
        g.region_id,
        g.indicator_code,
        g.year,
        case when g.n_disagreeing > 0 then g.latest_key else g.most_precise_key end as observation_key,
        g.n_disagreeing > 0 as is_conflict,
        g.n_live + coalesce(s.n_superseded, 0) as n_publications,
        nullif(
            concat_ws(
                '; ',
                case
                    when g.n_disagreeing > 0
                        then 'conflicting figures: ' || g.live_labels || '; kept the latest ingested'
                    when g.n_values > 1
                        then
                            'same figure at different precision: kept ' || g.most_precise_label
                            || ' of ' || g.live_labels
                    when g.n_live > 1
                        then
                            cast(g.n_live as {{ dbt.type_string() }}) || ' identical publications collapsed: '
                            || g.live_labels
                end,
                case
                    when s.n_superseded > 0
                        then 'preliminary ' || s.superseded_labels || ' superseded by the final figure'
                end
            ),
            ''
        ) as resolution_note
    from groups as g
    left join superseded as s
        on g.region_id = s.region_id and g.indicator_code = s.indicator_code and g.year = s.year
)

select
    *,
    {{ scope.watermark }} as built_through_ingested_at
from resolved
