-- size: one stored table for its two projections; split, it would write the 6.5 M rows of M twice.
-- Every indicator value (int_indicator_observations) with its year's resolution, stored once:
-- is_preferred marks the publication chosen per region × indicator × year (the only one in the
-- year's best source class, or the one int_observation_duplicates chose among several), and each
-- annual (ranked) row carries that year's is_conflict and resolution_note. The preferred rows
-- also carry what the assessment reads of them: the interval computed from counts for a reported
-- value without one (preferred_ci_*, ci_source) and the series their indicator's preferred values
-- come from. fct_indicator_observation (every row) and
-- int_preferred_observations (the preferred rows) are projections of this table, so the 6.5 M
-- observation rows of M are written once, not twice (docs/models.md#incremental-builds).
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
with observations as (
    select * from {{ ref('int_indicator_observations') }}
    where {{ in_scope('region_id', scope) }}
),

-- the best source class of each region × indicator × year: a year with one publication there has
-- no row in int_observation_duplicates, and that publication is the one chosen
best_ranks as (
    select
        region_id,
        indicator_code,
        year,
        min(preference_rank) as best_rank
    from {{ ref('int_indicator_observations') }}
    where preference_rank is not null and {{ in_scope('region_id', scope) }}
    group by region_id, indicator_code, year
),

-- the years that had something to resolve: the chosen publication and what the choice says
chosen as (
    select * from {{ ref('int_observation_duplicates') }}
    where {{ in_scope('region_id', scope) }}
),

-- the joins are all equalities (tests/dbt/test_query_plans.py); a year's conflict describes its
-- ranked (annual) rows only
resolved as (
    select
        o.*,
        case
            when r.region_id is not null then o.observation_key = r.observation_key
            else coalesce(o.preference_rank = b.best_rank, false)
        end as is_preferred,
        coalesce(o.preference_rank is not null and r.is_conflict, false) as year_is_conflict,
        case when o.preference_rank is not null then r.resolution_note end as year_resolution_note,
        case when o.preference_rank is not null then coalesce(r.n_publications, 1) end as n_publications
    from observations as o
    left join best_ranks as b
        on o.region_id = b.region_id and o.indicator_code = b.indicator_code and o.year = b.year
    left join chosen as r
        on o.region_id = r.region_id and o.indicator_code = r.indicator_code and o.year = r.year
),

-- The interval computed from counts, keyed for the reported value it may describe. The key
-- holds 'reported' as a column so that the join below is all equalities: a left join whose ON
-- tests a constant on the left side alone becomes a nested-loop join in DuckDB (minutes at M).
-- It reads the view itself, not the CTE above: DuckDB materialises a CTE read twice, 6.5 M wide
-- rows at M (48.5 s against 16.5 s when this was int_preferred_observations, docs/benchmark.md).
counts_intervals as (
    select
        'reported' as for_value_source,
        region_id,
        indicator_code,
        year,
        data_nature,
        ci_lower,
        ci_upper
    from {{ ref('int_indicator_observations') }}
    where preference_rank is not null and value_source = 'computed' and {{ in_scope('region_id', scope) }}
),

with_counts as (
    select
        c.*,
        k.ci_lower as counts_ci_lower,
        k.ci_upper as counts_ci_upper,
        -- the counts' interval describes the reported value only when the value lies in it;
        -- a value outside it (other definition, incomplete counts) gets a note, not the interval
        c.ci_lower is null and c.ci_upper is null
        and c.value between k.ci_lower and k.ci_upper as takes_counts_ci
    from resolved as c
    left join counts_intervals as k
        on
            c.value_source = k.for_value_source
            and c.region_id = k.region_id
            and c.indicator_code = k.indicator_code
            and c.year = k.year
            and c.data_nature = k.data_nature
),

-- per region × indicator: how many series its preferred values come from, and the series of its
-- newest year (years are unique per region × indicator among preferred rows: tested)
series_of_indicator as (
    select
        region_id,
        indicator_code,
        count(distinct series_key) as n_series,
        {{ value_at_min('series_key', '-year') }} as latest_series_key
    from with_counts
    where is_preferred
    group by region_id, indicator_code
)

select
    w.observation_key,
    w.region_id,
    w.indicator_code,
    w.period,
    w.period_type,
    w.year,
    w.value,
    w.unit,
    w.ci_lower,
    w.ci_upper,
    w.value_source,
    w.data_nature,
    w.is_illustrative,
    w.source,
    w.source_quote,
    w.data_status,
    w.source_class,
    w.series_key,
    w.method,
    w.numerator,
    w.denominator,
    w.file_path,
    w.file_hash,
    w.source_row,
    w.ingested_at,
    w.revision,
    w.n_revisions,
    w.preference_rank,
    cast(w.preference_rank as integer) as source_rank,
    w.is_preferred,
    w.year_is_conflict as is_conflict,
    w.year_resolution_note as resolution_note,
    -- what int_preferred_observations reads (null on rows that are not preferred, for the series)
    w.definition_family,
    case when w.takes_counts_ci then w.counts_ci_lower else w.ci_lower end as preferred_ci_lower,
    case when w.takes_counts_ci then w.counts_ci_upper else w.ci_upper end as preferred_ci_upper,
    case
        when w.ci_lower is not null or w.ci_upper is not null then w.value_source
        when w.takes_counts_ci then 'counts'
    end as ci_source,
    w.n_publications,
    case when w.is_preferred then s.n_series > 1 end as is_spliced,
    case when w.is_preferred then w.series_key = s.latest_series_key end as in_latest_series,
    nullif(
        concat_ws(
            '; ',
            w.year_resolution_note,
            case
                when
                    w.ci_lower is null and w.ci_upper is null
                    and (w.value < w.counts_ci_lower or w.value > w.counts_ci_upper)
                    then
                        'reported value lies outside the 95 % interval computed from the counts ('
                        || cast(round(w.counts_ci_lower, 4) as {{ dbt.type_string() }}) || ' to '
                        || cast(round(w.counts_ci_upper, 4) as {{ dbt.type_string() }}) || '); no interval attached'
            end
        ),
        ''
    ) as preferred_resolution_note,
    {{ scope.watermark }} as built_through_ingested_at
from with_counts as w
left join series_of_indicator as s
    on w.region_id = s.region_id and w.indicator_code = s.indicator_code
