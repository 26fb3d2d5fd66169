-- The one value per region × indicator × year (annual rows) every assessment reads: the
-- publication int_observation_duplicates chose in the best source class of source_precedence,
-- with its conflict flag and resolution note. A reported value without an interval carries the
-- interval computed from counts loaded for the same region × year (same data nature; ci_source
-- says which) when it lies inside that interval; outside it, the note says so instead.
-- series_key / is_spliced / in_latest_series tell a trend or projection whether the preferred
-- values mix two definitions (international estimates before official figures …).
-- The preferred rows of int_resolved_observations, which computes and stores them once.
{{ row_wise_view_config() }}
select
    observation_key,
    region_id,
    indicator_code,
    year,
    value,
    unit,
    preferred_ci_lower as ci_lower,
    preferred_ci_upper as ci_upper,
    ci_source,
    source,
    source_quote,
    data_nature,
    data_status,
    is_illustrative,
    value_source,
    source_class,
    source_rank,
    definition_family,
    series_key,
    is_spliced,
    in_latest_series,
    is_conflict,
    n_publications,
    preferred_resolution_note as resolution_note,
    built_through_ingested_at
from {{ ref('int_resolved_observations') }}
where is_preferred
