{#- Seeds on Spark: dbt-spark's loader (spark__load_csv_rows) binds values into the SQL text
    unescaped in session mode, so an apostrophe breaks the statement and a null is written as the
    text 'None' (dbt-spark #572, dbt-core #6020). These project-level overrides of the adapter's
    macros (dbt dispatches to the root project first) write escaped literals and real nulls, and
    give whole-number columns DuckDB's inferred type (integer, not bigint) so both engines agree.
    Everything else is dbt-spark's own create_csv_table. -#}

{%- macro seed_column_types(model, agate_table) -%}
    {#- Type of each seed column: the seed's column_types, else agate's inference. -#}
    {%- set overrides = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for name in agate_table.column_names -%}
        {%- set inferred = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(overrides.get(name, 'int' if inferred == 'bigint' else inferred)) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro -%}

{%- macro spark_seed_literal(value, type) -%}
    {#- A seed value as a Spark SQL literal of `type` (sql_string: Spark's escapes). -#}
    {%- if value is none -%}
        cast(null as {{ type }})
    {%- else -%}
        cast({{ sql_string(value) }} as {{ type }})
    {%- endif -%}
{%- endmacro -%}

{%- macro spark__load_csv_rows(model, agate_table) -%}
    {%- set types = seed_column_types(model, agate_table) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}{{ spark_seed_literal(value, types[loop.index0]) }}{{ ', ' if not loop.last }}{%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro -%}

{%- macro spark__create_csv_table(model, agate_table) -%}
    {%- set types = seed_column_types(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ types[loop.index0] }}{{ ', ' if not loop.last }}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}{{ sql }}{%- endcall -%}
    {{ return(sql) }}
{%- endmacro -%}
