"""Fixtures of the reference-data tests: the owned seeds and the plan documents beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest
from seed_tables import Seeds, load_seeds

from pipelines.config import PROJECT_ROOT, SEEDS_DIR

#: The plan documents live beside the repository (a fresh clone next to ``shared/``).
SHARED_SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def shared_seeds_dir() -> Path:
    """``<repo>/../shared/seeds``; the tests fail loudly if the plan texts are not there."""
    if not any(SHARED_SEEDS_DIR.glob("*.txt")):
        pytest.fail(f"plan documents not found in {SHARED_SEEDS_DIR} (clone beside shared/)")
    return SHARED_SEEDS_DIR


@pytest.fixture(scope="session")
def seeds(shared_seeds_dir: Path) -> Seeds:
    """The committed reference seeds plus the plan texts."""
    return load_seeds(SEEDS_DIR, shared_seeds_dir)
