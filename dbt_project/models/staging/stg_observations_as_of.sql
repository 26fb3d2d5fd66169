-- Reported observations as known at var as_of: latest revision per key with ingested_at <= as_of.
-- With as_of null (every ordinary build) that is the stored latest revision, read as it is.
-- depends_on: {{ ref('stg_observations') }}
{%- if var('as_of', none) is not none and var('as_of', none) != '' %}
{{ observations_at_revision(honour_as_of=true) }}
{%- else %}
select {{ star_excluding(['built_through_ingested_at']) }}
from {{ ref('stg_observations') }}
{%- endif %}
