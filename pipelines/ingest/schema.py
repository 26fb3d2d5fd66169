"""DDL of the raw tables (CONTRACTS §2). Ingestion is the only writer of schema ``raw``."""

from __future__ import annotations

import duckdb

_LINEAGE = """
    file_hash varchar not null,
    file_path varchar not null,
    sheet varchar,
    source_row integer,
    ingested_at timestamp not null,
    run_id varchar not null"""

RAW_DDL: dict[str, str] = {
    "ingested_files": """
        file_hash varchar not null,
        file_path varchar not null,
        file_format varchar,
        layout varchar,
        encoding varchar,
        status varchar not null,
        message varchar,
        rows_read bigint not null,
        rows_loaded bigint not null,
        rows_quarantined bigint not null,
        file_mtime timestamp,
        ingested_at timestamp not null,
        run_id varchar not null,
        sidecar_hash varchar,
        check (rows_read = rows_loaded + rows_quarantined)""",
    "observations": _LINEAGE
    + """,
    region_id varchar not null,
    indicator_code varchar not null,
    period varchar not null,
    period_type varchar not null,
    year integer not null,
    value double not null,
    unit varchar not null,
    original_value varchar,
    original_unit varchar,
    source varchar,
    source_quote varchar,
    data_nature varchar not null,
    ci_lower double,
    ci_upper double,
    data_status varchar""",
    "count_observations": _LINEAGE
    + """,
    region_id varchar not null,
    period varchar not null,
    year integer not null,
    measure varchar not null,
    age_group varchar not null,
    sex varchar not null,
    cause_group varchar not null,
    value double not null,
    source varchar,
    data_nature varchar not null""",
    "quarantine": """
        file_hash varchar not null,
        file_path varchar not null,
        sheet varchar,
        source_row integer,
        column_name varchar,
        reason_code varchar not null,
        message varchar not null,
        original_row varchar,
        ingested_at timestamp not null,
        run_id varchar not null""",
}

#: column order of each raw table, for building frames that insert BY NAME.
RAW_COLUMNS: dict[str, list[str]] = {
    table: [
        line.split()[0]
        for line in ddl.strip().splitlines()
        if line.strip() and not line.strip().startswith("check")
    ]
    for table, ddl in RAW_DDL.items()
}


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``raw`` and its four tables if they do not exist (idempotent)."""
    con.execute("create schema if not exists raw")
    for table, ddl in RAW_DDL.items():
        con.execute(f"create table if not exists raw.{table} ({ddl})")
    # added after the first release: sha256 of the file's .source.yml (null without one)
    con.execute("alter table raw.ingested_files add column if not exists sidecar_hash varchar")
    # added with issue 14: preliminary | final as the file says (null: not stated = final)
    con.execute("alter table raw.observations add column if not exists data_status varchar")
