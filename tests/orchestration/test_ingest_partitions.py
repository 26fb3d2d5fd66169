"""Two landing-zone files ingested in one run: each partition shows its own file's figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from orchestration.assets.ingest import landing_files
from orchestration.keys import RAW_FILES
from orchestration.landing import LANDING_FILES
from orchestration.resources import WarehouseResource

EXAMPLES = Path(__file__).resolve().parents[2] / "raw" / "examples"


def test_each_partition_has_its_own_file_figures(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    files = ["long_observations_zh.csv", "yearbook_wide.csv"]
    for name in files:
        shutil.copy(EXAMPLES / name, raw / name)
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(LANDING_FILES.name, files)
    resource = WarehouseResource(
        warehouse=str(tmp_path / "wh.duckdb"),
        raw=str(raw),
        published=str(tmp_path / "pub.duckdb"),
        reports=str(tmp_path / "reports"),
    )
    result = dg.materialize(
        [landing_files],
        instance=instance,
        resources={"warehouse": resource},
        tags={
            "dagster/asset_partition_range_start": files[0],
            "dagster/asset_partition_range_end": files[1],
        },
    )
    assert result.success
    observed = {
        o.partition: o.metadata for o in result.asset_observations_for_node(landing_files.op.name)
    }
    assert set(observed) == set(files)
    read = {k: m["file_rows_read"].value for k, m in observed.items()}
    assert all(v > 0 for v in read.values()) and len(set(read.values())) == 2
    assert all(m["file_path"].value == k for k, m in observed.items())
    # The run's one materialization names its figures as the run's totals.
    meta = result.asset_materializations_for_node(landing_files.op.name)[0].metadata
    assert meta["run_files"].value == 2 and "file_rows_read" not in meta
    assert meta["run_rows_loaded"].value == sum(
        m["file_rows_loaded"].value for m in observed.values()
    )
    assert RAW_FILES == landing_files.key
