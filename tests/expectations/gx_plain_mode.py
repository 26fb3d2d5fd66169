"""The *plain* validation mode of ``test_equivalence.py``: the validation as it ran before the
speed work, to compare the normal (fast) mode with (see that module's docstring)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pandas as pd
import pytest

from expectations import failures, runner, suite_frames, suite_validation, target_suites


def _plain_details(frame: pd.DataFrame, keys: object) -> dict:
    keyed = frame.set_index(["target_id", "region_id", "assessment_year"], drop=False)
    return keyed.to_dict(orient="index")


def _gx_named_rows(index_columns: object, frame: pd.DataFrame) -> dict:
    """GX's own failing-row dicts (its per-row ``DataFrame.at`` loop)."""
    present = [c for c in index_columns if c in frame.columns]  # type: ignore[attr-defined]
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": present,
        "return_unexpected_index_query": False,
    }


def _row_condition_suites(targets: pd.DataFrame) -> dict:
    """The target suites as GX's row conditions would select each target's rows: every
    expectation reads `verdict_value` where `target_id` is its target."""
    from great_expectations.expectations.row_conditions import Column

    suites = target_suites.build_target_suites(targets)
    for suite in suites.values():
        for e in suite.expectations:
            own = target_suites.verdict_column(e.meta["target_id"])
            for field in ("column", "column_A", "column_B"):
                if getattr(e, field, None) == own:
                    setattr(e, field, target_suites.VERDICT_COLUMN)
            e.row_condition = Column("target_id") == e.meta["target_id"]
    return suites


def _mart_columns(frame: pd.DataFrame, target_ids: object) -> pd.DataFrame:
    """The plain batch: the mart's own columns, the key columns among them."""
    return frame[[*target_suites.GX_COLUMNS, *target_suites.INDEX_COLUMNS]]


@contextlib.contextmanager
def plain_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The validation as it ran before the speed work (see module docstring)."""
    with monkeypatch.context() as m:
        m.setattr(suite_frames, "read_frame", lambda con, sql, **_: con.execute(sql).df())
        m.setattr(suite_frames, "relation_columns", lambda con, relation: None)  # select *
        m.setattr(suite_validation, "_result_format", _gx_named_rows)
        m.setattr(runner, "build_target_suites", _row_condition_suites)
        # GX builds the failing-row dicts from the batch: it holds the key columns too.
        m.setattr(runner, "target_batch", _mart_columns)
        m.setattr(suite_validation, "key_codes", lambda column, hashes: column)  # GX judges text
        m.setattr(failures, "failing_row_details", _plain_details)
        yield
