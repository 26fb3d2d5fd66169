"""The dbt project as Dagster sees it, and how its manifest is prepared (``healthplan prepare``).

dagster-dbt builds asset definitions from ``dbt_project/target/manifest.json``.  The manifest is
generated state (git-ignored), so it is produced by ``dbt parse`` on demand: by
``healthplan prepare`` (``make test``/``make dev``), by ``healthplan run``, and as a last resort
when the definitions are imported without one (a fresh clone running ``dagster dev`` directly).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.config import DBT_PROJECT_DIR, load_settings

#: Inputs whose change makes the manifest stale.
_DBT_INPUT_DIRS = ("models", "seeds", "macros", "tests", "snapshots", "analyses")
_DBT_INPUT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml")


def dbt_executable() -> str:
    """The ``dbt`` next to this interpreter (the venv's), else whatever is on PATH."""
    local = Path(sys.executable).parent / "dbt"
    return str(local) if local.exists() else (shutil.which("dbt") or "dbt")


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def manifest_path() -> Path:
    """Path of the manifest dagster-dbt reads."""
    return Path(dbt_project.manifest_path)


def _newest_input_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in _DBT_INPUT_FILES:
        path = project_dir / name
        if path.exists():
            newest = max(newest, path.stat().st_mtime)
    for folder in _DBT_INPUT_DIRS:
        root = project_dir / folder
        if root.exists():
            for path in root.rglob("*"):
                if path.is_file():
                    newest = max(newest, path.stat().st_mtime)
    return newest


def manifest_is_current(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """True when the manifest exists and is newer than every dbt source file."""
    manifest = project_dir / "target" / "manifest.json"
    return manifest.exists() and manifest.stat().st_mtime >= _newest_input_mtime(project_dir)


def _run_dbt(args: list[str], project_dir: Path) -> None:
    env = load_settings().dbt_env()
    cmd = [dbt_executable(), *args, "--project-dir", str(project_dir)]
    cmd += ["--profiles-dir", str(project_dir)]
    proc = subprocess.run(cmd, cwd=project_dir, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(cmd)}` failed (exit {proc.returncode}):\n{proc.stdout[-4000:]}"
            f"\n{proc.stderr[-2000:]}"
        )


def prepare_manifest(force: bool = False, project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """Run ``dbt deps`` (when packages are declared) and ``dbt parse`` if the manifest is stale.

    A file lock serialises concurrent callers (parallel test workers, code server + CLI) so two
    parses never write ``target/`` at once.

    Returns:
        The manifest path.
    """
    target = project_dir / "target"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".prepare.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if force or not manifest_is_current(project_dir):
            has_packages = any(
                (project_dir / n).exists() for n in ("packages.yml", "dependencies.yml")
            )
            if has_packages and not (project_dir / "dbt_packages").exists():
                _run_dbt(["deps"], project_dir)
            _run_dbt(["parse"], project_dir)
            os.utime(target / "manifest.json")
    return project_dir / "target" / "manifest.json"
