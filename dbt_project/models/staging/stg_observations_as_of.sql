-- Reported observations as known at var as_of (null = latest): latest revision per key with ingested_at <= as_of.
with source as (
    select * from {{ source('raw', 'observations') }}
),

latest as (
    {{ latest_revision('source', ['region_id', 'indicator_code', 'period', 'data_nature'], honour_as_of=true) }}
)

select
    region_id,
    indicator_code,
    period,
    period_type,
    cast(year as integer) as year,
    cast(value as double) as value,
    unit,
    cast(ci_lower as double) as ci_lower,
    cast(ci_upper as double) as ci_upper,
    original_value,
    original_unit,
    source,
    source_quote,
    data_nature,
    data_nature = 'illustrative' as is_illustrative,
    file_hash,
    file_path,
    sheet,
    source_row,
    ingested_at,
    run_id,
    revision,
    n_revisions,
    region_id || '|' || indicator_code || '|' || period || '|' || data_nature as observation_key
from latest
