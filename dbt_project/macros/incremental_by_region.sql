{#- Incremental by region (docs/models.md#incremental-builds).

    Every region-keyed model downstream of raw data is `materialized='incremental'`,
    `incremental_strategy='delete+insert'`, `unique_key='region_id'`, and calls
    `incremental_scope()` once at its top. In a full build the scope covers every region; in an
    incremental run only the **affected regions**: those with a row in raw.observations or
    raw.count_observations of a path that has an arrival (raw.ingested_files: loaded, rejected
    or retracted) after the model's own watermark, the newest `built_through_ingested_at`
    already in the table — a new arrival of a path can withdraw rows of its earlier arrivals
    (latest_revision), so their regions are affected too. Each row carries
    `built_through_ingested_at` = the newest ingested_at of raw data when its build started, so a
    run that failed (rolled back) leaves the old watermark and the next run redoes its regions.
    A pre-hook first deletes the affected regions' rows (see delete_affected_regions).

    The region list is inlined as literals: DuckDB then pushes the filter down to the raw scans
    under the latest-revision window (a subquery would make it read and rank every raw row).
    The watermark is read before the region list, so even a row ingested meanwhile would be
    newer than the watermark and land in the next run's affected set (dbt holds the DuckDB file
    while it runs, so nothing is ingested meanwhile). -#}

