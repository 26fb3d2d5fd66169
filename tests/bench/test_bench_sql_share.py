"""How much of a dbt invocation's node time was SQL (bench/dbt_work.py ``sql_share``), on a log
written with dbt's own event serialisation, so a change in dbt's JSON log format fails here."""

from __future__ import annotations

from pathlib import Path

from dbt.adapters.events.types import SQLQuery, SQLQueryStatus
from dbt_common.events.base_types import msg_from_base_event
from dbt_common.events.functions import msg_to_json

from bench.dbt_work import sql_share, sql_share_note, summarise_run_results

RESULTS = summarise_run_results(
    {
        "results": [
            {"unique_id": "model.p.a", "status": "success", "execution_time": 1.0},
            {"unique_id": "test.p.t", "status": "pass", "execution_time": 2.0},
        ]
    }
)


def _line(event: object) -> str:
    return msg_to_json(msg_from_base_event(event)) + "\n"  # type: ignore[arg-type]


def test_the_statements_seconds_are_summed_and_the_rest_is_dbts_own(tmp_path: Path) -> None:
    log = tmp_path / "dbt.log"
    log.write_text(
        _line(SQLQuery(conn_name="model.p.a", sql="select 'SQLQueryStatus'", node_info={}))
        + _line(SQLQueryStatus(status="OK", elapsed=0.25, query_id=""))
        + _line(SQLQueryStatus(status="OK", elapsed=0.5, query_id=""))
        + _line(SQLQueryStatus(status="OK", elapsed=0.25, query_id="")),
        encoding="utf-8",
    )
    share = sql_share(log, RESULTS)
    assert share == {
        "nodes": 2,
        "node_s": 3.0,
        "sql_statements": 3,
        "sql_s": 1.0,
        "dbt_own_s": 2.0,
    }
    note = sql_share_note("run", share)
    assert "2 nodes" in note and "3 SQL statements" in note and "(67%)" in note


def test_no_split_without_a_json_log(tmp_path: Path) -> None:
    assert sql_share(tmp_path / "missing.log", RESULTS) == {}
    text = tmp_path / "text.log"
    text.write_text("12:00:01  SQL status: OK in 0.250 seconds\n", encoding="utf-8")
    assert sql_share(text, RESULTS) == {}


def test_a_line_cut_short_is_skipped(tmp_path: Path) -> None:
    log = tmp_path / "dbt.log"
    whole = _line(SQLQueryStatus(status="OK", elapsed=0.5, query_id=""))
    log.write_text(whole + whole[:-20], encoding="utf-8")  # the cut line names the event
    share = sql_share(log, RESULTS)
    assert share["sql_statements"] == 1 and share["sql_s"] == 0.5
