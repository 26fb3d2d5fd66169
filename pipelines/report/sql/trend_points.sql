-- Yearly values of the wanted region × indicator pairs (the relation `_wanted`, registered by
-- pipelines.report.queries.trend_points) with each point's sources and data natures: the
-- preferred figure of the year where the fact marks one (is_preferred), else the yearly mean;
-- ordered by pair and year (pipelines.report.queries.trend_points cuts the columns per pair).
-- `union all by name` with an empty row gives a fact without source, data_nature or
-- is_preferred (a warehouse built before they existed, a test fixture) those columns as null:
-- no source, no nature, every row counts.
with observations as (
    select * from marts.fct_indicator_observation
    union all by name
    select
        null::varchar as source,
        null::varchar as data_nature,
        null::boolean as is_preferred
    where false
)

select
    o.region_id,
    o.indicator_code,
    cast(o.year as integer) as year,
    avg(o.value) as value,
    coalesce(string_agg(distinct o.source, '；'), '') as source,
    coalesce(string_agg(distinct o.data_nature, '；'), '') as nature
from observations as o
inner join _wanted as w on o.region_id = w.region_id and o.indicator_code = w.indicator_code
where o.value is not null and coalesce(o.is_preferred, true)
group by all
order by o.region_id, o.indicator_code, year
