"""dbt manifest preparation and the guard that stops dbt when its run dies."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from orch_helpers import PYTHON

from orchestration.project import (
    MANIFEST_INPUTS,
    dbt_executable,
    manifest_inputs,
    prepare_manifest,
    write_guard,
)
from pipelines.config import DBT_PROJECT_DIR


def _parent_of_a_guard(code: str) -> tuple[subprocess.Popen, int]:
    """A Python process running ``code``, which starts a guard and prints its pid; returns the
    process and that pid."""
    parent = subprocess.Popen(
        [PYTHON, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    return parent, int(parent.stdout.readline())


def _wait_until_gone(pid: int, failure: str) -> None:
    """Wait up to 10 s for ``pid`` to end (a zombie counts: it ended, its reaper is elsewhere);
    fails with ``failure``, killing it."""
    deadline = time.monotonic() + 10
    try:
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie":
            assert time.monotonic() < deadline, failure
            time.sleep(0.05)
    finally:
        if psutil.pid_exists(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("parent_ignores_sigterm", [False, True])
def test_guarded_child_dies_with_a_killed_parent(
    tmp_path: Path, parent_ignores_sigterm: bool
) -> None:
    """Also when the parent ignores SIGTERM: an ignored signal survives exec, so without the
    guard's reset the death signal never reached dbt (seen inside the full test suite)."""
    guard = write_guard("/bin/sleep", tmp_path / "guarded-sleep")
    parent, child_pid = _parent_of_a_guard(
        f"""
        import signal, subprocess, time
        if {parent_ignores_sigterm!r}:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        child = subprocess.Popen([{str(guard)!r}, "120"])
        print(child.pid, flush=True)
        time.sleep(120)
        """
    )
    time.sleep(0.5)  # let the guard exec sleep
    assert psutil.Process(child_pid).name() == "sleep"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    _wait_until_gone(child_pid, "guarded child outlived its killed parent")


def test_guarded_child_dies_when_its_parent_died_before_the_guard_started(tmp_path: Path) -> None:
    """The kernel's death signal only covers a parent that dies after the guard asked for it. A
    parent killed just after starting dbt (the CI failure: a killed run's dbt built on as an
    orphan and held the warehouse's lock against the next run) must stop dbt too. Here the
    guard starts a second after its parent is gone, deterministically."""
    guard = write_guard("/bin/sleep", tmp_path / "guarded-sleep")
    late = ["sh", "-c", f"sleep 1; exec {guard} 120"]  # exec: the same process becomes the guard
    parent, child_pid = _parent_of_a_guard(
        f"""
        import os, subprocess
        child = subprocess.Popen({late!r}, stdout=subprocess.PIPE)  # as dagster-dbt does
        print(child.pid, flush=True)
        os._exit(0)
        """
    )
    parent.wait()
    _wait_until_gone(child_pid, "guard started by a dead parent ran dbt anyway")


def test_prepare_writes_a_manifest_with_every_model() -> None:
    path = prepare_manifest()
    nodes = json.loads(path.read_text(encoding="utf-8"))["nodes"]
    models = {n["name"] for n in nodes.values() if n["resource_type"] == "model"}
    on_disk = {p.stem for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")}
    assert models == on_disk


def test_a_run_parses_the_project_only_when_what_the_parse_reads_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = prepare_manifest(force=True)
    parsed = path.stat().st_mtime_ns
    assert (path.parent / MANIFEST_INPUTS).read_text(encoding="utf-8") == manifest_inputs()
    assert prepare_manifest() == path
    assert path.stat().st_mtime_ns == parsed  # same inputs: no dbt parse
    # a variable profiles.yml reads (the warehouse path) changes what dbt parses: parse again
    monkeypatch.setenv("HEALTHPLAN_WAREHOUSE", str(tmp_path / "elsewhere.duckdb"))
    prepare_manifest()
    assert path.stat().st_mtime_ns != parsed
    assert (path.parent / MANIFEST_INPUTS).read_text(encoding="utf-8") == manifest_inputs()


def test_manifest_inputs_follow_the_dbt_inputs_and_the_profile(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    before = manifest_inputs(project)
    (project / "target").mkdir()  # build output is not an input
    (project / "target" / "manifest.json").write_text("{}", encoding="utf-8")
    assert manifest_inputs(project) == before
    model = next((project / "models").rglob("fct_indicator_observation.sql"))
    model.write_text(model.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert manifest_inputs(project) != before
    model.write_text(model.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    assert manifest_inputs(project) == before
    profiles = project / "profiles.yml"
    profiles.write_text(profiles.read_text(encoding="utf-8") + "\n# x\n", encoding="utf-8")
    assert manifest_inputs(project) != before


def test_old_dbt_invocation_folders_are_pruned(tmp_path: Path) -> None:
    from orchestration.assets.dbt import prune_invocation_dirs

    for i in range(5):
        folder = tmp_path / f"dbt_models-{i}"
        folder.mkdir()
        os.utime(folder, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "manifest.json").write_text("{}")
    prune_invocation_dirs(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dbt_models-3",
        "dbt_models-4",
        "manifest.json",
    ]


def _first_version(text: str) -> str:
    match = re.search(r"(\d+\.\d+\.\d+)", text)
    assert match, text
    return match.group(1)


def test_the_guard_answers_dbt_version_as_dbt_does(tmp_path: Path) -> None:
    """dagster-dbt reads the first version in ``dbt --version`` before each dbt command; the
    guard of this environment's dbt answers it from the package metadata, and the same."""
    dbt = dbt_executable()
    guard = write_guard(dbt, tmp_path / "guarded-dbt")
    ours = subprocess.run([guard, "--version"], capture_output=True, text=True, check=True)
    real = subprocess.run([dbt, "--version"], capture_output=True, text=True, check=True)
    assert _first_version(ours.stdout) == _first_version(real.stdout)
    assert "Plugins" in real.stdout and "Plugins" not in ours.stdout  # dbt itself did not start
    # any other executable is asked itself
    other = write_guard("/bin/sleep", tmp_path / "guarded-sleep")
    asked = subprocess.run([other, "--version"], capture_output=True, text=True, check=True)
    assert "coreutils" in asked.stdout
