"""Validating one frame with one GX suite: the single GX path of target and quality runs.

A :class:`SuiteJob` says what to validate (the suite, the relation it guards, its kind, the key
columns failing rows are reported by); :func:`validate_suite` registers the suite with the GX
context, validates the frame with GX's v1 ``Validator`` (:func:`gx_context.validate`), and turns
the result into a :class:`~expectations.outcomes.SuiteResult` (:mod:`expectations.failures`).
GX enforces every expectation; nothing here decides whether a row passes. What GX receives is the
frame's :func:`gx_batch`: the columns the suite reads, a text key as exact integer codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from expectations import gx_context
from expectations.failing_rows import domain_columns
from expectations.failures import (
    element_failures,
    expectation_outcome,
    failing_rows_of,
    target_details,
)
from expectations.frames import KEY_HASH_SUFFIX, key_codes
from expectations.outcomes import SuiteResult


@dataclass(frozen=True)
class SuiteJob:
    """One suite to validate and how its failures are reported."""

    suite: Any  # a GX ExpectationSuite
    asset: str  # the warehouse relation the suite guards (Dagster asset check target)
    kind: str  # "targets" | "quality"
    #: The frame this suite validates, by the name the run's ``frame_of`` knows it by.
    frame_name: str
    #: Key columns reported with every failing row.
    index_columns: Sequence[str]
    #: Sort each expectation's failing rows by these columns (stable).
    failure_order: Sequence[str] = ()
    #: Descriptions by target id, merged into each target expectation's meta.
    described: Mapping[str, dict[str, Any]] | None = None
    #: The batch GX validates, made from the frame (None: the frame itself); the frame's other
    #: columns serve failure reports. Same rows, same labels.
    batch_of: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    #: Every row belongs to one region (``region_id``) and no expectation compares rows of two
    #: regions: a scoped run may validate the affected regions only (expectations.carry_forward).
    region_local: bool = False
    #: Key columns GX receives as exact integer codes (:func:`expectations.frames.key_codes`):
    #: allowed only where every expectation on them reads just equality and missingness
    #: (:data:`EQUALITY_ONLY`); failing rows still show the frame's own values.
    key_codes: Sequence[str] = ()

    @property
    def suite_name(self) -> str:
        """The GX suite's name (``targets__<plan>`` or ``quality__<relation>``)."""
        return str(self.suite.name)


#: Expectation types whose verdict on a column depends only on which of its values are missing
#: and which are equal: they judge a key column's exact integer codes as they judge its values.
EQUALITY_ONLY = frozenset(
    {
        "expect_column_to_exist",
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
    }
)


def check_key_codes(suite: Any, columns: Sequence[str]) -> None:
    """Refuse to validate ``columns`` as codes if an expectation of ``suite`` reads more of
    them than equality (a range, a set of values, a row condition naming them …).

    Raises:
        ValueError: naming the expectation and the column.
    """
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        condition = str(kwargs.get("row_condition") or "")
        for column in columns:
            in_domain = column in domain_columns(kwargs)
            if (in_domain and expectation.expectation_type not in EQUALITY_ONLY) or (
                condition and column in condition
            ):
                raise ValueError(
                    f"suite {suite.name}: {expectation.expectation_type} reads {column!r} "
                    "beyond equality; it cannot be validated on the column's codes"
                )


def gx_batch(job: SuiteJob, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame GX validates: ``job.batch_of(frame)`` (``frame`` without), its
    ``job.key_codes`` columns as exact integer codes (from the hashes the frame's SQL put beside
    them, :data:`~expectations.frames.KEY_HASH_SUFFIX`, which GX does not see). Same rows, same
    labels."""
    hashes = [c for c in frame.columns if str(c).endswith(KEY_HASH_SUFFIX)]
    batch = frame.drop(columns=hashes) if hashes else frame
    if job.batch_of is not None:
        batch = job.batch_of(batch)
    coded = [c for c in job.key_codes if c in batch.columns]
    if coded:
        check_key_codes(job.suite, coded)
        batch = batch.assign(
            **{c: key_codes(batch[c], frame.get(f"{c}{KEY_HASH_SUFFIX}")) for c in coded}
        )
    return batch


def _result_format(index_columns: Iterable[str], frame: pd.DataFrame) -> dict[str, Any]:
    """Every failing row, listed by its label in the validated frame (see
    :mod:`expectations.failing_rows`); ``index_columns`` are read from the frame afterwards.

    Without ``unexpected_index_query``: on pandas it is the failing labels again, as the text
    ``df.filter(items=[…])``, for which GX selects the expectation's rows once more (one
    ``DataFrame.query`` of ~7 per target expectation) and which the results store would then
    serialise and Data Docs render whole.
    """
    return {"result_format": "COMPLETE", "return_unexpected_index_query": False}


def validate_suite(
    context: Any, source: Any, job: SuiteJob, frame: pd.DataFrame, run: Any
) -> tuple[SuiteResult, list[Any]]:
    """Validate ``frame`` with ``job.suite``; return the outcome and the run's Data Docs keys.

    GX stores a copy of the result with at most ``DOCS_ROW_LIMIT`` failing rows per expectation
    (what Data Docs render); the returned outcome keeps every failing row.
    """
    definition = gx_context.validation_definition(context, source, job.suite)
    batch = gx_batch(job, frame)
    result, stored_key = gx_context.validate(
        context, definition, batch, _result_format(job.index_columns, frame), run
    )
    name = definition.suite.name
    # Read from ``frame`` (same labels as ``batch``): a key column shows its values, not codes.
    failing_of = [failing_rows_of(frame, r, job.index_columns) for r in result.results]
    details = {}
    rows_of: Mapping[str, int] = {}
    if job.kind == "targets":
        # GX counts the whole plan batch (a target's column is empty on other targets' rows).
        if "target_id" in frame.columns:
            rows_of = {str(k): int(n) for k, n in frame["target_id"].value_counts().items()}
        if not result.success:
            details = target_details(frame, result.results, failing_of)
    out = SuiteResult(suite_name=name, asset=job.asset, kind=job.kind, success=bool(result.success))
    for r, failing in zip(result.results, failing_of, strict=True):
        outcome = expectation_outcome(r, job.described)
        if job.kind == "targets":
            outcome.element_count = rows_of.get(str(outcome.meta.get("target_id")), 0)
        out.expectations.append(outcome)
        out.failures.extend(
            element_failures(
                name,
                job.kind,
                outcome,
                r.expectation_config.kwargs,
                failing,
                details,
                job.failure_order,
            )
        )
    return out, gx_context.docs_resources(name, stored_key)
