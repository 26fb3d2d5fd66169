{#- Incremental by region (docs/models.md#incremental-builds).

    Every region-keyed model downstream of raw data is `materialized='incremental'`,
    `incremental_strategy='delete+insert'`, `unique_key='region_id'`, and calls
    `incremental_scope()` once at its top. In a full build the scope covers every region; in an
    incremental run only the **affected regions**: those with a row in raw.observations or
    raw.count_observations ingested after the model's own watermark, the newest
    `built_through_ingested_at` already in the table. Each row carries
    `built_through_ingested_at` = the newest ingested_at of raw data when its build started, so a
    run that failed (rolled back) leaves the old watermark and the next run redoes its regions.

    The region list is inlined as literals: DuckDB then pushes the filter down to the raw scans
    under the latest-revision window (a subquery would make it read and rank every raw row).
    The watermark is read before the region list, so a row ingested meanwhile is newer than
    the watermark and lands in the next run's affected set. -#}

{%- macro incremental_scope(assessment_year_column=none) -%}
    {#- Returns {'watermark': SQL timestamp literal, 'regions': none (all) or a list of ids}.
        `assessment_year_column`: fail when the table was built for another assessment year. -#}
    {%- set raw_relations = [source('raw', 'observations'), source('raw', 'count_observations')] -%}
    {%- if not execute -%}
        {{ return({'watermark': 'cast(null as timestamp)', 'regions': none}) }}
    {%- endif -%}
    {%- set newest_sql -%}
        select cast(max(ingested_at) as varchar) from (
            {%- for r in raw_relations %}
            select max(ingested_at) as ingested_at from {{ r }}
            {%- if not loop.last %} union all{% endif %}
            {%- endfor %}
        ) as newest
    {%- endset -%}
    {%- set newest = run_query(newest_sql).columns[0].values()[0] -%}
    {%- set watermark = "cast('" ~ newest ~ "' as timestamp)" if newest is not none else 'cast(null as timestamp)' -%}
    {%- if not is_incremental() -%}
        {{ return({'watermark': watermark, 'regions': none}) }}
    {%- endif -%}
    {#- A run or build that cannot be incremental fails loudly; compile and docs just compile. -#}
    {%- set problems = [] -%}
    {%- if var('as_of', none) is not none and var('as_of', none) != '' -%}
        {%- do problems.append('var as_of is set') -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'built_through_ingested_at' not in columns -%}
        {%- do problems.append('it was built before it became incremental (no built_through_ingested_at)') -%}
    {%- elif assessment_year_column is not none -%}
        {%- set built_for = run_query('select max(' ~ assessment_year_column ~ ') from ' ~ this).columns[0].values()[0] -%}
        {%- if built_for is not none and (built_for | int) != (assessment_year() | int) -%}
            {%- do problems.append('it was built for assessment year ' ~ built_for ~ ' and this run assesses ' ~ assessment_year()) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if problems and flags.WHICH in ('run', 'build') -%}
        {{ exceptions.raise_compiler_error(this ~ ' is incremental by region, but ' ~ problems | join('; ') ~ ': build with --full-refresh') }}
    {%- elif problems -%}
        {{ return({'watermark': watermark, 'regions': none}) }}
    {%- endif -%}
    {%- set previous = run_query('select cast(max(built_through_ingested_at) as varchar) from ' ~ this).columns[0].values()[0] -%}
    {%- set regions_sql -%}
        {%- for r in raw_relations %}
        select distinct region_id from {{ r }}
        {%- if previous is not none %} where ingested_at > cast('{{ previous }}' as timestamp){% endif %}
        {%- if not loop.last %} union{% endif %}
        {%- endfor %}
        order by region_id
    {%- endset -%}
    {%- set regions = run_query(regions_sql).columns[0].values() | reject('none') | list -%}
    {%- do log(this ~ ': incremental for ' ~ regions | length ~ ' region(s) ingested after ' ~ previous, info=false) -%}
    {{ return({'watermark': watermark, 'regions': regions}) }}
{%- endmacro -%}

{%- macro in_scope(column, scope) -%}
    {#- SQL predicate: `column` is one of the scope's regions (true in a full build). -#}
    {%- if scope.regions is none -%}
        true
    {%- elif scope.regions | length == 0 -%}
        false
    {%- else -%}
        {{ column }} in ({% for r in scope.regions %}'{{ r | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro -%}

{%- macro delete_stale_region_rows() -%}
    {#- Post-hook of every incremental-by-region model: delete rows older than newer raw data of
        their region (up to the table's watermark). delete+insert replaces only the regions the
        new batch holds; this removes a region whose rows would vanish in a full build (e.g. its
        only computable year lost a denominator), so the table keeps equalling a full build. -#}
    {%- if is_incremental() -%}
        delete from {{ this }} as t
        using (
            select
                region_id,
                max(ingested_at) as newest_ingested_at
            from (
                select region_id, ingested_at from {{ source('raw', 'observations') }}
                union all
                select region_id, ingested_at from {{ source('raw', 'count_observations') }}
            ) as raw_rows
            where
                ingested_at > (
                    select coalesce(min(built_through_ingested_at), cast('-infinity' as timestamp))
                    from {{ this }}
                )
                and ingested_at <= (select max(built_through_ingested_at) from {{ this }})
            group by region_id
        ) as n
        where
            t.region_id = n.region_id
            and (t.built_through_ingested_at is null or t.built_through_ingested_at < n.newest_ingested_at)
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}
