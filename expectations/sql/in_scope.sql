-- A suite's frame in scope (expectations/carry_forward.py, scoped_sql): the rows of the
-- affected regions, and any row without a region (never carried forward). Template: the query
-- placeholder is the frame's own SQL, the regions placeholder the regions as quoted literals
-- (inlined, so DuckDB pushes the filter down to the scans).
select * from (
    {query}
) as scoped
where scoped.region_id in ({regions}) or scoped.region_id is null
