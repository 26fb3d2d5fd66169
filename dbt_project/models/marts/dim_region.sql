-- Regions of the plans, with their parent and whether the source redacts the name.
with regions as (
    select * from {{ ref('stg_regions') }}
),

parents as (
    select
        region_id,
        name_en,
        name_zh
    from regions
)

select
    r.region_id,
    r.name_zh,
    r.name_en,
    r.admin_code,
    r.level,
    r.parent_region_id,
    p.name_en as parent_name_en,
    p.name_zh as parent_name_zh,
    r.is_redacted,
    r.name_source
from regions as r
left join parents as p on r.parent_region_id = p.region_id
