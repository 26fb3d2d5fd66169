"""What a validation run returns: its suites, their expectations and every failing element.

These are plain dataclasses, shaped for Dagster asset checks (:meth:`SuiteResult.check_metadata`)
and for the results store (:mod:`expectations.recording`); nothing here talks to GX or DuckDB.
The value converters (:func:`as_float`, :func:`as_int` — from :mod:`pipelines.db`, shared with
the report — and :func:`as_text`) are the one place that turns pandas/numpy cells (NaN, NA, numpy
scalars) into the plain values persisted and shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from expectations.target_suites import VERDICT_EVIDENCE
from pipelines.db import as_float, as_int  # the one float/int reading of a cell (the report's too)
from pipelines.validation_scope import coverage_metadata

#: Worst first: a suite's severity is the worst among its failed expectations.
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def as_text(value: Any) -> str | None:
    """Text, or None for missing values (None, NaN, pandas NA)."""
    if value is None:
        return None
    # The common cells first, without pd.isna (≈ 1 µs each, over a million cells at M).
    if isinstance(value, str):
        return value
    if type(value) is float or type(value) is int:
        return None if value != value else str(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # a list or array: not a missing scalar
        pass
    return str(value)


def verdict_evidence(row: dict[str, Any]) -> dict[str, Any]:
    """The status, data year, source, nature and interval of a mart row, keyed by the
    ``monitoring.validation_results`` column names (:data:`VERDICT_EVIDENCE`)."""
    converters = {"data_year": as_int, "ci_lower": as_float, "ci_upper": as_float}
    return {
        out: converters.get(out, as_text)(row.get(col))
        for col, out in VERDICT_EVIDENCE.items()
        if col in row
    }


@dataclass
class Failure:
    """One failing element: a target × region × year, or an offending data row."""

    suite_name: str
    expectation_id: str
    severity: str
    target_id: str | None
    region_id: str | None
    indicator_code: str | None
    year: int | None
    observed_value: float | None
    threshold: str | None
    message: str
    #: What a target verdict rests on (results-store names: status, data_year, data_source,
    #: data_nature, ci_lower, ci_upper); empty for quality rules.
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class ExpectationOutcome:
    """Summary of one expectation's result."""

    expectation_id: str
    expectation_type: str
    success: bool
    severity: str
    structural: bool
    meta: dict[str, Any]
    element_count: int | None
    unexpected_count: int | None
    error: str | None
    #: The run whose results stand for the regions this validation did not re-validate
    #: (:mod:`expectations.carry_forward`); None: every row was validated here.
    carried_from: str | None = None


@dataclass(frozen=True)
class CarriedElements:
    """A scoped suite's failing elements that stand from its baseline run, left in the database
    (:mod:`expectations.carry_forward`): how many per expectation and their targets; the rows
    are copied under the new run by SQL (:func:`expectations.results_store.store`)."""

    baseline_run_id: str
    #: The re-validated regions (the elements of every other region stand).
    regions: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    target_ids: frozenset[str] = frozenset()

    @property
    def total(self) -> int:
        """Failing elements carried, over every expectation."""
        return sum(self.counts.values())


@dataclass
class SuiteResult:
    """Outcome of one suite, shaped for a Dagster asset check.

    ``failures`` are the elements GX failed in this run; in a scoped run the failing elements of
    the other regions stand from the baseline (``carried``) and are counted, not listed.
    """

    suite_name: str
    asset: str
    kind: str  # "targets" | "quality"
    success: bool
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None
    #: The regions whose rows GX validated in this run (None: every row); for the others the
    #: results of an earlier run stand (:mod:`expectations.carry_forward`).
    regions_covered: tuple[str, ...] | None = None
    carried: CarriedElements | None = None

    @property
    def n_failures(self) -> int:
        """Failing elements: GX's in this run and those carried."""
        return len(self.failures) + (self.carried.total if self.carried else 0)

    @property
    def severity(self) -> str:
        """Worst severity among failed expectations (or among all, when everything passed)."""
        failed = [e.severity for e in self.expectations if not e.success]
        pool = failed or [e.severity for e in self.expectations] or ["warning"]
        if self.error:
            return "critical"
        return min(pool, key=lambda s: SEVERITY_ORDER.get(s, 9))

    @property
    def failing_targets(self) -> list[str]:
        """Target ids with at least one failing region (sorted), carried ones included."""
        carried = self.carried.target_ids if self.carried else frozenset()
        return sorted({f.target_id for f in self.failures if f.target_id} | carried)

    @property
    def structural_failures(self) -> list[str]:
        """Descriptions of failed structural expectations (duplicate keys, missing columns …)."""
        out = [
            f"{self.suite_name}: {e.meta.get('rule')} {e.meta.get('column') or e.meta.get('columns') or ''}"
            + (f" ({e.error})" if e.error else f" ({e.unexpected_count} offending rows)")
            for e in self.expectations
            if e.structural and not e.success
        ]
        if self.error:
            out.append(f"{self.suite_name}: {self.error}")
        return out

    def check_metadata(self, limit: int = 50) -> dict[str, Any]:
        """Plain-JSON metadata for a Dagster AssetCheckResult."""
        return {
            "suite": self.suite_name,
            "severity": self.severity,
            "expectations": len(self.expectations),
            "failed_expectations": sum(1 for e in self.expectations if not e.success),
            "failing_targets": self.failing_targets[:limit],
            "failures": [
                {
                    "target_id": f.target_id,
                    "region_id": f.region_id,
                    "indicator_code": f.indicator_code,
                    "year": f.year,
                    "observed": f.observed_value,
                    "threshold": f.threshold,
                    **f.evidence,
                }
                for f in self.failures[:limit]
            ],
            "n_failures": self.n_failures,
            # listed: GX's failures of this run; carried ones are counted (and recorded)
            "failures_carried": self.carried.total if self.carried else 0,
            "structural_failures": self.structural_failures,
            **coverage_metadata(self.regions_covered, limit),
        }


@dataclass
class ValidationRun:
    """All suites of one validation call."""

    run_id: str
    validated_at: datetime
    suites: list[SuiteResult]
    rows_persisted: int
    data_docs_index: Path | None
    seconds: float

    @property
    def success(self) -> bool:
        """Every suite passed."""
        return all(s.success for s in self.suites)

    @property
    def structural_failures(self) -> list[str]:
        """Structural failures across suites: when non-empty, do not publish."""
        return [msg for s in self.suites for msg in s.structural_failures]

    def suite(self, name: str) -> SuiteResult:
        """The result of a suite by name (KeyError if it did not run)."""
        for s in self.suites:
            if s.suite_name == name:
                return s
        raise KeyError(name)
