"""Row counts on dbt's materializations (orchestration/row_counts.py), on a real DuckDB file: the
held path Spark runs take (counted after dbt exits) and the streamed path of DuckDB runs (counts
from the files dbt's post-hook writes)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.row_counts import (
    ROW_COUNT,
    count_file,
    with_row_counts,
    with_streamed_row_counts,
)

TABLE = dg.AssetKey(["marts", "fct_x"])
VIEW = dg.AssetKey(["staging", "stg_x"])


def _key(output_name: str) -> dg.AssetKey:
    return {"fct": TABLE, "stg": VIEW}[output_name]


def _events() -> list[object]:
    check = dg.AssetCheckResult(asset_key=TABLE, check_name="unique_x", passed=True)
    return [dg.Output(None, output_name="fct"), dg.Output(None, output_name="stg"), check]


def _counts(events: list[object]) -> list[object]:
    values = [(getattr(e, "metadata", None) or {}).get(ROW_COUNT) for e in events]
    return [getattr(v, "value", v) for v in values]


def test_held_events_carry_each_tables_count_and_views_none(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts; create schema staging")
        con.execute("create table marts.fct_x as select * from range(7)")
        con.execute("create view staging.stg_x as select * from marts.fct_x")
    out = list(with_row_counts(_events(), db, _key))
    assert _counts(out) == [7, None, None]
    assert isinstance(out[2], dg.AssetCheckResult)  # order and kinds kept


def test_streamed_events_read_the_post_hooks_files(tmp_path: Path) -> None:
    count_file(tmp_path, "marts", "fct_x").write_text("12\n", encoding="utf-8")
    out = list(with_streamed_row_counts(_events(), tmp_path, _key))
    assert _counts(out) == [12, None, None]  # no file for the view: no count


def test_streamed_count_not_a_number_is_left_out(tmp_path: Path) -> None:
    count_file(tmp_path, "marts", "fct_x").write_text("", encoding="utf-8")  # hook interrupted
    out = list(with_streamed_row_counts(_events(), tmp_path, _key))
    assert _counts(out) == [None, None, None]


def test_streamed_events_pass_on_before_the_stream_ends(tmp_path: Path) -> None:
    count_file(tmp_path, "marts", "fct_x").write_text("3", encoding="utf-8")

    def dbt_still_running():
        yield dg.Output(None, output_name="fct")
        raise AssertionError("read past the first event")

    first = next(with_streamed_row_counts(dbt_still_running(), tmp_path, _key))
    assert _counts([first]) == [3]
