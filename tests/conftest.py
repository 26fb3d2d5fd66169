"""How the suite spreads over pytest-xdist workers, and builds shared between them.

``make test`` runs ``pytest -n 2 --dist loadfile --no-loadscope-reorder``. Under ``loadfile`` a
work unit, which xdist gives one worker whole, is here :func:`xdist_schedule.group_of`:

- a test's file, as plain ``loadfile`` (a file's module and session fixtures are built once, on
  the worker that runs it);
- except that the files of a ``SAME_WORKER`` folder form one unit: they share an in-process
  resource no second process can share (tests/spark: one Spark session, one embedded Derby
  metastore), which each worker would otherwise build again for itself.

(``--dist loadgroup`` with ``xdist_group`` marks would say the same, but pytest-xdist 3.8 names
the groups through ``item._nodeid``, which pytest 9.2 no longer reads: the marks are ignored.)

xdist hands out the units in collection order (``--no-loadscope-reorder``); this module's
collection hook puts the costliest ones (``LONGEST_FIRST``) first, so that the worker that draws
a long one is not the one that finishes last while the other idles (with xdist's default order,
by number of tests, the few long Spark tests started late and pinned one worker for minutes).

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
from xdist_schedule import LONGEST_FIRST, group_of


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The costliest units first (stable: the tests of a file keep their order, the files of a
    group theirs)."""
    rank = {group: i for i, group in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(group_of(item.nodeid), len(rank)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under ``--dist loadfile``: xdist's scope scheduling with :func:`group_of` as the scope."""
    if config.getvalue("dist") != "loadfile":
        return None  # any other mode: xdist's own scheduler
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:  # the scope hook LoadFileScheduling overrides
            return group_of(nodeid)

    return GroupScheduling(config, log)


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
