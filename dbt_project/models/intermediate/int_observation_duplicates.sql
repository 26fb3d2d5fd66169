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
-- One row per region × indicator × year with the chosen observation_key and the note. Stored
-- (incremental by region); int_resolved_observations joins it to every observation.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with annual as (
    select
        *,
        min(preference_rank) over (partition by region_id, indicator_code, year) as best_rank
    from {{ ref('int_indicator_observations') }}
    where preference_rank is not null and {{ in_scope('region_id', scope) }}
),

best as (
    select
        *,
        count(*) over (partition by region_id, indicator_code, year) as n_best,
        -- finite and not null: such a value agrees with itself (NaN and ±inf do not)
        coalesce(abs(value) <= 1.7976931348623157e308, false) as is_finite
    from annual
    where preference_rank = best_rank
),

-- most years have one publication in their best class: it is chosen as it is (no conflict, no
-- note), which is what the resolution below gives it, without its text work
single as (
    select
        region_id,
        indicator_code,
        year,
        observation_key,
        false as is_conflict,
        cast(1 as bigint) as n_publications,
        cast(null as {{ dbt.type_string() }}) as resolution_note
    from best
    where n_best = 1 and is_finite
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
    where not (n_best = 1 and is_finite)
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
),

chosen as (
    select * from resolved
    union all
    select * from single
)

select
    *,
    {{ scope.watermark }} as built_through_ingested_at
from chosen
