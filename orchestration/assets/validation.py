"""Great Expectations suites as Dagster assets and asset checks (``expectations.runner``).

* ``monitoring/validation_results`` runs the per-plan target suites, appends every result to the
  warehouse and builds GX Data Docs (``reports/gx_data_docs``).
* One non-blocking check per plan on ``marts/fct_target_assessment`` reports that plan's suite from
  the persisted results. A missed health target is a **finding about the city, not a defect of the
  pipeline**: always severity WARN (never the red of a broken pipeline), `kind: finding` in the
  metadata, the binding misses counted first, the failing targets listed. The run still succeeds.
* The data-quality suites run inside checks on the model each one validates (one check per suite).
  These are **data defects** (`kind: data_defect`; ERROR when critical). Each validated model
  also gets a *blocking* ``gx_structure`` check: a structural failure
  (duplicate keys, missing required columns or keys) stops everything downstream — the report, the
  published warehouse — and fails the run, which raises an alert.

After an incremental build both validate the affected regions only and carry the last run's
results forward for the others; every check says which regions it covered
(``orchestration/assets/validation_scope.py``, ``expectations/carry_forward.py``).
"""

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg
import duckdb

from orchestration.assets.validation_scope import (
    read_scope,
    scope_metadata,
    suites_covered,
    with_coverage,
)
from orchestration.keys import DATA_DOCS, TARGET_ASSESSMENT, VALIDATION_RESULTS
from orchestration.resources import WarehouseResource
from pipelines.config import SEEDS_DIR
from pipelines.db import fetch_dicts
from pipelines.validation_scope import coverage_metadata

if TYPE_CHECKING:
    from expectations.outcomes import SuiteResult

MAX_LISTED = 50
STRUCTURE_CHECK = "gx_structure"
TARGET_SUITE_PREFIX = "targets__"
#: Target checks are named ``finding_targets__<plan>``: a health finding, told apart at a glance
#: from the data-defect checks ``gx_quality__*`` and ``gx_structure``.
FINDING_CHECK_PREFIX = "finding_"


