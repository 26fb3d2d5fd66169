-- One row per ingestion attempt of a landing-zone file (loaded, duplicate or rejected).
with source as (
    select * from {{ source('raw', 'ingested_files') }}
)

select
    file_hash,
    file_path,
    file_format,
    layout,
    encoding,
    status,
    message,
    rows_read,
    rows_loaded,
    rows_quarantined,
    file_mtime,
    ingested_at,
    run_id,
    sidecar_hash
from source
