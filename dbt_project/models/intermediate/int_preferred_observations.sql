-- The one value per region × indicator × year (annual rows) every assessment reads: the
-- publication int_observation_duplicates chose in the best source class of source_precedence,
-- with its conflict flag and resolution note. A reported value without an interval carries the
-- interval computed from counts loaded for the same region × year (same data nature; ci_source
-- says which) when it lies inside that interval; outside it, the note says so instead. series_key / is_spliced / in_latest_series tell a trend or projection whether the
-- preferred values mix two definitions (international estimates before official figures …).
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope() %}
-- every row int_observation_duplicates chose is annual and ranked (its input is those rows), so
-- no preference_rank filter here, and this CTE is read once (counts_intervals reads the table
-- itself): DuckDB then builds the join's hash table on the narrow chosen keys, not on 6.5 M wide
-- rows it had first materialised as a CTE (at M: 48.5 s before, 16.5 s after; docs/benchmark.md)
with observations as (
    select * from {{ ref('int_indicator_observations') }}
    where {{ in_scope('region_id', scope) }}
),

resolved as (
    select * from {{ ref('int_observation_duplicates') }}
    where {{ in_scope('region_id', scope) }}
),

chosen as (
    select
        o.*,
        r.is_conflict,
        r.n_publications,
        r.resolution_note
    from observations as o
    inner join resolved as r on o.observation_key = r.observation_key
),

-- The interval computed from counts, keyed for the reported value it may describe. The key
-- holds 'reported' as a column so that the join below is all equalities: a left join whose ON
-- tests a constant on the left side alone becomes a nested-loop join in DuckDB (minutes at M).
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
    from chosen as c
    left join counts_intervals as k
        on
            c.value_source = k.for_value_source
            and c.region_id = k.region_id
            and c.indicator_code = k.indicator_code
            and c.year = k.year
            and c.data_nature = k.data_nature
),

-- per region × indicator: how many series its preferred values come from, and the series of its
-- newest year (years are unique per region × indicator, series_key is never null: tested), one
-- grouped pass joined back instead of two windows sorting 6.5 M wide rows
series_of_indicator as (
    select
        region_id,
        indicator_code,
        count(distinct series_key) as n_series,
        {{ value_at_min('series_key', '-year') }} as latest_series_key
    from with_counts
    group by region_id, indicator_code
),

series as (
    select
        w.*,
        s.n_series,
        s.latest_series_key
    from with_counts as w
    inner join series_of_indicator as s
        on w.region_id = s.region_id and w.indicator_code = s.indicator_code
)

select
    observation_key,
    region_id,
    indicator_code,
    year,
    value,
    unit,
    case when takes_counts_ci then counts_ci_lower else ci_lower end as ci_lower,
    case when takes_counts_ci then counts_ci_upper else ci_upper end as ci_upper,
    case
        when ci_lower is not null or ci_upper is not null then value_source
        when takes_counts_ci then 'counts'
    end as ci_source,
    source,
    source_quote,
    data_nature,
    data_status,
    is_illustrative,
    value_source,
    source_class,
    cast(preference_rank as integer) as source_rank,
    definition_family,
    series_key,
    n_series > 1 as is_spliced,
    series_key = latest_series_key as in_latest_series,
    is_conflict,
    n_publications,
    nullif(
        concat_ws(
            '; ',
            resolution_note,
            case
                when
                    ci_lower is null and ci_upper is null
                    and (value < counts_ci_lower or value > counts_ci_upper)
                    then
                        'reported value lies outside the 95 % interval computed from the counts ('
                        || cast(round(counts_ci_lower, 4) as {{ dbt.type_string() }}) || ' to '
                        || cast(round(counts_ci_upper, 4) as {{ dbt.type_string() }}) || '); no interval attached'
            end
        ),
        ''
    ) as resolution_note,
    {{ scope.watermark }} as built_through_ingested_at
from series
