-- Count observations (births, deaths, population, health resources) as known at var as_of
-- (null = latest): latest revision per key.
with source as (
    select * from {{ source('raw', 'count_observations') }}
),

latest as (
    {{ latest_revision('source', ['region_id', 'period', 'measure', 'age_group', 'sex', 'cause_group', 'data_nature']) }}
)

select
    region_id,
    period,
    cast(year as integer) as year,
    period = cast(year as {{ dbt.type_string() }}) as is_annual,
    measure,
    age_group,
    sex,
    cause_group,
    cast(value as double) as value,
    source,
    data_nature,
    data_nature = 'illustrative' as is_illustrative,
    file_hash,
    file_path,
    ingested_at,
    run_id,
    revision,
    n_revisions
from latest
