"""What a dbt invocation did, from its ``run_results.json`` and ``manifest.json``.

Nodes by type and status, execution seconds, rows written (tables rebuilt, seeds loaded, and for
the region-incremental models only the rows the build wrote), and which models compute
indicators (the "computed indicators" stage).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from bench.dbt_path import node_spans
from pipelines.db import scalar as query_value


def summarise_run_results(results: dict[str, Any]) -> dict[str, Any]:
    """Work done by a dbt invocation: nodes by type and status, execution seconds, rows."""
    by_type: dict[str, dict[str, int]] = {}
    exec_s: dict[str, float] = {}
    rows = 0
    for node in results.get("results", []):
        kind = node["unique_id"].split(".")[0]
        status = str(node.get("status"))
        by_type.setdefault(kind, {}).setdefault(status, 0)
        by_type[kind][status] += 1
        exec_s[kind] = exec_s.get(kind, 0.0) + float(node.get("execution_time") or 0.0)
        affected = (node.get("adapter_response") or {}).get("rows_affected")
        if isinstance(affected, int) and affected > 0:
            rows += affected
    return {
        "dbt_elapsed_s": float(results.get("elapsed_time") or 0.0),
        "nodes": by_type,
        "execution_s_by_type": {k: round(v, 2) for k, v in exec_s.items()},
        "rows_affected": rows,
        "node_spans": node_spans(results),
    }


def sql_share(log: Path, summary: dict[str, Any]) -> dict[str, Any]:
    """How much of an invocation's node time its SQL took, from the debug log it wrote beside
    ``run_results.json`` (each ``SQLQueryStatus`` event gives a statement's seconds) and the
    invocation's :func:`summarise_run_results`.

    ``node_s`` is the nodes' summed ``execution_time`` (over dbt's threads), ``sql_s`` the
    statements' summed seconds; ``dbt_own_s`` the rest: compiling, rendering Jinja, the
    adapter's calls, which dbt pays per node whatever the rows. Empty without a readable JSON
    log (a run's dbt, started by dagster-dbt, writes one).
    """
    statements, seconds = 0, 0.0
    try:
        with log.open(encoding="utf-8") as fh:
            for line in fh:
                if '"SQLQueryStatus"' not in line:
                    continue
                try:
                    event = json.loads(line)
                except ValueError:  # a line cut short (dbt stopped while writing it)
                    continue
                if event.get("info", {}).get("name") == "SQLQueryStatus":
                    statements += 1
                    seconds += float(event.get("data", {}).get("elapsed") or 0.0)
    except OSError:
        return {}
    if not statements:  # not a debug log of JSON lines: no split to give
        return {}
    node_s = sum(summary["execution_s_by_type"].values())
    return {
        "nodes": sum(n for statuses in summary["nodes"].values() for n in statuses.values()),
        "node_s": round(node_s, 2),
        "sql_statements": statements,
        "sql_s": round(seconds, 2),
        "dbt_own_s": round(max(node_s - seconds, 0.0), 2),
    }


def sql_share_note(name: str, share: dict[str, Any]) -> str:
    """One line for the printed notes from :func:`sql_share`'s figures."""
    own, total = share["dbt_own_s"], share["node_s"]
    return (
        f"{name}: dbt ran {share['nodes']} nodes for {total:.1f} s of node time (summed over its "
        f"threads), {share['sql_s']:.1f} s of it in {share['sql_statements']} SQL statements; "
        f"{own:.1f} s ({own / total:.0%}) is dbt's own work per node (compiling, Jinja, the "
        "adapter's calls)"
        if total
        else f"{name}: dbt ran no node"
    )


def rows_written(db: Path, manifest: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Rows a dbt invocation wrote: seeds' inserted rows + the size of every table it rebuilt.

    dbt-duckdb reports ``rows_affected`` for seeds only; a model materialised as a table is
    rewritten whole, so its row count is what the run wrote. Views write nothing. An incremental
    model with a ``built_through_ingested_at`` column counts the rows carrying the build's
    watermark, the newest raw ``ingested_at`` (those the build wrote); other incremental models are counted whole (an upper
    bound) and listed in ``incremental_counted_whole``.
    """
    nodes = manifest.get("nodes", {})
    seeds = 0
    tables: dict[str, int] = {}
    incremental: list[str] = []
    counted_whole: list[str] = []
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return {}
    with con:
        for r in results.get("results", []):
            uid = r["unique_id"]
            if r.get("status") != "success":
                continue
            affected = (r.get("adapter_response") or {}).get("rows_affected")
            if uid.startswith("seed.") and isinstance(affected, int):
                seeds += affected
                continue
            node = nodes.get(uid, {})
            materialized = node.get("config", {}).get("materialized")
            if not uid.startswith("model.") or materialized not in {"table", "incremental"}:
                continue
            name = f"{node.get('schema')}.{node.get('alias') or node.get('name')}"
            sql = f"select count(*) from {name}"
            if materialized == "incremental":
                incremental.append(uid.split(".")[-1])
                if WATERMARK_COLUMN in _columns(con, name):
                    # the rows this build wrote carry its watermark (the newest raw ingestion);
                    # rows kept from earlier builds carry older ones
                    sql += f" where {WATERMARK_COLUMN} = ({RAW_WATERMARK_SQL})"
                elif name in WATERMARK_PROXY:
                    # same regions as the model it is built from (its watermark is in a table)
                    proxy = WATERMARK_PROXY[name]
                    sql += (
                        f" where region_id in (select region_id from {proxy} "
                        f"where {WATERMARK_COLUMN} = ({RAW_WATERMARK_SQL}))"
                    )
                else:
                    counted_whole.append(uid.split(".")[-1])  # an upper bound
            try:
                tables[name] = query_value(con, sql)
            except duckdb.Error:
                continue
    return {
        "seed_rows": seeds,
        "table_rows": sum(tables.values()),
        "rows_written": seeds + sum(tables.values()),
        "tables_rebuilt": len(tables),
        "incremental_models": incremental,
        "incremental_counted_whole": counted_whole,
    }


#: Column of the region-incremental models: the newest raw ingestion their build had seen.
WATERMARK_COLUMN = "built_through_ingested_at"


#: A build's watermark: the newest raw ingestion when it ran (raw does not change during dbt).
RAW_WATERMARK_SQL = (
    "select greatest((select max(ingested_at) from raw.observations), "
    "(select max(ingested_at) from raw.count_observations))"
)


#: Incremental models whose watermark lives in a table: the model whose rebuilt regions they share.
WATERMARK_PROXY = {"marts.fct_target_assessment": "intermediate.int_assessment_inputs"}


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    try:
        return {c.lower() for c in con.sql(f"select * from {name} limit 0").columns}
    except duckdb.Error:
        return set()


def computed_indicator_nodes(manifest: dict[str, Any]) -> list[str]:
    """Models on a path from the count/register raw sources to ``fct_indicator_observation``.

    These are the models that compute indicators (rates, SDG 3.4.1, life tables) from counts;
    their summed execution time is the "computed indicators" stage.
    """
    child_map: dict[str, list[str]] = manifest.get("child_map", {})
    parent_map: dict[str, list[str]] = manifest.get("parent_map", {})
    sources = [
        uid
        for uid in child_map
        if uid.startswith("source.") and uid.endswith(".count_observations")
    ]
    fct = [uid for uid in parent_map if uid.endswith(".fct_indicator_observation")]
    down = _closure(sources, child_map)
    up = _closure(fct, parent_map)
    return sorted(uid for uid in down & up if uid.startswith("model."))


def _closure(start: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        uid = todo.pop()
        if uid in seen:
            continue
        seen.add(uid)
        todo.extend(edges.get(uid, []))
    return seen
