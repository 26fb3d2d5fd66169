-- Rows ingestion refused, with the reason, file, row and column.
with source as (
    select * from {{ source('raw', 'quarantine') }}
)

select
    file_hash,
    file_path,
    sheet,
    source_row,
    column_name,
    reason_code,
    message,
    original_row,
    ingested_at,
    run_id
from source
