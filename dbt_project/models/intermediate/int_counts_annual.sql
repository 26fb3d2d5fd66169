-- Annual counts of both sexes per region × year × data_nature × measure × age_group × cause_group.
-- Annual rows are used as given; a year known only from sub-annual rows sums them for flows
-- (births, deaths) and averages them for stocks (population, staff, beds). Missing 'all' rows are
-- derived: sex (male + female), then age (sum of the bands), then cause (sum of the groups). Only
-- sex 'all' rows are kept (all any reader reads; per-sex rows were 60 % of the table at M).
-- `is_preferred_nature` marks, per region × year × measure, the best data_nature (official >
-- international_estimate > illustrative, judged over every sex) so computations never mix natures.
-- Incremental by region × year (delete+insert): a run recomputes only the region × year cells with
-- a count row of a path that arrived (new, revised, restored, rejected or retracted) after the
-- table's built_through_ingested_at, deleting those cells first (pre-hook), each re-read from the
-- stored latest revision (stg_count_observations_latest): the result equals a full rebuild
-- (tests/dbt). Spark rebuilds a changed year in every region. as_of set: rebuilt in full;
-- age_groups changed: --full-refresh.
{{ incremental_by_year_config() }}
{%- set cells = changed_count_cells() if is_incremental() and var('as_of', none) is none else [] %}
{%- set nature_rank = "case data_nature when 'official' then 1 when 'international_estimate' then 2 else 3 end" %}

with counts as (
    select * from {{ ref('stg_count_observations') }}
    {% if is_incremental() and var('as_of', none) is none %}
    where {{ count_cells_filter(cells) }}
    {% endif %}
),

age_bands as (
    select age_group from {{ ref('stg_age_groups') }}
),

annual as (
    select
        region_id,
        year,
        data_nature,
        measure,
        age_group,
        sex,
        cause_group,
        value,
        'annual' as derivation,
        ingested_at as source_ingested_at
    from counts
    where is_annual
),

sub_annual as (
    select
        region_id,
        year,
        data_nature,
        measure,
        age_group,
        sex,
        cause_group,
        case
            when measure in ('population', 'physicians', 'nurses', 'beds', 'gps', 'public_health_staff')
                then avg(value)
            else sum(value)
        end as value,
        'from_sub_annual' as derivation,
        max(ingested_at) as source_ingested_at
    from counts
    where not is_annual
    group by region_id, year, data_nature, measure, age_group, sex, cause_group
),

by_year as (
    select * from annual
    union all
    select s.*
    from sub_annual as s
    left join annual as a
        on
            s.region_id = a.region_id
            and s.year = a.year
            and s.data_nature = a.data_nature
            and s.measure = a.measure
            and s.age_group = a.age_group
            and s.sex = a.sex
            and s.cause_group = a.cause_group
    where a.measure is null
),

sex_rollup as (
    {{ rollup_to_all('by_year', 'sex', 'sum_of_sexes', member_condition="sex in ('male', 'female')") }}
),

-- the best data nature per region × year × measure over every sex (rollups keep a row's nature)
best_nature as (
    select
        region_id,
        year,
        measure,
        min({{ nature_rank }}) as best_rank
    from by_year
    group by region_id, year, measure
),

with_sex as (
    select * from by_year
    where sex = 'all'
    union all
    select * from sex_rollup
),

with_sex_bands as (
    select
        w.*,
        ab.age_group is not null as is_band
    from with_sex as w
    left join age_bands as ab on w.age_group = ab.age_group
),

age_rollup as (
    {{ rollup_to_all('with_sex_bands', 'age_group', 'sum_of_age_groups', member_condition='is_band') }}
),

with_age as (
    select * from with_sex
    union all
    select * from age_rollup
),

cause_rollup as (
    {{ rollup_to_all('with_age', 'cause_group', 'sum_of_cause_groups', member_condition="cause_group != 'all'") }}
),

complete as (
    select * from with_age
    union all
    select * from cause_rollup
)

select
    c.region_id,
    c.year,
    c.data_nature,
    c.data_nature = 'illustrative' as is_illustrative,
    c.measure,
    c.age_group,
    c.sex,
    c.cause_group,
    c.value,
    c.derivation,
    {{ nature_rank }} = b.best_rank as is_preferred_nature,
    c.source_ingested_at,
    -- rows a build wrote carry its watermark (how the benchmark counts rows written)
    {{ raw_ingestion_watermark() }} as built_through_ingested_at
from complete as c
inner join best_nature as b on c.region_id = b.region_id and c.year = b.year and c.measure = b.measure
