"""Warehouses built by the real pipeline steps, shared by every test folder that needs one.

- :func:`ingest_and_build`: a landing zone ingested by ``pipelines.ingest``, then ``dbt build``
  of a copy of the project (the generator tests, :func:`build_shipped_warehouse`);
- :func:`build_dbt_warehouse`: a real dbt build over the project's REAL plan seeds, with
  synthetic raw observations:

Every target of `dbt_project/seeds/plan_targets.csv` gets a yearly series (2015–2023) for its
region (and each subregion for `each_subregion` targets), drawn deterministically around the
target so that some targets are met, some missed and some sit exactly on their bound. The raw
tables come from `pipelines.ingest.schema` (CONTRACTS §2); `dbt build` runs as a subprocess with
`HEALTHPLAN_WAREHOUSE` pointing at a file under the test's temporary directory.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from pipelines.config import DBT_PROJECT_DIR

if TYPE_CHECKING:
    from pipelines.ingest import FileResult

ASSESSMENT_YEAR = 2023
YEARS = range(2015, ASSESSMENT_YEAR + 1)
DBT = str(Path(sys.executable).parent / "dbt")
#: Values written as illustrative (the report must flag them) for every n-th series.
ILLUSTRATIVE_EVERY = 3


def _series_for(target: dict, direction: str, rng: random.Random) -> list[float]:
    """A plausible-looking yearly series whose last value lands near the target."""
    t = target.get("target_value")
    base = float(t) if t is not None and not pd.isna(t) else 50.0
    if target["comparator"] in ("reduce_by_pct", "increase_by_pct"):
        base = 50.0
    mode = rng.choice(["meet", "miss", "edge"])
    good = -1.0 if direction == "lower_is_better" else 1.0
    if mode == "edge":
        last = base
    elif mode == "meet":
        last = base + good * abs(base) * 0.02
    else:
        last = base - good * abs(base) * 0.02
    slope = rng.choice([-0.01, 0.0, 0.01]) * abs(base)
    values = [round(last - slope * (ASSESSMENT_YEAR - y), 4) for y in YEARS]
    if target["comparator"] == "reduce_by_pct":
        values[0] = 60.0  # the relative-to year's reference
    return values


def synthetic_observations(seeds_dir: Path) -> pd.DataFrame:
    """raw.observations rows for every (region, indicator) any real target needs."""
    targets = pd.read_csv(seeds_dir / "plan_targets.csv", dtype={"target_id": str})
    indicators = pd.read_csv(seeds_dir / "indicators.csv").set_index("indicator_code")
    regions = pd.read_csv(seeds_dir / "regions.csv")
    children = regions.groupby("parent_region_id")["region_id"].apply(list).to_dict()
    rng = random.Random(20231126)
    rows: dict[tuple[str, str, int], dict] = {}
    n_series = 0
    for t in targets.sort_values("target_id").to_dict(orient="records"):
        code = t["indicator_code"]
        region_ids = [t["region_id"]]
        if t["scope"] == "each_subregion":
            region_ids = children.get(t["region_id"], [])
        for region in region_ids:
            if (region, code, YEARS[0]) in rows:
                continue
            n_series += 1
            nature = "illustrative" if n_series % ILLUSTRATIVE_EVERY == 0 else "official"
            series = _series_for(t, indicators.loc[code, "direction"], rng)
            for i, (year, value) in enumerate(zip(YEARS, series, strict=True)):
                rows[(region, code, year)] = {
                    "file_hash": "synthetic",
                    "file_path": "synthetic/observations.csv",
                    "sheet": None,
                    "source_row": len(rows) + 2,
                    "ingested_at": datetime(2024, 1, 1),
                    "run_id": "synthetic",
                    "region_id": region,
                    "indicator_code": code,
                    "period": str(year),
                    "period_type": "year",
                    "year": year,
                    "value": value,
                    "unit": indicators.loc[code, "canonical_unit"],
                    "original_value": str(value),
                    "original_unit": indicators.loc[code, "canonical_unit"],
                    "source": "synthetic test series",
                    "source_quote": None,
                    "data_nature": nature if i == len(series) - 1 else "official",
                    "ci_lower": None,
                    "ci_upper": None,
                }
    return pd.DataFrame(list(rows.values()))


#: The warehouse file a builder writes under its root.
WAREHOUSE_NAME = "warehouse.duckdb"


def dbt_build(project: Path, warehouse: Path, dbt_vars: dict[str, Any] | None = None) -> None:
    """``dbt build`` of ``project`` into ``warehouse`` (models and seeds: dbt's own tests belong
    to the dbt suite; this build only needs the relations). Raises RuntimeError with dbt's output
    when the build fails."""
    env = dict(os.environ)
    env["HEALTHPLAN_WAREHOUSE"] = str(warehouse)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    cmd = [
        DBT,
        "build",
        *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []),
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1500, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


def copy_project(root: Path) -> Path:
    """A fresh copy of ``dbt_project/`` at ``root/dbt_project`` (no build artefacts)."""
    project = root / "dbt_project"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(
        DBT_PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"),
    )
    return project


def ingest_and_build(
    root: Path, raw: Path, run_id: str, dbt_vars: dict[str, Any] | None = None
) -> tuple[Path, list[FileResult]]:
    """The pipeline's first two steps on the landing zone ``raw``: ``pipelines.ingest`` into a
    new DuckDB file under ``root``, then :func:`dbt_build` of a copy of the project. Returns the
    warehouse and the ingestion's results."""
    from pipelines.ingest import ingest_all

    root.mkdir(parents=True, exist_ok=True)
    warehouse = root / WAREHOUSE_NAME
    warehouse.unlink(missing_ok=True)
    results = ingest_all(warehouse, raw, run_id)
    dbt_build(copy_project(root), warehouse, dbt_vars)
    return warehouse, results


