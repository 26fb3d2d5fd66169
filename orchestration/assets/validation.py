"""Great Expectations suites as Dagster assets and asset checks.

* ``monitoring/validation_results`` runs the target suites (``expectations.runner``), persisting
  every expectation result in the warehouse and building GX Data Docs (``reports/gx_data_docs``).
* One non-blocking check per plan on ``marts/fct_target_assessment`` reads those results:
  critical (binding) misses → ERROR, warnings → WARN, failing targets in the metadata.  A missed
  target is a finding, so the run still succeeds.
* The staging-layer data-quality suites run inside checks on the staging model they validate.
  Structural failures (duplicate keys, missing required columns/keys) are a *blocking* ERROR:
  everything downstream — including the published warehouse — is skipped and the run fails.
"""

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from orchestration.keys import (
    DATA_DOCS,
    STAGING_OBSERVATIONS,
    TARGET_ASSESSMENT,
    VALIDATION_RESULTS,
)
from orchestration.resources import WarehouseResource
from pipelines.config import SEEDS_DIR

#: Expectation types that test structure (keys present and unique, columns present), not content.
STRUCTURAL_EXPECTATIONS = frozenset(
    {
        "expect_column_to_exist",
        "expect_table_columns_to_match_set",
        "expect_table_columns_to_match_ordered_list",
        "expect_table_columns_to_contain_set",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_select_column_values_to_be_unique_within_record",
        "expect_column_values_to_not_be_null",
    }
)
MAX_LISTED = 50


