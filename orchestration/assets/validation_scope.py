"""Which regions a run's GX validation covers, and how its checks say so.

An incremental run's dbt build records a GX scope (:func:`pipelines.validation_scope.validation_scope`):
the suites re-validate the affected regions and carry the last run's results forward for the
others (:mod:`expectations.carry_forward`). Every GX check then says which regions it covered
(``regions_covered``: ``all`` or the regions, as the dbt checks do); the target checks, answered
from the persisted results in a later step, read each suite's coverage from the
``monitoring/validation_results`` materialization of the run that validated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import dagster as dg

from orchestration.keys import VALIDATION_RESULTS
from orchestration.resources import WarehouseResource
from pipelines.validation_scope import ValidationScope, coverage_metadata, read_validation_scope

if TYPE_CHECKING:
    from expectations.outcomes import SuiteResult


#: Metadata key of ``monitoring/validation_results``: the regions each suite covered (``all`` or
#: the list), which the target checks, answered from the persisted rows, report.
SUITES_COVERED = "suites_regions_covered"


def read_scope(warehouse: WarehouseResource, run_id: str) -> ValidationScope | None:
    """The GX scope recorded by this run's dbt build (None: validate every row)."""
    with warehouse.connect(read_only=True) as con:
        return read_validation_scope(con, run_id)


def scope_metadata(
    scope: ValidationScope | None, suites: Sequence[SuiteResult], limit: int
) -> dict[str, Any]:
    """What a validation covered: the run's regions and, per suite, ``all`` or its regions."""
    per_suite = {
        s.suite_name: "all" if s.regions_covered is None else list(s.regions_covered)
        for s in suites
    }
    return {
        **coverage_metadata(None if scope is None else scope.regions, limit),
        SUITES_COVERED: dg.MetadataValue.json(per_suite),
    }


def suites_covered(instance: dg.DagsterInstance, validation_run_id: str | None) -> dict[str, Any]:
    """Per suite, the regions the validation of run ``validation_run_id`` covered (from its
    ``monitoring/validation_results`` materialization; empty when that run's is not the latest)."""
    event = instance.get_latest_materialization_event(VALIDATION_RESULTS)
    if event is None or event.run_id != validation_run_id or event.asset_materialization is None:
        return {}
    value = event.asset_materialization.metadata.get(SUITES_COVERED)
    data = getattr(value, "data", None)
    return data if isinstance(data, dict) else {}


def with_coverage(result: dg.AssetCheckResult, coverage: Any, limit: int) -> dg.AssetCheckResult:
    """``result`` saying which regions it covered (``coverage``: ``all``, a list of regions, or
    None when not known)."""
    if isinstance(coverage, list):
        extra = coverage_metadata(coverage, limit)
    else:
        extra = {"regions_covered": "all" if coverage == "all" else "unknown"}
    return result.with_metadata({**result.metadata, **extra})