{%- macro incremental_scope(assessment_year_column=none, watermark_table=false, honours_as_of=true) -%}
    {#- Returns {'watermark': SQL timestamp literal, 'regions': none (all) or a list of ids}.
        `assessment_year_column`: fail when the table was built for another assessment year.
        `watermark_table`: the model keeps its watermark in intermediate.incremental_watermarks
        (written by the post-hook record_watermark) instead of a column.
        `honours_as_of`: false for a model that ignores var as_of (the stored latest revisions,
        stg_observations and stg_count_observations_latest), which stays incremental under it. -#}
    {#- a dbt unit test (its inputs are fixtures, not relations; it need not give the raw
        sources): all regions -#}
    {%- if model.resource_type == 'unit_test' -%}
        {{ return({'watermark': 'cast(null as timestamp)', 'regions': none}) }}
    {%- endif -%}
    {%- set raw_relations = [source('raw', 'observations'), source('raw', 'count_observations'), source('raw', 'ingested_files')] -%}
    {#- not executing (parsing registered the raw sources above as dependencies): all regions -#}
    {%- if not execute -%}
        {{ return({'watermark': 'cast(null as timestamp)', 'regions': none}) }}
    {%- endif -%}
    {#- raw tables missing (e.g. linting against an empty warehouse): no watermark -#}
    {%- set existing = [] -%}
    {%- for r in raw_relations if load_relation(r) is not none -%}{%- do existing.append(r) -%}{%- endfor -%}
    {%- set newest = none -%}
    {%- if existing -%}
        {%- set newest_sql -%}
            select cast(max(ingested_at) as {{ dbt.type_string() }}) from (
                {%- for r in existing %}
                select max(ingested_at) as ingested_at from {{ r }}
                {%- if not loop.last %} union all{% endif %}
                {%- endfor %}
            ) as newest
        {%- endset -%}
        {%- set newest = run_query(newest_sql).columns[0].values()[0] -%}
    {%- endif -%}
    {%- set watermark = "cast('" ~ newest ~ "' as timestamp)" if newest is not none else 'cast(null as timestamp)' -%}
    {%- if not is_incremental() -%}
        {{ return({'watermark': watermark, 'regions': none}) }}
    {%- endif -%}
    {#- A run or build that cannot be incremental fails loudly; compile and docs just compile. -#}
    {%- set problems = [] -%}
    {%- if honours_as_of and var('as_of', none) is not none and var('as_of', none) != '' -%}
        {%- do problems.append('var as_of is set') -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if watermark_table and load_relation(watermarks_relation()) is none -%}
        {%- do problems.append('no watermark is recorded in ' ~ watermarks_relation()) -%}
    {%- elif not watermark_table and 'built_through_ingested_at' not in columns -%}
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
    {%- set previous = run_query('select cast(' ~ model_watermark(watermark_table) ~ ' as ' ~ dbt.type_string() ~ ')').columns[0].values()[0] -%}
    {%- set regions = run_query(affected_regions_query(watermark_table)).columns[0].values() | reject('none') | list -%}
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
        {{ column }} in ({{ sql_string_list(scope.regions) }})
    {%- endif -%}
{%- endmacro -%}

{%- macro affected_regions_query(watermark_table=false) -%}
    {#- Regions with a raw row of a path that arrived after the model's watermark (all regions
        when empty): the new rows and the rows the arrival withdrew. -#}
    {%- for r in [source('raw', 'observations'), source('raw', 'count_observations')] %}
    {{ select_arrived_after('region_id', r, model_watermark(watermark_table)) }}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
    order by region_id
{%- endmacro -%}

{%- macro delete_affected_regions(watermark_table=false) -%}
    {{- return(adapter.dispatch('delete_affected_regions')(watermark_table)) -}}
{%- endmacro -%}

{%- macro default__delete_affected_regions(watermark_table=false) -%}
    {#- Pre-hook of every incremental-by-region model (inside the model's transaction): delete
        every row of the affected regions first. delete+insert alone replaces only the regions
        the new rows hold, and would keep a region whose rows vanish in a full build (e.g. its
        only computable year lost its denominator). Same query, same table state, same raw data
        (dbt holds the DuckDB file) as incremental_scope(), so the same regions. -#}
    {%- if is_incremental() -%}
        delete from {{ this }} where region_id in ({{ affected_regions_query(watermark_table) }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}

{%- macro changed_count_cells() -%}
    {#- int_counts_annual (incremental by region × year): the region × year cells with a count
        row of a path that arrived after the newest arrival the table already holds, as
        'region_id|year' strings (empty outside execution). A county's count file changes its
        own cells; a register of one year, that year in every region. -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set cell = "region_id || '|' || cast(cast(year as integer) as " ~ dbt.type_string() ~ ") as cell" -%}
    {%- set sql -%}
        {{ select_arrived_after(cell, source('raw', 'count_observations'), '(select max(built_through_ingested_at) from ' ~ this ~ ')') }}
        order by cell
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values() | reject('none') | list) }}
{%- endmacro -%}

{%- macro changed_count_years() -%}
    {#- The years of changed_count_cells(), as integers (Spark rebuilds whole year partitions). -#}
    {%- set years = [] -%}
    {%- for cell in changed_count_cells() -%}{%- do years.append(cell.rsplit('|', 1)[1] | int) -%}{%- endfor -%}
    {{ return(years | unique | sort | list) }}
{%- endmacro -%}

{%- macro count_cells_filter(cells) -%}
    {{- return(adapter.dispatch('count_cells_filter')(cells)) -}}
{%- endmacro -%}

{%- macro default__count_cells_filter(cells) -%}
    {#- Rows of the given 'region_id|year' cells (false when none). The region and year lists
        come first so DuckDB prunes the scan before comparing the cell. -#}
    {%- if cells -%}
        {%- set regions = [] -%}
        {%- set years = [] -%}
        {%- for cell in cells -%}
            {%- do regions.append(cell.rsplit('|', 1)[0]) -%}
            {%- do years.append(cell.rsplit('|', 1)[1]) -%}
        {%- endfor -%}
        {%- set regions = regions | unique | list -%}
        {%- set years = years | unique | list -%}
        region_id in ({{ sql_string_list(regions) }})
        and year in ({{ years | join(', ') }})
        and region_id || '|' || cast(year as {{ dbt.type_string() }}) in ({{ sql_string_list(cells) }})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro -%}

{%- macro delete_changed_count_years() -%}
    {{- return(adapter.dispatch('delete_changed_count_years')()) -}}
{%- endmacro -%}

{%- macro default__delete_changed_count_years() -%}
    {#- Pre-hook of int_counts_annual: delete the changed region × year cells first, so a cell
        whose count rows were all withdrawn disappears as in a full build (delete+insert alone
        keeps it). -#}
    {%- if is_incremental() and var('as_of', none) is none -%}
        delete from {{ this }} where {{ count_cells_filter(changed_count_cells()) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}


{%- macro watermarks_relation() -%}
    {{- return(schema_relation('intermediate', 'incremental_watermarks')) -}}
{%- endmacro -%}

{%- macro model_watermark(watermark_table=false) -%}
    {#- SQL scalar: the model's watermark (null when nothing is recorded). -#}
    {%- if watermark_table -%}
        (select max(built_through_ingested_at) from {{ watermarks_relation() }} where model = {{ sql_string(this.identifier) }})
    {%- else -%}
        (select max(built_through_ingested_at) from {{ this }})
    {%- endif -%}
{%- endmacro -%}

{%- macro record_watermark() -%}
    {{- return(adapter.dispatch('record_watermark')()) -}}
{%- endmacro -%}

{%- macro default__record_watermark() -%}
    {#- Post-hook of a model that must keep exactly its published columns (fct_target_assessment):
        its watermark, the newest raw ingested_at, in intermediate.incremental_watermarks, in the
        model's transaction (dbt holds the DuckDB file, so raw cannot change during the run). -#}
    {{ create_watermarks_table() }};
    delete from {{ watermarks_relation() }} where model = {{ sql_string(this.identifier) }};
    insert into {{ watermarks_relation() }}
    select {{ sql_string(this.identifier) }}, {{ raw_ingestion_watermark() }}
{%- endmacro -%}

{%- macro raw_ingestion_watermark() -%}
    {#- SQL scalar: the newest arrival of raw data (what a build has seen); a retraction or a
        rejection is an arrival too, though it adds no rows. -#}
    greatest(
        (select max(ingested_at) from {{ source('raw', 'observations') }}),
        (select max(ingested_at) from {{ source('raw', 'count_observations') }}),
        (select max(ingested_at) from {{ source('raw', 'ingested_files') }})
    )
{%- endmacro -%}

{%- macro select_arrived_after(columns, relation, watermark_sql) -%}
    {#- `select distinct <columns>` over the rows of raw `relation` that arrived after
        `watermark_sql` (a scalar subquery; every row when it is null) or whose path has an
        arrival since (the rows that arrival withdrew). The arrived paths are read first and
        inlined as literals, each condition in its own branch: DuckDB then prunes the raw scan
        by its zonemaps (rows are stored in arrival order) instead of comparing every row's
        path with a subquery's (at M 0.16–0.49 s a query before, 18–23 ms after; it runs twice
        per incremental model, docs/benchmark.md). -#}
    {%- set paths = arrived_paths(watermark_sql) -%}
    select distinct {{ columns }} from {{ relation }}
    where ingested_at > coalesce({{ watermark_sql }}, {{ earliest_timestamp() }})
    {%- if paths %}
    union
    select distinct {{ columns }} from {{ relation }}
    where file_path in ({{ sql_string_list(paths) }})
    {%- endif %}
{%- endmacro -%}

{%- macro arrived_paths(watermark_sql) -%}
    {#- The landing-zone paths with an arrival after `watermark_sql`, read now (none when it is
        null: then every row is newer than it anyway; none outside execution). -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set sql -%}
        select file_path from {{ source('raw', 'ingested_files') }}
        where ingested_at > {{ watermark_sql }}
        order by file_path
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values() | list) }}
{%- endmacro -%}

{%- macro incremental_by_region_config(watermark_table=false) -%}
    {{- return(adapter.dispatch('incremental_by_region_config')(watermark_table)) -}}
{%- endmacro -%}

{%- macro default__incremental_by_region_config(watermark_table=false) -%}
    {#- The config every incremental-by-region model shares (called at the top of the model). -#}
    {%- set hook = '{{ delete_affected_regions(watermark_table=true) }}' if watermark_table else '{{ delete_affected_regions() }}' -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='region_id',
        on_schema_change='fail',
        pre_hook=hook,
        post_hook=['{{ record_watermark() }}'] if watermark_table else [],
    ) }}
{%- endmacro -%}

{%- macro incremental_by_year_config() -%}
    {#- The config of int_counts_annual: incremental by region × year on DuckDB (a changed cell is
        rebuilt whole); Spark drops and overwrites whole year partitions (cross_engine). -#}
    {{- return(adapter.dispatch('incremental_by_year_config')()) -}}
{%- endmacro -%}

{%- macro default__incremental_by_year_config() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['region_id', 'year'],
        on_schema_change='fail',
        pre_hook='{{ delete_changed_count_years() }}',
    ) }}
{%- endmacro -%}
