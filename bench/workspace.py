"""A self-contained benchmark workspace: landing zone, warehouse, reports and a project copy.

Every scale runs in its own directory with a private copy of the code and dbt project, so the
benchmark never writes to the repository's warehouse, seeds or ``dbt_project/target`` and can
override seeds (scale M applies the targets to every generated region) without touching the repo.
The copy is put first on ``PYTHONPATH``, which wins over the editable install.
"""

from __future__ import annotations

import compileall
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import PROJECT_ROOT

#: What a project copy needs: the three packages and the dbt project (target/logs excluded).
COPIED = ("pipelines", "orchestration", "expectations", "dbt_project")
_IGNORE = shutil.ignore_patterns("target", "logs", "__pycache__", "*.pyc", ".user.yml")
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Workspace:
    """Paths of one benchmark run.

    Attributes:
        root: the workspace directory.
        project: the private project copy (its ``dbt_project`` is the one dbt runs).
    """

    root: Path
    project: Path
    raw_dir: Path | None = None

    @property
    def raw(self) -> Path:
        """The landing zone (a shared data directory when generated data is reused)."""
        return self.raw_dir or self.root / "raw"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "healthplan.duckdb"

    @property
    def published(self) -> Path:
        return self.root / "warehouse" / "published" / "healthplan.duckdb"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def floor_db(self) -> Path:
        return self.root / "floor.duckdb"

    @property
    def dbt_project(self) -> Path:
        return self.project / "dbt_project"

    @property
    def seeds(self) -> Path:
        return self.dbt_project / "seeds"

    def env(self, with_bench: bool = False) -> dict[str, str]:
        """Environment for every subprocess of this workspace; ``with_bench``: the package
        ``bench`` importable too (after the project copy), for ``python -m bench.…`` children."""
        env = dict(os.environ)
        env.update(
            HEALTHPLAN_WAREHOUSE=str(self.warehouse),
            HEALTHPLAN_RAW=str(self.raw),
            HEALTHPLAN_PUBLISHED=str(self.published),
            HEALTHPLAN_REPORTS=str(self.reports),
            DAGSTER_HOME=str(self.dagster_home),
            PYTHONPATH=os.pathsep.join(
                [str(self.project)] + [p for p in [env.get("PYTHONPATH", "")] if p]
            ),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            # The benchmark writes a file and asks the sensor at once: no settle delay.
            HEALTHPLAN_SENSOR_SETTLE_SECONDS="0",
            DO_NOT_TRACK="1",
            PATH=os.pathsep.join([str(VENV_BIN), env.get("PATH", "")]),
        )
        if with_bench:
            env["PYTHONPATH"] += os.pathsep + str(Path(__file__).resolve().parent.parent)
        return env

    def reset_warehouse(self) -> None:
        """Delete the warehouse, published copy, reports and Dagster state (a fresh start)."""
        for path in (self.warehouse.parent, self.reports, self.dagster_home):
            shutil.rmtree(path, ignore_errors=True)
        self.warehouse.parent.mkdir(parents=True, exist_ok=True)
        self.reports.mkdir(parents=True, exist_ok=True)
        self._init_dagster_home()
        shutil.rmtree(self.dbt_project / "target", ignore_errors=True)

    def _init_dagster_home(self) -> None:
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        src = PROJECT_ROOT / ".dagster_home" / "dagster.yaml"
        if src.exists():
            shutil.copy2(src, self.dagster_home / "dagster.yaml")


def create_workspace(
    root: Path, source: Path = PROJECT_ROOT, raw_dir: Path | None = None
) -> Workspace:
    """Create (or recreate) a workspace under ``root`` with a fresh copy of the project.

    ``raw_dir`` points the landing zone at existing data (kept outside the workspace so that
    generated data can be reused between benchmark runs).
    """
    root = root.resolve()
    shutil.rmtree(root, ignore_errors=True)
    project = root / "project"
    project.mkdir(parents=True)
    for name in COPIED:
        if (source / name).exists():
            shutil.copytree(source / name, project / name, ignore=_IGNORE)
    # Bytecode of the copy, as `make install` leaves it for the checkout (the Makefile's
    # $(READY)): where PYTHONDONTWRITEBYTECODE is set, no process would otherwise cache it.
    compileall.compile_dir(project, quiet=1, workers=0)
    ws = Workspace(root=root, project=project, raw_dir=raw_dir)
    ws.raw.mkdir(parents=True, exist_ok=True)
    ws.logs.mkdir(parents=True)
    ws.reset_warehouse()
    return ws
