"""A validation result's ``expectation_id`` is the id expectations.suite_ids derives from the
expectation's content, in every GX store, run and process.

GX's expectations store gives the expectations of a suite it adds (one it does not hold yet)
fresh ``uuid4`` ids; ``gx_context`` puts the derived ids back. Without that, every run in a fresh
(ephemeral) context, and the first run into a file store, recorded random ids: the Spark and
DuckDB validations of tests/spark differed in their ids and in nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from gx_factory import INDICATORS, target

from expectations import gx_context
from expectations.target_inputs import join_indicators
from expectations.target_suites import build_target_suites, target_batch

ROWS = [
    target("a__health_literacy_rate__2020", "a", "health_literacy_rate", "ge", 25.0),
    target("a__smoking_rate__2020", "a", "smoking_rate", "lt", 20.0),
    target("a__sex_ratio_at_birth__2020", "a", "sex_ratio_at_birth", "range", 103.0, upper=107.0),
]
#: The columns the target expectations read, one passing row per target.
FRAME = pd.DataFrame(
    {
        "target_id": [r["target_id"] for r in ROWS],
        "verdict_value": [30.0, 10.0, 105.0],
        "required_lower": [None, None, None],
        "required_upper": [None, None, None],
        "region_id": ["r1", "r1", "r1"],
        "assessment_year": [2020, 2020, 2020],
    }
)


def _suite() -> Any:
    """Plan ``a``'s target suite, built anew (its ids derived from its content)."""
    frame = pd.DataFrame(ROWS).astype(object).where(pd.DataFrame(ROWS).notna(), "")
    targets = join_indicators(frame.astype(str).replace({"None": ""}), INDICATORS.astype(str))
    return build_target_suites(targets)["a"]


def _validated_ids(context: Any) -> list[str]:
    """The ids GX's results carry when ``context`` validates :data:`FRAME` with a new suite."""
    source = gx_context.frame_source(context)
    definition = gx_context.validation_definition(context, source, _suite())
    run = RunIdentifier(run_name="ids", run_time=datetime.now(UTC))
    result, _ = gx_context.validate(
        context,
        definition,
        target_batch(FRAME, [r["target_id"] for r in ROWS]),
        {"result_format": "BOOLEAN_ONLY"},
        run,
    )
    assert result.success
    return [str(r.expectation_config.id) for r in result.results]


def test_results_carry_the_derived_ids_in_every_fresh_context() -> None:
    derived = [str(e.id) for e in _suite().expectations]
    assert len(set(derived)) == len(derived) == len(ROWS)  # one expectation per target
    first = _validated_ids(gx_context.make_context(None))
    second = _validated_ids(gx_context.make_context(None))
    assert sorted(first) == sorted(derived)
    assert second == first


def test_a_file_store_records_the_derived_ids_from_its_first_run_on(tmp_path: Path) -> None:
    derived = sorted(str(e.id) for e in _suite().expectations)
    docs = tmp_path / "data_docs"
    assert sorted(_validated_ids(gx_context.make_context(docs))) == derived  # empty store
    # A later run (a new process) reuses the stored suite, ids and all.
    context = gx_context.make_context(docs)
    assert sorted(str(e.id) for e in context.suites.get(name="targets__a").expectations) == derived
    assert sorted(_validated_ids(context)) == derived


def test_a_store_holding_gx_assigned_ids_gets_the_derived_ids(tmp_path: Path) -> None:
    context = gx_context.make_context(tmp_path / "data_docs")
    stored = context.suites.add(_suite())  # a store written before the fix: GX's uuid4s
    derived = sorted(str(e.id) for e in _suite().expectations)
    assert not set(derived) & {str(e.id) for e in stored.expectations}
    assert sorted(_validated_ids(context)) == derived
