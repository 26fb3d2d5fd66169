"""DDL of the raw tables (CONTRACTS §2). Ingestion is the only writer of schema ``raw``.

:data:`RAW_DDL` is what readers see. The data rows are stored narrower than they read:
``raw.observations`` and ``raw.count_observations`` are views of ``raw.observation_rows`` and
``raw.count_rows`` joined to their file's arrival in ``raw.ingested_files`` (``arrival_id``). All
the rows of a file share its hash, path, arrival time and run; written on every row they were a
fifth of a register's count rows' width and of ingestion's time at L (docs/benchmark.md), and the
arrival holds them once anyway. A register's count rows are narrower still (:data:`REGISTER_ROWS`).
"""

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

#: the columns every row of a file shares (its lineage; the file's arrival holds them too).
FILE_LINEAGE = ("file_hash", "file_path", "ingested_at", "run_id")

#: The integer key of an arrival (one row of ``raw.ingested_files``), from this sequence.
ARRIVAL_KEY = "arrival_id"
_ARRIVALS_SEQUENCE = "raw.arrival_ids"

#: Raw tables read through a view: the rows are stored in the second table, keyed by arrival,
#: without the file's lineage, which the view takes from the arrival.
STORED_BY_ARRIVAL: dict[str, str] = {
    "observations": "observation_rows",
    "count_observations": "count_rows",
}

#: The count rows of registers (deaths and births aggregated from their records by DuckDB,
#: :mod:`pipelines.ingest.registers`) are stored in a table of their own, narrower than a count
#: table's: no sheet or source row (a count sums many records), the period is the year, and the
#: source and data nature, one per register file, are its arrival's (:data:`REGISTER_ARRIVALS`).
#: ``raw.count_observations`` reads both stored tables. At L the registers write ≈ 4 M count rows:
#: these five columns were a third of their write, and in one table with the count tables' rows
#: DuckDB's checkpoint merged the files' part-filled row groups for seconds (docs/benchmark.md).
REGISTER_ROWS = "register_count_rows"
REGISTER_ARRIVALS = "register_arrivals"
#: the columns of a register's count row that are derived, not stored (SQL over ``r``).
_REGISTER_DERIVED = {
    "sheet": "cast(null as varchar)",
    "source_row": "cast(null as integer)",
    "period": "cast(r.year as varchar)",
}
#: the columns a register file gives all its count rows, stored once per arrival.
REGISTER_ARRIVAL_COLUMNS = ("source", "data_nature")

#: column order of each raw table, for building frames that insert BY NAME.
RAW_COLUMNS: dict[str, list[str]] = {
    table: [
        line.split()[0]
        for line in ddl.strip().splitlines()
        if line.strip() and not line.strip().startswith("check")
    ]
    for table, ddl in RAW_DDL.items()
}


#: The stored columns of a register's count rows, after the arrival key.
REGISTER_COLUMNS = [
    c
    for c in RAW_COLUMNS["count_observations"]
    if c not in FILE_LINEAGE and c not in _REGISTER_DERIVED and c not in REGISTER_ARRIVAL_COLUMNS
]


def _keyed_ddl(table: str, columns: list[str] | tuple[str, ...]) -> str:
    """The DDL of a stored table: the arrival key, then ``columns`` as raw ``table`` declares
    them (one definition of their types and nullability: :data:`RAW_DDL`)."""
    declared = {
        line.split()[0]: line.strip().rstrip(",")
        for line in RAW_DDL[table].strip().splitlines()
        if line.strip() and not line.strip().startswith("check")
    }
    return ",\n    ".join([f"{ARRIVAL_KEY} integer not null", *(declared[c] for c in columns)])


def _stored_ddl(table: str) -> str:
    """The DDL of the table that stores ``table``'s rows: the arrival key, then every column of
    ``table`` but the file's lineage."""
    return _keyed_ddl(table, [c for c in RAW_COLUMNS[table] if c not in FILE_LINEAGE])


#: The DDL of the register storage (:data:`REGISTER_ROWS`, :data:`REGISTER_ARRIVALS`).
REGISTER_DDL = {
    REGISTER_ROWS: _keyed_ddl("count_observations", REGISTER_COLUMNS),
    REGISTER_ARRIVALS: _keyed_ddl("count_observations", REGISTER_ARRIVAL_COLUMNS),
}


#: The last column of a view of a table stored by arrival, after the contract's: its stored
#: row's ``rowid`` (a view has none), for dbt's latest-revision ranking to read rows back by
#: (dbt_project/macros/latest_revision.sql).
STORED_ROWID = "stored_rowid"


def _view_sql(table: str) -> str:
    """``table`` as readers see it: its stored rows with their arrival's lineage, in contract
    column order, then :data:`STORED_ROWID`. An inner join: every stored row was written with
    its arrival."""
    stored = STORED_BY_ARRIVAL[table]
    columns = ", ".join(f"f.{c}" if c in FILE_LINEAGE else f"s.{c}" for c in RAW_COLUMNS[table])
    sql = (
        f"select {columns}, s.rowid as {STORED_ROWID} from raw.{stored} as s "
        f"inner join raw.ingested_files as f on s.{ARRIVAL_KEY} = f.{ARRIVAL_KEY}"
    )
    return sql + " union all " + _register_view_sql() if table == "count_observations" else sql


