{#- Scoping the generic data tests of an incremental run to the affected regions
    (docs/models.md#incremental-builds, docs/operations.md#incremental-runs).

    dbt wraps the model a generic test reads in get_where_subquery() (at execution, not at
    parse). This override adds, on top of a test's own `where`, the filter
    `region_id in (<affected regions>)` when the run that called dbt says which regions it
    rebuilds: environment variable HEALTHPLAN_TEST_REGIONS, a JSON list written by the Dagster dbt
    asset (orchestration/assets/dbt.py) for an incremental build only. Unset (a full rebuild, a
    plain `dbt build`): every row is tested, as before.

    A test is scoped only when its result over all regions is the union of its results per region,
    so what it would find outside the scope is what it found before (those rows were not rebuilt):
    * the tested relation has a `region_id` column, and
    * the test is row-local (not_null, accepted_values, relationships, and any test not listed
      in region_test_scope_keyed), or a uniqueness test whose key contains the region:
      `region_id` itself, a combination that includes it, or a key built with the region as its
      first part (observation_key, assessment_key: macros/observations_at_revision.sql,
      int_assessment_frame, int_indicator_observations).
    A uniqueness test over any other column is never scoped (a duplicate may span regions).

    The regions are inlined as literals (as in incremental_scope): DuckDB pushes the filter down
    to the raw scans under the staging views' latest-revision window. The environment variable is
    read only when executing, so it is not part of dbt's parse state and partial parsing is kept. -#}

{%- macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set scope = region_test_scope(relation) -%}
    {%- if where or scope -%}
        {%- set filtered -%}
            (select * from {{ relation }} where ({{ where or 'true' }}) and ({{ scope or 'true' }})) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro -%}

{#- Uniqueness tests: scoped only when the key holds the region (see above). -#}
{%- macro region_test_scope_keyed() -%}
    {{- return({'unique': ['region_id', 'observation_key', 'assessment_key'], 'unique_combination': ['region_id']}) -}}
{%- endmacro -%}

{%- macro region_test_scope(relation) -%}
    {#- SQL predicate limiting this test to the run's affected regions, or none (test every row). -#}
    {%- set regions_json = test_regions_json() -%}
    {%- if not regions_json or model.get('resource_type') != 'test' -%}{{ return(none) }}{%- endif -%}
    {%- set meta = model.get('test_metadata') or {} -%}
    {%- set name = meta.get('name', '') -%}
    {%- set kwargs = meta.get('kwargs') or {} -%}
    {%- set keyed = region_test_scope_keyed() -%}
    {%- if name in keyed -%}
        {%- set key_columns = [kwargs.get('column_name')] if name == 'unique' else (kwargs.get('columns') or []) -%}
        {%- if not (key_columns | select('in', keyed[name]) | list) -%}{{ return(none) }}{%- endif -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if 'region_id' not in columns -%}{{ return(none) }}{%- endif -%}
    {{ return(region_scope_predicate('region_id', regions_json)) }}
{%- endmacro -%}

{#- The same scope for a singular test whose result over all regions is the union of its results
    per region (it filters or groups by the region): `where ... and {{ singular_test_scope() }}`.
    'true' (every row) unless the run says which regions it rebuilt. -#}
{%- macro singular_test_scope(column='region_id') -%}
    {%- set regions_json = test_regions_json() -%}
    {%- if not regions_json -%}{{ return('true') }}{%- endif -%}
    {{ return(region_scope_predicate(column, regions_json)) }}
{%- endmacro -%}

{#- The run's affected regions as a JSON list, '' for none (a full rebuild, a plain dbt build, or
    parsing: the variable is read only when executing, so partial parsing is kept). -#}
{%- macro test_regions_json() -%}
    {{ return(env_var('HEALTHPLAN_TEST_REGIONS', '') if execute else '') }}
{%- endmacro -%}

{#- `column in (<regions>)`, behind the marker comment that tells the run which tests were scoped
    (orchestration/assets/dbt.py). -#}
{%- macro region_scope_predicate(column, regions_json) -%}
    {{ return('/* healthplan: test scope */ ' ~ in_scope(column, {'regions': fromjson(regions_json)})) }}
{%- endmacro -%}