def plan_ids(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Plan ids from the ``plans`` seed (one target suite and one check per plan)."""
    path = seeds_dir / "plans.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return sorted({row["plan_id"] for row in csv.DictReader(fh) if row.get("plan_id")})


def _check_name(plan_id: str) -> str:
    return f"gx_targets_{plan_id}"


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _latest_run_with(con: duckdb.DuckDBPyConnection, run_id: str, where: str) -> str | None:
    """This run's id if it validated anything matching ``where``, else the latest that did."""
    row = con.execute(
        f"select run_id from monitoring.validation_results where {where} "
        "order by (run_id = ?) desc, validated_at desc limit 1",
        [run_id],
    ).fetchone()
    return row[0] if row else None


def _jsonable(row: dict) -> dict:
    return {
        k: (v if isinstance(v, int | float | str | bool | type(None)) else str(v))
        for k, v in row.items()
    }


def _failing_table(rows: list[dict]) -> str:
    lines = [
        "| target | region | year | observed | required | severity |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows[:MAX_LISTED]:
        lines.append(
            f"| {r.get('target_id')} | {r.get('region_id')} | {r.get('year')} | "
            f"{r.get('observed_value')} | {r.get('threshold')} | {r.get('severity')} |"
        )
    if len(rows) > MAX_LISTED:
        lines.append(f"| … {len(rows) - MAX_LISTED} more | | | | | |")
    return "\n".join(lines)


def _severity(failing: list[dict]) -> dg.AssetCheckSeverity:
    critical = any(str(r.get("severity")).lower() == "critical" for r in failing)
    return dg.AssetCheckSeverity.ERROR if critical else dg.AssetCheckSeverity.WARN


def build_validation_defs(
    dbt_keys: set[dg.AssetKey],
) -> tuple[list[dg.AssetsDefinition], list[dg.AssetChecksDefinition]]:
    """Validation assets and checks for whichever validated dbt models exist in the manifest."""
    assets: list[dg.AssetsDefinition] = []
    checks: list[dg.AssetChecksDefinition] = []
    quality_key = STAGING_OBSERVATIONS if STAGING_OBSERVATIONS in dbt_keys else None
    upstream = [k for k in (TARGET_ASSESSMENT, quality_key) if k and k in dbt_keys]

    @dg.multi_asset(
        specs=[
            dg.AssetSpec(
                VALIDATION_RESULTS,
                deps=upstream,
                group_name="validation",
                kinds={"duckdb"},
                description="Every GX expectation result of every run (schema monitoring).",
            ),
            dg.AssetSpec(
                DATA_DOCS,
                deps=upstream,
                group_name="reports",
                description="GX Data Docs (static HTML) for the latest validation runs.",
            ),
        ],
        pool="duckdb",
        name="gx_target_validation",
    )
    def gx_target_validation(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult]:
        """Run the per-plan target suites and persist the results; build Data Docs."""
        from expectations.runner import run_target_validation

        settings = warehouse.settings()
        run_target_validation(settings.warehouse, context.run_id, settings.data_docs)
        with warehouse.connect(read_only=True) as con:
            summary = _fetch(
                con,
                "select suite_name, count(*) as expectations, "
                "count(*) filter (where not success) as failed, "
                "count(*) filter (where not success and severity = 'critical') as failed_critical "
                "from monitoring.validation_results where run_id = ? group by 1 order by 1",
                [context.run_id],
            )
        index = settings.data_docs / "local_site" / "index.html"
        if not index.exists():
            index = settings.data_docs / "index.html"
        yield dg.MaterializeResult(
            asset_key=VALIDATION_RESULTS,
            metadata={
                "suites": len(summary),
                "expectations": sum(r["expectations"] for r in summary),
                "failed": sum(r["failed"] for r in summary),
                "failed_critical": sum(r["failed_critical"] for r in summary),
                "per_suite": dg.MetadataValue.json([_jsonable(r) for r in summary]),
            },
        )
        yield dg.MaterializeResult(
            asset_key=DATA_DOCS,
            metadata={"path": dg.MetadataValue.path(str(index))},
        )

    assets.append(gx_target_validation)

    plans = plan_ids()
    if TARGET_ASSESSMENT in dbt_keys and plans:
        specs = [
            dg.AssetCheckSpec(
                _check_name(p),
                asset=TARGET_ASSESSMENT,
                additional_deps=[VALIDATION_RESULTS],
                description=f"GX target suite of plan {p}: every target × region × year.",
            )
            for p in plans
        ]

        @dg.multi_asset_check(specs=specs, name="gx_target_checks", can_subset=True)
        def gx_target_checks(
            context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
        ) -> Iterator[dg.AssetCheckResult]:
            """One result per plan suite from the persisted GX results of this run."""
            with warehouse.connect(read_only=True) as con:
                validated = _latest_run_with(con, context.run_id, "target_id is not null")
                rows = _fetch(
                    con,
                    "select * from monitoring.validation_results "
                    "where run_id = ? and target_id is not null",
                    [validated],
                )
            for key in context.selected_asset_check_keys:
                plan = key.name.removeprefix("gx_targets_")
                mine = [r for r in rows if r.get("plan_id") == plan]
                failing = [r for r in mine if not r.get("success")]
                failing.sort(
                    key=lambda r: (str(r.get("severity")) != "critical", str(r.get("target_id")))
                )
                yield dg.AssetCheckResult(
                    asset_key=TARGET_ASSESSMENT,
                    check_name=key.name,
                    passed=not failing,
                    severity=_severity(failing),
                    metadata={
                        "validation_run_id": str(validated),
                        "expectations": len(mine),
                        "failed": len(failing),
                        "failed_critical": sum(r.get("severity") == "critical" for r in failing),
                        "failing_targets": dg.MetadataValue.json(
                            [_jsonable(r) for r in failing[:MAX_LISTED]]
                        ),
                        "failing_table": dg.MetadataValue.md(_failing_table(failing)),
                    },
                )

        checks.append(gx_target_checks)

    if quality_key is not None:
        checks.append(_quality_checks(quality_key))
    return assets, checks


def _quality_checks(asset_key: dg.AssetKey) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        specs=[
            dg.AssetCheckSpec(
                "gx_structure",
                asset=asset_key,
                blocking=True,
                description=(
                    "Structural data quality (required keys present and unique, required "
                    "columns present). Blocks everything downstream, including publishing."
                ),
            ),
            dg.AssetCheckSpec(
                "gx_data_quality",
                asset=asset_key,
                description=(
                    "Content data quality: plausibility by unit, completeness of required "
                    "figures, consistency between related indicators."
                ),
            ),
        ],
        name="gx_quality_checks",
        pool="duckdb",
    )
    def gx_quality_checks(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.AssetCheckResult]:
        """Run the staging data-quality suites (persisted) and split structure from content."""
        from expectations.runner import run_quality_validation

        settings = warehouse.settings()
        run_quality_validation(settings.warehouse, context.run_id, settings.data_docs)
        with warehouse.connect(read_only=True) as con:
            rows = _fetch(
                con,
                "select * from monitoring.validation_results "
                "where run_id = ? and target_id is null",
                [context.run_id],
            )
        structural = [r for r in rows if r.get("expectation_type") in STRUCTURAL_EXPECTATIONS]
        content = [r for r in rows if r.get("expectation_type") not in STRUCTURAL_EXPECTATIONS]
        for name, group, severity in (
            ("gx_structure", structural, dg.AssetCheckSeverity.ERROR),
            ("gx_data_quality", content, None),
        ):
            failing = [r for r in group if not r.get("success")]
            yield dg.AssetCheckResult(
                asset_key=asset_key,
                check_name=name,
                passed=not failing,
                severity=severity or _severity(failing),
                metadata={
                    "expectations": len(group),
                    "failed": len(failing),
                    "failures": dg.MetadataValue.json(
                        [
                            _jsonable(
                                {
                                    k: r.get(k)
                                    for k in (
                                        "suite_name",
                                        "expectation_type",
                                        "indicator_code",
                                        "region_id",
                                        "year",
                                        "observed_value",
                                        "message",
                                    )
                                }
                            )
                            for r in failing[:MAX_LISTED]
                        ]
                    ),
                },
            )

    return gx_quality_checks