def _register_view_sql() -> str:
    """The registers' count rows as ``raw.count_observations`` reads them. Their
    :data:`STORED_ROWID` is negative (−1 − rowid): unique across the view's two stored tables."""

    def column(c: str) -> str:
        if c in FILE_LINEAGE:
            return f"f.{c}"
        if c in _REGISTER_DERIVED:
            return f"{_REGISTER_DERIVED[c]} as {c}"
        return f"a.{c}" if c in REGISTER_ARRIVAL_COLUMNS else f"r.{c}"

    columns = ", ".join(column(c) for c in RAW_COLUMNS["count_observations"])
    key = ARRIVAL_KEY
    joins = (
        f"inner join raw.ingested_files as f on r.{key} = f.{key} "
        f"inner join raw.{REGISTER_ARRIVALS} as a on r.{key} = a.{key}"
    )
    return f"select {columns}, -1 - r.rowid as {STORED_ROWID} from raw.{REGISTER_ROWS} as r {joins}"


def next_arrival_id(con: duckdb.DuckDBPyConnection) -> int:
    """A new arrival key (the file's ``raw.ingested_files`` row and its stored rows carry it)."""
    row = con.execute(f"select nextval('{_ARRIVALS_SEQUENCE}')").fetchone()
    assert row is not None
    return int(row[0])


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``raw``, its tables and views if they do not exist (idempotent); move a
    warehouse made before the data rows were stored by arrival to that layout (call it
    outside a transaction)."""
    con.execute("create schema if not exists raw")
    con.execute(f"create sequence if not exists {_ARRIVALS_SEQUENCE}")
    for table, ddl in RAW_DDL.items():
        if table == "ingested_files":  # its storage column, after the contract's
            ddl += f",\n    {ARRIVAL_KEY} integer"
        if table not in STORED_BY_ARRIVAL:
            con.execute(f"create table if not exists raw.{table} ({ddl})")
    # added after the first release: sha256 of the file's .source.yml (null without one); before
    # the arrivals are numbered, whose checkpoint keeps this alteration out of the log too
    con.execute("alter table raw.ingested_files add column if not exists sidecar_hash varchar")
    _number_arrivals(con)
    _ensure_register_storage(con)  # before any view reads it
    for table, stored in STORED_BY_ARRIVAL.items():
        con.execute(f"create table if not exists raw.{stored} ({_stored_ddl(table)})")
        # a table made before moves (one without data_status, added with issue 14, gets nulls:
        # not stated = final)
        _move_to_arrival_storage(con, table)
        con.execute(f"create view if not exists raw.{table} as {_view_sql(table)}")


def _table_type(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """``BASE TABLE``, ``VIEW`` or None: what ``raw.<name>`` is."""
    row = con.execute(
        "select table_type from information_schema.tables "
        "where table_schema = 'raw' and table_name = ?",
        [name],
    ).fetchone()
    return str(row[0]) if row else None


def _ensure_register_storage(con: duckdb.DuckDBPyConnection) -> None:
    """Create the register storage if missing and, in the same transaction, point a count view
    made before it at it too (a crash leaves both or neither). Such a warehouse keeps its
    register rows in ``raw.count_rows``, which the view reads as before."""
    if _table_type(con, REGISTER_ROWS):
        return
    con.begin()
    try:
        for name, ddl in REGISTER_DDL.items():
            con.execute(f"create table raw.{name} ({ddl})")
        if _table_type(con, "count_observations") == "VIEW":
            sql = _view_sql("count_observations")
            con.execute(f"create or replace view raw.count_observations as {sql}")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    con.execute("checkpoint")  # schema changes never wait in the log (see _number_arrivals)


def _number_arrivals(con: duckdb.DuckDBPyConnection) -> None:
    """Add ``arrival_id`` to a ``raw.ingested_files`` made before it (a storage column, not in
    the contract), numbering the arrivals already there, then checkpoint: DuckDB 1.5 cannot
    replay an ``alter table … add column`` of a table with a CHECK constraint from its log after
    a crash (the warehouse would not open), so the alteration never stays in the log. No column
    default either (one of ``nextval`` cannot be replayed at all): every writer of an arrival
    sets it (:func:`next_arrival_id`)."""
    columns = con.execute(
        "select column_name from duckdb_columns() where schema_name = 'raw' and table_name = ?",
        ["ingested_files"],
    ).fetchall()
    if (ARRIVAL_KEY,) in columns:
        return
    con.execute(f"alter table raw.ingested_files add column {ARRIVAL_KEY} integer")
    con.execute(
        f"update raw.ingested_files set {ARRIVAL_KEY} = nextval('{_ARRIVALS_SEQUENCE}') "
        f"where {ARRIVAL_KEY} is null"
    )
    con.execute("checkpoint")


def _move_to_arrival_storage(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Once per warehouse made before: move ``raw.<table>``'s rows into its stored table (each
    row to its file's arrival, matched on the lineage), drop the table; the view replaces it.

    Raises:
        RuntimeError: the rows moved are not as many as the rows there (a row matched no
            arrival, or several); this table is left as it was then.
    """
    if _table_type(con, table) != "BASE TABLE":
        return
    stored = STORED_BY_ARRIVAL[table]
    lineage, arrivals = ", ".join(FILE_LINEAGE), "raw.ingested_files"
    con.begin()
    try:
        con.execute(
            f"insert into raw.{stored} by name select t.* exclude ({lineage}), f.{ARRIVAL_KEY} "
            f"from raw.{table} t join {arrivals} f using ({lineage})"
        )
        moved, before = con.execute(
            f"select (select count(*) from raw.{stored}), (select count(*) from raw.{table})"
        ).fetchone() or (0, 0)
        if moved != before:
            raise RuntimeError(
                f"raw.{table}: {before} rows, {moved} matched to exactly one arrival in "
                "raw.ingested_files (by file_hash, file_path, ingested_at, run_id); not moved"
            )
        con.execute(f"drop table raw.{table}")
        con.execute(f"create view raw.{table} as {_view_sql(table)}")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    con.execute("checkpoint")
