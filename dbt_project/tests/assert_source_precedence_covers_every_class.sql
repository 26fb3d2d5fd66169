-- source_precedence has exactly one row per data_nature × value_source: every raw data nature
-- (official, international_estimate, illustrative) reported or computed has one rank, so
-- int_indicator_observations' inner join never drops a value and never doubles one.
with expected as (
    select
        n.data_nature,
        s.value_source
    from (
        select 'official' as data_nature
        union all
        select 'international_estimate'
        union all
        select 'illustrative'
    ) as n
    cross join (
        select 'reported' as value_source
        union all
        select 'computed'
    ) as s
),

counted as (
    select
        e.data_nature,
        e.value_source,
        count(p.source_rank) as n_rows
    from expected as e
    left join {{ ref('source_precedence') }} as p
        on e.data_nature = p.data_nature and e.value_source = p.value_source
    group by e.data_nature, e.value_source
)

select * from counted
where n_rows != 1
