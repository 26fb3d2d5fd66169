"""Failing rows read by GX's labels equal GX's own failing-row dicts; no GX member is patched;
incremental Data Docs keep every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from expectations import gx_context, suite_validation
from expectations.failing_rows import domain_columns, failing_rows
from expectations.runner import run_target_validation

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"


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


def _results(frame: pd.DataFrame, result_format: dict) -> list:
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    context = gx_context.make_context(None)
    source = gx_context.frame_source(context)
    suite = gx.ExpectationSuite(
        name="index_lists",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(column="v", min_value=0),
            gxe.ExpectColumnValuesToBeBetween(
                column="v", max_value=1, row_condition=Column("y") > 2019
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="v", column_B="lo", ignore_row_if="either_value_is_missing"
            ),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["k", "s"]),
            gxe.ExpectColumnValuesToNotBeNull(column="s"),
        ],
    )
    definition = gx_context.validation_definition(context, source, suite)
    return definition.run(
        batch_parameters={"dataframe": frame}, result_format=result_format
    ).results


def _shape(rows: list[dict]) -> list[list]:
    return [[(k, repr(v), type(v)) for k, v in row.items()] for row in rows]


def test_failing_rows_by_label_equal_gx_failing_row_dicts() -> None:
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
    named = _results(
        frame,
        {"result_format": "COMPLETE", "unexpected_index_column_names": index_columns},
    )
    # The runners' format: labels, without GX's ``unexpected_index_query`` (the same labels as
    # text, computed by selecting the rows once more); every list and count as GX's default.
    labelled = _results(frame, suite_validation._result_format(index_columns, frame))
    default = _results(frame, {"result_format": "COMPLETE"})
    assert all("unexpected_index_query" in (r.result or {}) for r in default)
    assert not any("unexpected_index_query" in (r.result or {}) for r in labelled)
    for ours_result, gx_result in zip(labelled, default, strict=True):
        gx_result.result.pop("unexpected_index_query", None)
        assert ours_result.result == gx_result.result
    gx_rows = [_shape(r.result.get("unexpected_index_list") or []) for r in named]
    ours = [
        _shape(
            failing_rows(
                frame,
                r.result.get("unexpected_index_list") or [],
                domain_columns(r.expectation_config.kwargs),
                index_columns,
            )
        )
        for r in labelled
    ]
    assert ours == gx_rows
    # every expectation lists failing rows; the row condition keeps labels of the whole frame
    assert [len(rows) for rows in gx_rows] == [2, 2, 3, 2, 1]


def test_no_private_gx_member_is_patched() -> None:
    """The expectation modules assign to no GX class or module (the stack's own API only)."""
    import re

    assignment = re.compile(
        r"^\s*(Expectation|PandasExecutionEngine|ValidationResultsStore|aux)\.\w+\s*=", re.M
    )
    for path in EXPECTATIONS_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not assignment.search(text), path
        assert "setattr(" not in text, path
    assert not (EXPECTATIONS_DIR / "gx_speedups.py").exists()


def test_failing_row_details_are_to_dict_by_index() -> None:
    """The details of failing target rows are exactly ``to_dict(orient="index")`` of those rows
    (same keys, values and types; NA as None), and a repeated key is refused as it refuses."""
    import numpy as np
    import pytest

    from expectations import failures

    frame = pd.DataFrame(
        {
            "target_id": pd.Categorical(["a", "a", "b", "b"]),
            "region_id": pd.Categorical(["r1", "r2", "r1", "r2"]),
            "assessment_year": [2020, 2021, 2020, 2020],
            "verdict_value": [1.5, np.nan, 2.0, 3.0],
            "status": pd.Series(["met", None, "x", "y"], dtype="str"),
            "latest_year": pd.array([2019, None, 2018, 2017], dtype="Int32"),
            "required_lower_inclusive": pd.array([True, None, True, True], dtype="boolean"),
            "latest_source": pd.Series(["s", None, "t", "u"], dtype=object),
            "latest_ci_lower": pd.array([1.0, None, 2.0, 3.0], dtype="Float64"),
        }
    )
    keys = {("a", "r1", 2020), ("b", "r1", 2020), ("a", "r2", 2021)}
    keyed = frame.set_index(list(failures.TARGET_KEY), drop=False)
    picked = keyed[keyed.index.isin(list(keys))]
    expected = picked[[c for c in failures.DETAIL_COLUMNS if c in frame]].to_dict(orient="index")
    details = failures.failing_row_details(frame, keys)
    assert repr(details) == repr(expected)
    assert [[type(v) for v in row.values()] for row in details.values()] == [
        [type(v) for v in row.values()] for row in expected.values()
    ]
    with pytest.raises(ValueError, match="unique"):
        failures.failing_row_details(pd.concat([frame, frame.head(1)]), keys)


def test_what_gx_raised_is_read_in_both_of_its_shapes() -> None:
    from expectations.failures import raised

    assert raised(None) is None and raised({}) is None
    assert raised({"raised_exception": False, "exception_message": None}) is None
    assert raised({"raised_exception": True, "exception_message": "boom"}) == "boom"
    by_metric = {
        "MetricConfigurationID(a)": {"raised_exception": True, "exception_message": "no col"},
        "MetricConfigurationID(b)": {"raised_exception": True, "exception_message": "no col"},
    }
    assert raised(by_metric) == "no col"
