"""``python -m bench.spark_row [--scale M] [--out DIR]``: the ``dbt_build_spark`` row alone.

The M scale of ``make bench`` (bench.scales.run_m) measures this row inside its per-stage
breakdown, after every DuckDB stage. This entry point measures only what the Spark row needs,
so that it fits a time slot on a shared machine: generate (cached by parameters), ingest into
DuckDB, the build on local Spark over the Parquet lake (docs/scale-out.md), then the DuckDB
``dbt build`` of the same models and seeds (the comparison at similar load; last, so that a run
stopped for time has the Spark figure in its checkpoint already). It writes
``<out>/<scale>_spark.json`` like the other scales.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import ours, scales_generate
from bench.measure import MemorySampler, measure
from bench.results import ScaleResult, table, write_json
from bench.scales_staged import spark_build
from bench.workspace import create_workspace

#: Scales this entry point knows (the tiny one is for trying it out in seconds).
PARAMS = {"tiny": scales_generate.TINY, "M": scales_generate.M}


def run(out: Path, scale: str = "M") -> ScaleResult:
    """Generate, ingest, DuckDB build, Spark build of ``scale``; models and seeds, no tests."""
    params = PARAMS[scale]
    result = ScaleResult(f"{scale}_spark", params={"generate": params.argv()}, out_dir=out)
    result.params["load_average_at_start"] = os.getloadavg()
    with MemorySampler() as sampler:
        data = out / "data" / params.key()
        ws = create_workspace(out / "work" / f"{scale}_spark", raw_dir=data / "landing")
        scales_generate.generate(sampler, result, ws, params, data, targets_per_region=True)
        with measure(sampler, "ingest") as st:
            result.add(st)
            st.detail = ours.ingest(ws, f"bench-{scale}-spark")
            st.rows = st.detail.get("rows_read")
        spark_build(sampler, result, ws)
        with measure(sampler, "dbt_build") as st:
            result.add(st)
            st.detail = ours.dbt(
                ws,
                "build",
                "dbt_build",
                "--exclude",
                "resource_type:test",
                "resource_type:unit_test",
            )
            st.detail.pop("node_spans", None)
            st.rows = st.detail.get("rows_written")
    result.params["load_average_at_end"] = os.getloadavg()
    result.peak_mb = round(sampler.peak / 2**20, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spark_row", description=__doc__)
    parser.add_argument("--scale", choices=sorted(PARAMS), default="M")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    result = run(args.out.resolve(), args.scale)
    result.complete = True
    path = write_json(result, args.out.resolve())
    print(table(result), flush=True)
    print(f"→ {path}", flush=True)
    return 1 if any(s.status == "error" for s in result.stages.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
