"""Suite generation: determinism, severity mapping, choice of expectation per comparator."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from gx_factory import INDICATORS, target

from expectations.target_inputs import join_indicators
from expectations.target_suites import (
    build_target_suites,
    severity_for_nature,
    suite_target_ids,
    suite_to_json,
    target_batch,
    target_descriptions,
    verdict_column,
)


def _targets(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).astype(object).where(pd.DataFrame(rows).notna(), "")
    return join_indicators(frame.astype(str).replace({"None": ""}), INDICATORS.astype(str))


ROWS = [
    target("a__health_literacy_rate__2020", "a", "health_literacy_rate", "ge", 25.0),
    target("a__smoking_rate__2020", "a", "smoking_rate", "lt", 20.0, nature="expected"),
    target("a__sex_ratio_at_birth__2020", "a", "sex_ratio_at_birth", "range", 103.0, upper=107.0),
    target(
        "b__infant_mortality_rate__2020",
        "b",
        "infant_mortality_rate",
        "reduce_by_pct",
        10.0,
        relative_to_year=2015,
        nature="unstated",
    ),
    target("b__life_expectancy__2020", "b", "life_expectancy", "none", None),
    target("b__life_expectancy__2025", "b", "life_expectancy", "improve", None, year=2025),
]


def test_same_input_gives_byte_identical_suites_regardless_of_row_order() -> None:
    first = {p: suite_to_json(s) for p, s in build_target_suites(_targets(ROWS)).items()}
    again = {p: suite_to_json(s) for p, s in build_target_suites(_targets(ROWS[::-1])).items()}
    assert first == again
    assert sorted(first) == ["a", "b"]
    # Ids are stable UUIDs, not random ones.
    ids = [e["id"] for e in json.loads(first["a"])["expectations"]]
    assert len(set(ids)) == 3 and all(len(i) == 36 for i in ids)


def test_a_changed_target_changes_the_suite() -> None:
    changed = [dict(r) for r in ROWS]
    changed[0]["target_value"] = 26.0
    before = suite_to_json(build_target_suites(_targets(ROWS))["a"])
    after = suite_to_json(build_target_suites(_targets(changed))["a"])
    assert before != after


@pytest.mark.parametrize(
    ("nature", "severity"),
    [("binding", "critical"), ("expected", "warning"), ("unstated", "warning"), ("", "warning")],
)
def test_severity_by_nature(nature: str, severity: str) -> None:
    assert severity_for_nature(nature) == severity


def test_expectations_carry_their_target_and_severity_and_targets_are_described() -> None:
    targets = _targets(ROWS)
    suites = build_target_suites(targets)
    described = target_descriptions(targets)
    by_target = {e.meta["target_id"]: e for e in suites["a"].expectations}
    assert all(e.meta == {"target_id": e.meta["target_id"]} for e in suites["a"].expectations)
    assert set(described) == {e.meta["target_id"] for s in suites.values() for e in s.expectations}
    ge = by_target["a__health_literacy_rate__2020"]
    assert ge.expectation_type == "expect_column_values_to_be_between"
    assert ge.column == "verdict_value:a__health_literacy_rate__2020"
    assert ge.row_condition is None  # its rows are its own column's (target_batch), not a query
    assert ge.min_value == 25.0 and ge.max_value is None and not ge.strict_min
    meta = described["a__health_literacy_rate__2020"]
    assert ge.severity.value == "critical" and meta["severity"] == "critical"
    for key in ("indicator_code", "region_id", "target_year", "comparator", "nature"):
        assert meta[key] is not None
    assert meta["lead_department"] == "市卫健委"
    assert meta["source_quote"].startswith("health_literacy_rate 原文")
    assert meta["threshold"] == "≥ 25"
    lt = by_target["a__smoking_rate__2020"]
    assert lt.strict_max and lt.max_value == 20.0 and lt.severity.value == "warning"
    rng = by_target["a__sex_ratio_at_birth__2020"]
    assert (rng.min_value, rng.max_value, rng.strict_min, rng.strict_max) == (
        103.0,
        107.0,
        False,
        False,
    )


def test_reference_comparators_read_the_marts_bound_columns() -> None:
    suites = build_target_suites(_targets(ROWS))
    exps = {e.meta["target_id"]: e for e in suites["b"].expectations}
    # `none` is informational: no expectation.
    assert "b__life_expectancy__2020" not in exps
    reduce = exps["b__infant_mortality_rate__2020"]
    assert reduce.expectation_type == "expect_column_pair_values_a_to_be_greater_than_b"
    assert (reduce.column_A, reduce.column_B, reduce.or_equal) == (
        "required_upper",
        "verdict_value:b__infant_mortality_rate__2020",
        True,
    )
    improve = exps["b__life_expectancy__2025"]  # higher is better → strictly above previous
    assert (improve.column_A, improve.column_B, improve.or_equal) == (
        "verdict_value:b__life_expectancy__2025",
        "required_lower",
        False,
    )


def test_bad_input_is_rejected_with_the_offending_ids() -> None:
    dup = ROWS + [ROWS[0]]
    with pytest.raises(ValueError, match="a__health_literacy_rate__2020"):
        build_target_suites(_targets(dup))
    unknown = [target("c__nope__2020", "c", "nope", "ge", 1.0)]
    with pytest.raises(ValueError, match="c__nope__2020"):
        _targets(unknown)


def test_non_numeric_target_value_names_the_target_and_column() -> None:
    row = target("d__life_expectancy__2020", "d", "life_expectancy", "ge", None)
    frame = pd.DataFrame([row]).astype(object)
    frame["target_value"] = "八十"
    frame = frame.where(frame.notna(), "").astype(str).replace({"None": ""})
    with pytest.raises(ValueError, match=r"'target_value'.*d__life_expectancy__2020.*八十"):
        join_indicators(frame, INDICATORS.astype(str))


def test_points_reduction_reads_the_upper_bound_column_and_says_its_points() -> None:
    """下降3—5个百分点 (reduce_by_points 3, upper 5, vs 2018): one-sided ≤ ref − 3 from the mart's
    bound column, the 3–5 stated in the words monitors read."""
    row = target(
        "c__infant_mortality_rate__2020",
        "c",
        "infant_mortality_rate",
        "reduce_by_points",
        3.0,
        upper=5.0,
        relative_to_year=2018,
    )
    targets = _targets([row])
    exp = build_target_suites(targets)["c"].expectations[0]
    assert exp.expectation_type == "expect_column_pair_values_a_to_be_greater_than_b"
    assert (exp.column_A, exp.column_B, exp.or_equal) == (
        "required_upper",
        verdict_column("c__infant_mortality_rate__2020"),
        True,
    )
    threshold = target_descriptions(targets)["c__infant_mortality_rate__2020"]["threshold"]
    assert threshold == "≤ required_upper (reduce_by_points 3–5 vs 2018)"


def test_a_plans_batch_gives_each_target_its_own_column_of_verdict_values() -> None:
    """Each target's column holds its rows' verdict values and is missing on every other row; a
    target without rows is all missing; rows, labels and bounds are the mart's."""
    suite = build_target_suites(_targets(ROWS))["b"]
    ids = suite_target_ids(suite)
    assert ids == ["b__infant_mortality_rate__2020", "b__life_expectancy__2025"]
    frame = pd.DataFrame(
        {
            "target_id": pd.Categorical(
                ["b__life_expectancy__2025", "b__infant_mortality_rate__2020", "other", None]
            ),
            "verdict_value": [78.5, None, 5.0, 1.0],
            "required_lower": [78.0, None, None, None],
            "required_upper": [None, 4.5, None, None],
        },
        index=[10, 11, 12, 13],
    )
    batch = target_batch(frame, ids)
    assert list(batch.index) == [10, 11, 12, 13]
    assert list(batch.columns) == [*map(verdict_column, ids), "required_lower", "required_upper"]
    life = batch[verdict_column("b__life_expectancy__2025")]
    assert life.tolist()[0] == 78.5 and life.iloc[1:].isna().all()
    assert batch[verdict_column("b__infant_mortality_rate__2020")].isna().all()  # its value: none
    assert batch["required_upper"].tolist()[1] == 4.5
    empty = target_batch(frame.iloc[:0], ids)
    assert list(empty.columns) == list(batch.columns) and empty.empty


def test_a_mart_without_verdict_values_leaves_each_targets_column_missing_for_gx_to_report() -> (
    None
):
    frame = pd.DataFrame({"target_id": ["b__life_expectancy__2025"], "required_lower": [1.0]})
    batch = target_batch(frame, ["b__life_expectancy__2025"])
    assert list(batch.columns) == ["required_lower"]
