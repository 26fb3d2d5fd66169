-- Reported observations as known at var as_of (null = latest): latest revision per key with ingested_at <= as_of.
{{ observations_at_revision(honour_as_of=true) }}
