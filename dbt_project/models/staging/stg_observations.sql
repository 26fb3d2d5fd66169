-- Latest revision of every reported observation (ignores var as_of; see stg_observations_as_of),
-- ranked once and stored: a table incremental by region (macro incremental_by_region), so its
-- readers and tests scan it instead of re-ranking every raw row.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope(honours_as_of=false) %}
{{ observations_at_revision(honour_as_of=false, scope=scope) }}
