-- Latest revision of every reported observation (ignores var as_of; see stg_observations_as_of).
{{ observations_at_revision(honour_as_of=false) }}