def _once(root: Path, build: Callable[[], object]) -> Path:
    """``root``'s warehouse, built by ``build`` unless an earlier build under the same ``root``
    finished (marker file), so several test folders of one session share it."""
    marker = root / "built.ok"
    if not marker.exists():
        root.mkdir(parents=True, exist_ok=True)
        build()
        marker.write_text("ok", encoding="utf-8")
    return root / WAREHOUSE_NAME


def build_shipped_warehouse(root: Path) -> Path:
    """The warehouse ``make run`` builds: the SHIPPED landing zone (``raw/``: examples, the
    illustrative sample and the real public series) ingested by ``pipelines.ingest``, then
    ``dbt build`` with the project's own variables (no assessment year forced).

    Reuses an earlier build under the same ``root`` (marker file). Returns the warehouse path.
    """
    from pipelines.config import PROJECT_ROOT

    def build() -> None:
        raw = root / "raw"
        shutil.rmtree(raw, ignore_errors=True)
        shutil.copytree(PROJECT_ROOT / "raw", raw)
        ingest_and_build(root, raw, "shipped-sample")

    return _once(root, build)


def build_dbt_warehouse(root: Path) -> Path:
    """Copy the dbt project under ``root``, load synthetic raw data, run `dbt build`.

    Reuses an earlier build under the same ``root`` (marker file), so several test folders of one
    session share it. Returns the warehouse path.
    """
    from raw_arrivals import record_loaded_arrival

    from pipelines.ingest.schema import (
        ARRIVAL_KEY,
        FILE_LINEAGE,
        STORED_BY_ARRIVAL,
        ensure_raw_schema,
    )

    def build() -> None:
        project = copy_project(root)
        obs = synthetic_observations(project / "seeds")
        warehouse = root / WAREHOUSE_NAME
        warehouse.unlink(missing_ok=True)
        lineage = ", ".join(FILE_LINEAGE)
        with duckdb.connect(str(warehouse)) as con:
            ensure_raw_schema(con)
            con.register("_obs", obs)
            # the rows are stored by arrival: their one file's arrival first, as ingestion would
            (arrival,) = obs[list(FILE_LINEAGE)].drop_duplicates().itertuples(index=False)
            record_loaded_arrival(con, arrival, rows=len(obs))
            con.execute(
                f"insert into raw.{STORED_BY_ARRIVAL['observations']} by name "
                f"select o.* exclude ({lineage}), f.{ARRIVAL_KEY} "
                f"from _obs o join raw.ingested_files f using ({lineage})"
            )
        dbt_build(project, warehouse, {"assessment_year": ASSESSMENT_YEAR})

    return _once(root, build)
