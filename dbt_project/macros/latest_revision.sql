{#- Rows of `relation` as known at var `as_of` (null = everything ingested), keeping per key the
    latest revision: greatest ingested_at, then greatest file_path, then greatest source_row.
    Adds `revision` (1 = first version of the key) and `n_revisions` (versions known). -#}
{%- macro latest_revision(relation, key_columns, honour_as_of=true) -%}
    {%- set as_of = var('as_of', none) if honour_as_of else none -%}
    {%- set key = key_columns | join(', ') -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key }}
                order by ingested_at asc, file_path asc, source_row asc nulls first
            ) as revision,
            count(*) over (partition by {{ key }}) as n_revisions
        from {{ relation }}
        {%- if as_of is not none and as_of != '' %}
        where ingested_at <= cast('{{ as_of }}' as timestamp)
        {%- endif %}
    ) as versions
    where revision = n_revisions
{%- endmacro %}