def plan_ids(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Plan ids from the ``plans`` seed (one target suite and one check per plan)."""
    path = seeds_dir / "plans.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return sorted({row["plan_id"] for row in csv.DictReader(fh) if row.get("plan_id")})


def quality_suites() -> dict[str, dg.AssetKey]:
    """Data-quality suite name → the asset (``schema/model``) it validates."""
    import pandas as pd

    from expectations.quality_suites import quality_specs

    empty = pd.DataFrame({"indicator_code": [], "canonical_unit": []})
    return {s.suite_name: dg.AssetKey(s.asset.split(".")) for s in quality_specs(empty)}


def _jsonable(row: dict) -> dict:
    return {
        k: (v if isinstance(v, int | float | str | bool | type(None)) else str(v))
        for k, v in row.items()
    }


def _severity(gx_severity: str | None) -> dg.AssetCheckSeverity:
    """GX ``critical`` (binding target, structural rule) → ERROR; anything else → WARN."""
    if str(gx_severity).lower() == "critical":
        return dg.AssetCheckSeverity.ERROR
    return dg.AssetCheckSeverity.WARN


def _interval(row: dict) -> str:
    lo, hi = row.get("ci_lower"), row.get("ci_upper")
    return "" if lo is None or hi is None else f"{lo:g}–{hi:g}"


def _failing_table(rows: list[dict], total: int | None = None) -> str:
    """Markdown table of the first :data:`MAX_LISTED` failing rows (of ``total``; default: all
    of ``rows``) with what each verdict rests on (data year, source, nature, interval;
    docs/verdicts.md)."""
    lines = [
        (
            "| target | region | year | status | observed | required | data year | source "
            "| nature | 95 % interval | severity |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows[:MAX_LISTED]:
        lines.append(
            f"| {r.get('target_id')} | {r.get('region_id')} | {r.get('year')} | "
            f"{r.get('status') or ''} | {r.get('observed_value')} | {r.get('threshold')} | "
            f"{r.get('data_year') or ''} | {r.get('data_source') or ''} | "
            f"{r.get('data_nature') or ''} | {_interval(r)} | {r.get('severity')} |"
        )
    total = len(rows) if total is None else total
    if total > MAX_LISTED:
        lines.append(f"| … {total - MAX_LISTED} more | | | | | | | | | | |")
    return "\n".join(lines)


def target_check_result(
    rows: list[dict], plan_id: str, validation_run_id: str | None
) -> dg.AssetCheckResult:
    """Check result of one plan's target suite from its persisted ``validation_results`` rows:
    every expectation row, and failing elements (all, or the first :data:`MAX_LISTED` with
    ``elements_in_suite`` saying how many there are: :func:`_target_results`)."""
    suite = f"{TARGET_SUITE_PREFIX}{plan_id}"
    mine = [r for r in rows if r.get("suite_name") == suite]
    expectations = [r for r in mine if r.get("row_kind") != "element"]
    failed = [r for r in expectations if not r.get("success")]
    elements = [r for r in mine if r.get("row_kind") == "element"] or failed
    total = max([int(r.pop("elements_in_suite", None) or 0) for r in mine] + [len(elements)])
    elements.sort(key=lambda r: (r.get("severity") != "critical", str(r.get("target_id"))))
    binding = sum(r.get("severity") == "critical" for r in failed)
    return dg.AssetCheckResult(
        asset_key=TARGET_ASSESSMENT,
        check_name=f"{FINDING_CHECK_PREFIX}{suite}",
        passed=not failed,
        # A finding, never a pipeline failure: WARN even for binding targets (see docstring).
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"Health-target findings of plan {plan_id} (健康目标结果，非管道故障): "
            f"{len(failed)} targets missed or off track, {binding} binding."
            if failed
            else f"Health targets of plan {plan_id}: none missed."
        )
        + ("" if mine else " (no results: nothing validated)"),
        metadata={
            "kind": "finding",
            "validation_run_id": str(validation_run_id),
            "suite": suite,
            "expectations": len(expectations),
            "failed_expectations": len(failed),
            "failed_binding": sum(r.get("severity") == "critical" for r in failed),
            "failing_targets": sorted({str(r.get("target_id")) for r in failed}),
            "failures": dg.MetadataValue.json([_jsonable(r) for r in elements[:MAX_LISTED]]),
            "failure_table": dg.MetadataValue.md(_failing_table(elements, total)),
        },
    )


def build_validation_defs(
    dbt_keys: set[dg.AssetKey],
) -> tuple[list[dg.AssetsDefinition], list[dg.AssetChecksDefinition]]:
    """Validation assets and checks for whichever validated dbt models exist in the manifest."""
    checks: list[dg.AssetChecksDefinition] = []
    suites = {name: key for name, key in quality_suites().items() if key in dbt_keys}
    if suites:
        checks.append(_quality_checks(suites))
    upstream = sorted({TARGET_ASSESSMENT, *suites.values()} & dbt_keys, key=str)
    plans = plan_ids()
    if TARGET_ASSESSMENT in dbt_keys and plans:
        checks.append(_target_checks(plans))
    return [_target_validation(upstream)], checks


def _target_validation(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The asset running the per-plan target suites after ``upstream`` (results + Data Docs)."""

    @dg.multi_asset(
        specs=[
            dg.AssetSpec(
                VALIDATION_RESULTS,
                deps=upstream,
                group_name="validation",
                kinds={"duckdb"},
                description=(
                    "Every GX expectation result of every run (monitoring.validation_results)."
                ),
            ),
            dg.AssetSpec(
                DATA_DOCS,
                deps=upstream,
                group_name="reports",
                description="GX Data Docs (static HTML) of the latest validations.",
            ),
        ],
        pool="duckdb",
        name="gx_target_validation",
    )
    def gx_target_validation(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult]:
        """Run the per-plan target suites, persist the results and build Data Docs."""
        from expectations.runner import run_target_validation
        from pipelines.engine import open_warehouse

        settings = warehouse.settings()
        scope = read_scope(warehouse, context.run_id)
        # the verdict tables of the engine that built them (on Spark: read through Spark)
        run = run_target_validation(
            settings.warehouse,
            context.run_id,
            settings.data_docs,
            reader=open_warehouse(settings),
            scope=scope,
        )
        failed = [s for s in run.suites if not s.success]
        yield dg.MaterializeResult(
            asset_key=VALIDATION_RESULTS,
            metadata={
                "suites": len(run.suites),
                "suites_failed": len(failed),
                "rows_persisted": run.rows_persisted,
                "failing_targets": sum(len(s.failing_targets) for s in run.suites),
                "seconds": round(run.seconds, 2),
                **scope_metadata(scope, run.suites, MAX_LISTED),
            },
        )
        index = run.data_docs_index or settings.data_docs
        yield dg.MaterializeResult(
            asset_key=DATA_DOCS, metadata={"path": dg.MetadataValue.path(str(index))}
        )

    return gx_target_validation


def _target_checks(plans: list[str]) -> dg.AssetChecksDefinition:
    """One finding check per plan on the target assessment, read from the persisted results."""
    specs = [
        dg.AssetCheckSpec(
            f"{FINDING_CHECK_PREFIX}{TARGET_SUITE_PREFIX}{p}",
            asset=TARGET_ASSESSMENT,
            additional_deps=[VALIDATION_RESULTS],
            description=(
                f"Finding, not a pipeline defect (健康目标结果): GX target suite of plan {p}, "
                "every target × region × year. WARN when targets are missed."
            ),
        )
        for p in plans
    ]

    @dg.multi_asset_check(specs=specs, name="gx_target_checks", can_subset=True)
    def gx_target_checks(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.AssetCheckResult]:
        """One result per plan suite, read from the target validation persisted upstream."""
        with warehouse.connect(read_only=True) as con:
            validated, rows = _target_results(con, context.op_execution_context.run_id)
        covered = suites_covered(context.op_execution_context.instance, validated)
        for key in context.selected_asset_check_keys:
            plan = key.name.removeprefix(f"{FINDING_CHECK_PREFIX}{TARGET_SUITE_PREFIX}")
            result = target_check_result(rows, plan, validated)
            coverage = covered.get(f"{TARGET_SUITE_PREFIX}{plan}")
            yield with_coverage(result, coverage, MAX_LISTED)

    return gx_target_checks


def _target_results(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str | None, list[dict]]:
    """(validation run id, the rows its checks report: :file:`pipelines/sql/target_check_rows.sql`)
    of run ``run_id``'s target validation, or of the latest when that run validated none (checks
    run alone): the report's rule, :func:`pipelines.report.queries.resolve_run_id`."""
    from pipelines.history import read_sql
    from pipelines.report.queries import resolve_run_id

    resolved = resolve_run_id(con, run_id)
    if resolved is None:
        return None, []
    validated, validated_at = resolved
    params = {
        "run_id": validated,
        "validated_at": validated_at,
        "suite_prefix": TARGET_SUITE_PREFIX,
        "limit": MAX_LISTED,
    }
    return validated, fetch_dicts(con, read_sql("target_check_rows"), params)


def _quality_check_specs(suites: dict[str, dg.AssetKey]) -> list[dg.AssetCheckSpec]:
    """One check per data-quality suite, plus one blocking structure check per validated model."""
    return [
        dg.AssetCheckSpec(
            f"gx_{name}",
            asset=key,
            description=f"Data defect check (数据缺陷): GX data-quality suite {name}.",
        )
        for name, key in suites.items()
    ] + [
        dg.AssetCheckSpec(
            STRUCTURE_CHECK,
            asset=key,
            blocking=True,
            description=(
                "Pipeline defect check (数据缺陷): structure (required columns and keys present, "
                "keys unique). Blocking: a failure stops everything downstream, including the "
                "published warehouse."
            ),
        )
        for key in sorted(set(suites.values()), key=str)
    ]


def _quality_checks(suites: dict[str, dg.AssetKey]) -> dg.AssetChecksDefinition:
    """The checks of :func:`_quality_check_specs`, all answered by one quality validation run."""

    @dg.multi_asset_check(
        specs=_quality_check_specs(suites), name="gx_quality_checks", pool="duckdb"
    )
    def gx_quality_checks(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.AssetCheckResult]:
        """Run the data-quality suites once (persisted) and report each, plus structure per model."""
        from expectations.runner import run_quality_validation

        settings = warehouse.settings()
        run_id = context.op_execution_context.run_id
        run = run_quality_validation(
            settings.warehouse,
            run_id,
            settings.data_docs,
            suites=sorted(suites),
            scope=read_scope(warehouse, run_id),
        )
        by_name = {s.suite_name: s for s in run.suites}
        for name, key in suites.items():
            yield _suite_result(name, key, by_name.get(name))
        for key in sorted(set(suites.values()), key=str):
            yield _structure_result(key, [s for s in run.suites if suites.get(s.suite_name) == key])

    return gx_quality_checks


def _suite_result(name: str, key: dg.AssetKey, suite: "SuiteResult | None") -> dg.AssetCheckResult:
    """The check result of data-quality suite ``name`` on ``key`` (``None``: it did not run)."""
    if suite is None:
        return dg.AssetCheckResult(
            asset_key=key,
            check_name=f"gx_{name}",
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description="suite did not run",
        )
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=f"gx_{name}",
        passed=suite.success,
        severity=_severity(suite.severity),
        metadata={"kind": "data_defect", **_jsonable_metadata(suite.check_metadata(MAX_LISTED))},
    )


def _structure_result(key: dg.AssetKey, model_suites: "list[SuiteResult]") -> dg.AssetCheckResult:
    """The blocking structure check of model ``key`` over the suites that validated it."""
    broken = [msg for s in model_suites for msg in s.structural_failures]
    scoped = [s.regions_covered for s in model_suites]
    # The model's rows the structure rules covered: every row if any of its suites read them all.
    regions = None if not scoped or None in scoped else sorted({r for s in scoped for r in s or ()})
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=STRUCTURE_CHECK,
        passed=not broken,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"structural_failures": broken, **coverage_metadata(regions, MAX_LISTED)},
    )


def _jsonable_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v if isinstance(v, int | float | str | bool) else dg.MetadataValue.json(v))
        for k, v in meta.items()
    }
