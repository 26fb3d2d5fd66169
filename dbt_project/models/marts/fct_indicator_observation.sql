-- Every indicator value the warehouse knows, reported and computed side by side, as known at
-- var as_of (int_indicator_observations). `is_preferred` marks, per region × indicator × year
-- (annual rows), the one value the target assessment uses: the publication
-- int_observation_duplicates chose (int_preferred_observations reads those rows); every annual
-- row of a year with several publications carries that year's is_conflict and resolution_note,
-- so no figure disappears silently. The rows of int_resolved_observations, which stores them once.
{{ row_wise_view_config() }}
-- every column but the ones only int_preferred_observations reads
select
    {{ star_excluding(['definition_family', 'preferred_ci_lower', 'preferred_ci_upper', 'ci_source', 'n_publications', 'is_spliced', 'in_latest_series', 'preferred_resolution_note']) }}
from {{ ref('int_resolved_observations') }}
