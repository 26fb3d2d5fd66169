"""`make install` leaves bytecode for what every process imports (the Makefile's ``$(READY)``).

Where ``PYTHONDONTWRITEBYTECODE`` is set, as on these machines, Python never writes the bytecode
it compiles, so without it each process (a Dagster run, every dbt invocation, each GX step)
compiles the modules it imports again: GX's import took 7 s instead of 3 s.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

#: Installed modules every run imports (ours change as they are edited: Python then compiles
#: the edited ones in memory, which is cheap).
IMPORTED_BY_EVERY_RUN = ("dagster", "dagster_dbt", "dbt.cli.main", "great_expectations", "duckdb")


@pytest.mark.parametrize("module", IMPORTED_BY_EVERY_RUN)
def test_installed_modules_have_current_bytecode(module: str) -> None:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None, module
    source = Path(spec.origin)
    cached = Path(importlib.util.cache_from_source(str(source)))
    assert cached.exists(), f"{module}: no bytecode at {cached}; run `make install`"
    assert cached.stat().st_mtime >= source.stat().st_mtime, f"{module}: bytecode is stale"
