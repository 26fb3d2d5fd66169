"""Building GX suites deterministically: the shared helpers of the target and quality suites.

A suite needs an active GX data context (:func:`ensure_gx_context`), and its expectations get
ids derived from their content (:func:`suite_with_stable_ids`), so
the same input always gives the same suite and an unchanged suite is not re-stored.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

#: Namespace of the deterministic expectation and target-suite ids (uuid5 of a fixed URL).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://healthplan.local/expectations")


def ensure_gx_context() -> None:
    """GX suites need an active data context; start an ephemeral one if none is active."""
    import great_expectations as gx
    from great_expectations.data_context.data_context.context_factory import project_manager
    from great_expectations.exceptions import DataContextRequiredError

    try:
        project_manager.get_current_project()
    except DataContextRequiredError:
        gx.get_context(mode="ephemeral")


def _stable_id(suite_name: str, expectation: Any) -> str:
    """UUID5 of suite name, type and kwargs (unique within a suite)."""
    kwargs = json.dumps(expectation.configuration.kwargs, sort_keys=True, default=str)
    return str(uuid.uuid5(ID_NAMESPACE, f"{suite_name}|{expectation.expectation_type}|{kwargs}"))


def suite_with_stable_ids(
    name: str, suite_id: str, meta: dict[str, Any], expectations: list[Any]
) -> Any:
    """Build a suite in ONE constructor call, then give each expectation a deterministic id.

    ``ExpectationSuite.add_expectation`` compares each new expectation with every one already
    added (quadratic, ~28 ms each at 400 expectations); the constructor does not. Its
    set semantics are kept here: an expectation with the same type and kwargs as an earlier one
    is dropped (same id), as ``add_expectation`` would. GX refuses expectations that already
    carry an id, so ids are set after construction.
    """
    import great_expectations as gx

    unique: dict[str, Any] = {}
    for expectation in expectations:
        unique.setdefault(_stable_id(name, expectation), expectation)
    suite = gx.ExpectationSuite(
        name=name, id=suite_id, meta=meta, expectations=list(unique.values())
    )
    if len(suite.expectations) != len(unique):
        raise ValueError(
            f"suite {name}: GX rejected {len(unique) - len(suite.expectations)} expectations"
        )
    for stable_id, expectation in zip(unique, suite.expectations, strict=True):
        expectation.id = stable_id
    return suite
