-- Every indicator value the warehouse knows, reported and computed side by side, as known at
-- var as_of (int_indicator_observations). `is_preferred` marks, per region × indicator × year
-- (annual rows), the one value the target assessment uses: the publication
-- int_observation_duplicates chose (int_preferred_observations reads those rows); every annual
-- row of a year with several publications carries that year's is_conflict and resolution_note,
-- so no figure disappears silently. The rows of int_resolved_observations, which stores them once.
{{ row_wise_view_config() }}
select
    observation_key,
    region_id,
    indicator_code,
    period,
    period_type,
    year,
    value,
    unit,
    ci_lower,
    ci_upper,
    value_source,
    data_nature,
    is_illustrative,
    source,
    source_quote,
    data_status,
    source_class,
    series_key,
    method,
    numerator,
    denominator,
    file_path,
    file_hash,
    source_row,
    ingested_at,
    revision,
    n_revisions,
    preference_rank,
    source_rank,
    is_preferred,
    is_conflict,
    resolution_note,
    built_through_ingested_at
from {{ ref('int_resolved_observations') }}
