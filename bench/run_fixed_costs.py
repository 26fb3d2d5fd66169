"""What any run that builds and validates pays before it touches a row: its fixed costs.

The incremental goal (issue 17) compares one run for one new file with a full build. Whatever
the run's data work, the stack makes it pay, in fresh processes:

- ``run_process_imports_s``: the run's own process importing the code location (Dagster,
  dagster-dbt, the project) and GX, which the GX steps import;
- ``dbt_version_s``: ``dbt --version`` through the executable a run gives dagster-dbt (the
  guard of :mod:`orchestration.project`), which dagster-dbt runs before every dbt command;
- ``dbt_start_and_parse_s``: ``dbt parse`` with nothing changed since the last build (dbt's
  interpreter, imports, adapter, partial parse and manifest), what every dbt invocation pays
  before its first node;
- ``dbt_through_dagster_dbt_s``: the same ``dbt parse`` started as a run starts dbt, through
  dagster-dbt's ``DbtCliResource.cli`` in a process that has imported the code location:
  besides the two above, dagster-dbt builds a dbt-core adapter in the run's process (profile,
  project, DuckDB adapter) before it starts dbt.

Each is timed in the workspace's environment, median of ``repeats``. A run pays the imports and
the dbt invocation through dagster-dbt (which includes ``dbt_version_s`` and
``dbt_start_and_parse_s``, given as its breakdown): ``lower_bound_s`` is their sum, a lower bound
of such a run whatever is done to the SQL, the suites or the report.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.workspace import VENV_BIN, Workspace
from orchestration.project import PARTIAL_PARSE, parse_state, write_guard


def _seconds(argv: list[str], ws: Workspace, cwd: Path) -> float:
    """Wall seconds of ``argv`` in a fresh process (raises if it fails)."""
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=ws.env(), check=True, capture_output=True)
    return time.perf_counter() - start


def _seed_parse_state(ws: Workspace, target: Path) -> None:
    """Put in ``target`` the partial-parse state a run's dbt starts from
    (:func:`orchestration.project.parse_state`), when there is one."""
    state = parse_state(ws.dbt_project / "target", ws.dbt_project)
    if state is not None:
        shutil.copy2(state, target / PARTIAL_PARSE)


def _dbt_parse(ws: Workspace, target: Path) -> list[str]:
    """``dbt parse`` into ``target``, starting from the partial-parse state a run would start
    from."""
    _seed_parse_state(ws, target)
    dbt = str(VENV_BIN / "dbt")
    return [dbt, "parse", "--profiles-dir", str(ws.dbt_project), "--target-path", str(target)]


def _through_dagster_dbt(ws: Workspace, target: Path) -> float:
    """Seconds of ``dbt parse`` into ``target`` started through the run's ``DbtCliResource``
    (:func:`orchestration.resources.dbt_resource`), timed inside a fresh process after its
    imports (those are ``run_process_imports_s``)."""
    _seed_parse_state(ws, target)
    argv = [sys.executable, "-m", "bench.run_fixed_costs", str(target)]
    env = ws.env(with_bench=True)
    proc = subprocess.run(argv, cwd=ws.project, env=env, check=True, capture_output=True, text=True)
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


def run_fixed_costs(ws: Workspace, repeats: int = 3) -> dict[str, float]:
    """The fixed costs of a run in ``ws`` (median seconds of ``repeats`` each) and
    ``lower_bound_s`` (module docstring). Run it on a warehouse that has been built (dbt parse
    reads nothing from it, but a build must have left its partial-parse state)."""
    python = sys.executable
    imports = [python, "-c", "import orchestration.definitions, great_expectations"]
    figures: dict[str, list[float]] = {
        "run_process_imports_s": [],
        "dbt_through_dagster_dbt_s": [],
        "dbt_version_s": [],
        "dbt_start_and_parse_s": [],
    }
    guard = str(write_guard(str(VENV_BIN / "dbt"), ws.root / ".dbt-guarded"))
    for _ in range(repeats):
        figures["run_process_imports_s"].append(_seconds(imports, ws, ws.project))
        figures["dbt_version_s"].append(_seconds([guard, "--version"], ws, ws.project))
        with tempfile.TemporaryDirectory(prefix="dbt-parse-", dir=ws.root) as tmp:
            parse = _dbt_parse(ws, Path(tmp))
            figures["dbt_start_and_parse_s"].append(_seconds(parse, ws, ws.dbt_project))
        with tempfile.TemporaryDirectory(prefix="dbt-parse-", dir=ws.root) as tmp:
            figures["dbt_through_dagster_dbt_s"].append(_through_dagster_dbt(ws, Path(tmp)))
    medians = {name: round(statistics.median(values), 3) for name, values in figures.items()}
    medians["lower_bound_s"] = round(
        medians["run_process_imports_s"] + medians["dbt_through_dagster_dbt_s"], 3
    )
    return medians


def _main(target: str) -> None:
    """In a run-like process: import the code location, then time ``dbt parse`` into
    ``target`` through the run's dbt resource; prints ``{"seconds": …}``."""
    import orchestration.definitions  # noqa: F401  (the imports a run's process has done)
    from orchestration.resources import dbt_resource

    start = time.perf_counter()
    dbt_resource().cli(["parse", "--target-path", target], raise_on_error=True).wait()
    print(json.dumps({"seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    _main(sys.argv[1])
