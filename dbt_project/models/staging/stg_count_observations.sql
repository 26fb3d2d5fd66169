-- Count observations (births, deaths, population, health resources) as known at var as_of:
-- latest revision per key with ingested_at <= as_of. With as_of null (every ordinary build) that
-- is the stored latest revision (stg_count_observations_latest), read as it is.
-- depends_on: {{ ref('stg_count_observations_latest') }}
{%- if var('as_of', none) is not none and var('as_of', none) != '' %}
{{ counts_at_revision(honour_as_of=true) }}
{%- else %}
select {{ star_excluding(['built_through_ingested_at']) }}
from {{ ref('stg_count_observations_latest') }}
{%- endif %}
