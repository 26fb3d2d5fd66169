"""The run-scoped GX memoisation changes no result, and incremental Data Docs keep every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import Expectation

from expectations import gx_context
from expectations.gx_speedups import memoised_validation
from expectations.runner import run_target_validation


def _validate(frame: pd.DataFrame) -> list[tuple]:
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    context = gx_context.make_context(None)
    source = gx_context.frame_source(context)
    suite = gx.ExpectationSuite(
        name="memo_check",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(
                column="v", min_value=10, row_condition=Column("t") == "a", meta={"t": "a"}
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="v", max_value=5, strict_max=True, row_condition=Column("t") == "b"
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="v",
                column_B="lo",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                row_condition=Column("t") == "a",
            ),
        ],
    )
    definition = gx_context.validation_definition(context, source, suite)
    result = definition.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["r"]},
    )
    return [
        (
            r.expectation_config.type,
            r.success,
            r.result.get("element_count"),
            r.result.get("unexpected_count"),
            sorted(d["r"] for d in r.result.get("unexpected_index_list") or []),
            r.expectation_config.meta,
        )
        for r in result.results
    ]


def test_memoised_validation_changes_no_result_and_restores_gx() -> None:
    frame = pd.DataFrame(
        {
            "t": ["a", "a", "a", "b", "b", "c"],
            "r": ["r1", "r2", "r3", "r1", "r2", "r1"],
            "v": [9.99, 10.0, None, 5.0, 4.99, 0.0],
            "lo": [9.0, 10.5, 1.0, None, None, None],
        }
    )
    configuration = Expectation.__dict__["configuration"]
    row_filter = PandasExecutionEngine.__dict__["_apply_row_condition_filter"]
    plain = _validate(frame)
    with memoised_validation():
        memoised = _validate(frame)
        assert Expectation.__dict__["configuration"] is not configuration
    assert memoised == plain
    # r1 misses "≥ 10" and r2 its per-row lower bound; r1 of target b misses "< 5".
    assert [(t, s, u) for t, s, _, _, u, _ in plain] == [
        ("expect_column_values_to_be_between", False, ["r1"]),
        ("expect_column_values_to_be_between", False, ["r1"]),
        ("expect_column_pair_values_a_to_be_greater_than_b", False, ["r2"]),
    ]
    assert Expectation.__dict__["configuration"] is configuration
    assert PandasExecutionEngine.__dict__["_apply_row_condition_filter"] is row_filter


def _result_pages(docs: Path, run_name: str) -> list[Path]:
    return sorted(docs.glob(f"validations/*/{run_name}/**/*.html"))


def test_incremental_data_docs_keep_earlier_pages(edge_db: Path, tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    first = run_target_validation(edge_db, "docs-1", docs, persist=False)
    first_pages = _result_pages(docs, "docs-1")
    assert first_pages and first.data_docs_index is not None
    second = run_target_validation(edge_db, "docs-2", docs, persist=False)
    assert _result_pages(docs, "docs-1") == first_pages  # earlier pages are kept…
    assert len(_result_pages(docs, "docs-2")) == len(first_pages)  # …and the new run's added
    index = second.data_docs_index.read_text(encoding="utf-8")
    assert "docs-1" in index and "docs-2" in index
    # A deleted site is rebuilt in full from the store, earlier results included.
    shutil.rmtree(docs)
    third = run_target_validation(edge_db, "docs-3", docs, persist=False)
    assert third.data_docs_index is not None and third.data_docs_index.is_file()
    assert _result_pages(docs, "docs-1") and _result_pages(docs, "docs-3")
    assert list(docs.glob("expectations/*.html"))


def _unexpected_lists(frame: pd.DataFrame, index_columns: list[str]) -> list[list]:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx_context.make_context(None)
    source = gx_context.frame_source(context)
    suite = gx.ExpectationSuite(
        name="index_lists",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(column="v", min_value=0),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="v", column_B="lo", ignore_row_if="either_value_is_missing"
            ),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["k", "s"]),
            gxe.ExpectColumnValuesToNotBeNull(column="s"),
        ],
    )
    definition = gx_context.validation_definition(context, source, suite)
    result = definition.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index_columns},
    )
    return [
        [
            [(k, repr(v), type(v)) for k, v in row.items()]
            for row in r.result.get("unexpected_index_list") or []
        ]
        for r in result.results
    ]


def test_vectorised_failing_row_lists_equal_gx_lists() -> None:
    frame = pd.DataFrame(
        {
            "k": pd.array([1, 1, 2, None, 3], dtype="Int32"),
            "s": pd.Series(["a", "a", None, "b", "c"], dtype="str"),
            "o": pd.Series(["x", None, "y", "z", "w"], dtype=object),
            "v": [-1.0, 2.0, -3.5, None, 4.0],
            "lo": [0.0, 3.0, None, 1.0, 5.0],
            "t": pd.to_datetime(["2020-01-01", None, "2021-01-01", "2022-01-01", "2023-01-01"]),
            "c": pd.Categorical(["p", "q", "p", None, "q"]),
            "y": [2019, 2020, 2021, 2022, 2023],
        }
    )
    index_columns = ["k", "s", "o", "t", "c", "y"]
    plain = _unexpected_lists(frame, index_columns)
    with memoised_validation():
        fast = _unexpected_lists(frame, index_columns)
    assert fast == plain
    assert [len(rows) for rows in plain] == [2, 3, 2, 1]  # every expectation lists failing rows
