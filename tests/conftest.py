"""How the suite spreads over pytest-xdist workers, and builds shared between them.

``make test`` runs ``pytest -n 2 --dist loadgroup --no-loadscope-reorder``. Every test gets an
``xdist_group`` mark here, so a group is a work unit xdist gives one worker whole:

- by default the group is the test's file (what ``--dist loadfile`` did: a file's module and
  session fixtures are built once, on the worker that runs it);
- the files of a ``SAME_WORKER`` folder form one group: they share an in-process resource no
  second process can share (tests/spark: one Spark session, one embedded Derby metastore), which
  each worker would otherwise build again for itself.

xdist hands out the groups in collection order; this hook puts the costliest groups
(``LONGEST_FIRST`` in xdist_schedule.py) first, so that the worker that draws a long one is not
the one that finishes last while the other idles (with xdist's default order, by number of tests,
the few long Spark tests started late and pinned one worker for minutes).

:func:`build_once` is for session fixtures that several files use: under xdist each worker would
run the same expensive build (a dbt build, a validated warehouse); it builds once per session
under a file lock and gives each worker its own copy.
"""

from __future__ import annotations

import os
import shutil
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock
from xdist_schedule import LONGEST_FIRST, SAME_WORKER

TESTS_DIR = Path(__file__).resolve().parent


def _group(item: pytest.Item) -> str:
    path = Path(str(item.path)).resolve().relative_to(TESTS_DIR).as_posix()
    for folder, group in SAME_WORKER.items():
        if path.startswith(folder):
            return group
    return path


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers the mark only when it is loaded; `-p no:xdist` runs still set it.
    config.addinivalue_line("markers", "xdist_group(name): the xdist work unit (tests/conftest.py)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its xdist group, and put the longest groups first (stable: the tests
    of a file keep their order, the files of a group theirs)."""
    rank = {group: i for i, group in enumerate(LONGEST_FIRST)}
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(item)))
    items.sort(key=lambda item: rank.get(_group(item), len(rank)))


def _session_dir(factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of the whole session: under xdist each worker's base temp is a
    folder of it (pytest-xdist's documented recipe for session-wide data)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def build_once(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Callable], Path]:
    """``build_once(name, build)``: a directory that ``build(directory)`` filled, built once per
    test session whatever the number of workers.

    The first worker to ask builds it under a file lock; the others wait for it. Under xdist each
    worker gets its own copy (a test may write to its warehouse, and DuckDB lets one process write
    a file while no other reads it); without xdist the built directory itself. A failed build is
    reported to every worker that asks, not run again.
    """
    shared = _session_dir(tmp_path_factory) / "built-once"
    shared.mkdir(exist_ok=True)

    def get(name: str, build: Callable[[Path], object]) -> Path:
        built, done, failed = shared / name, shared / f"{name}.ok", shared / f"{name}.failed"
        with FileLock(shared / f"{name}.lock"):
            if failed.exists():
                pytest.fail(
                    f"{name}: the shared build failed on another worker:\n{failed.read_text()}"
                )
            if not done.exists():
                shutil.rmtree(built, ignore_errors=True)
                built.mkdir()
                try:
                    build(built)
                except BaseException:
                    failed.write_text(traceback.format_exc(), encoding="utf-8")
                    raise
                done.touch()
        if not os.environ.get("PYTEST_XDIST_WORKER"):
            return built
        copy = tmp_path_factory.mktemp(name)
        shutil.copytree(built, copy, dirs_exist_ok=True, symlinks=True)
        return copy

    return get
