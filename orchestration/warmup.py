"""Import, on a thread, what a later step of the run needs, while the current step waits.

A run executes its steps in one process, one after the other. The GX steps pay
``import great_expectations`` (≈ 2.5 s) after the dbt step, most of whose time is spent waiting
on the dbt process; in a one-region run dbt's own work is small and mostly one core busy.
Importing GX on a thread during the dbt step takes that time off the run's critical path
(docs/benchmark.md). Nothing waits for the warm-up: a step that imports the module while the
thread is still importing it waits on Python's import lock and gets the same module; an import
that failed on the thread is simply done again, and its error raised, by the step itself.
"""

from __future__ import annotations

import importlib
import threading

#: The GX steps' entry module (it imports ``great_expectations``).
GX_MODULES = ("expectations.runner",)


def warm_imports(modules: tuple[str, ...] = GX_MODULES) -> threading.Thread:
    """Start importing ``modules`` on a daemon thread; returns the (started) thread."""

    def _import() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the step that needs it imports it and reports it
                return

    thread = threading.Thread(target=_import, name="warm-imports", daemon=True)
    thread.start()
    return thread
