-- Latest revision of every count observation (ignores var as_of; see stg_count_observations),
-- ranked once and stored: a table incremental by region (macro incremental_by_region), so its
-- readers and tests scan it instead of re-ranking every raw count row.
{{ incremental_by_region_config() }}
{%- set scope = incremental_scope(honours_as_of=false) %}
{{ counts_at_revision(honour_as_of=false, scope=scope) }}
