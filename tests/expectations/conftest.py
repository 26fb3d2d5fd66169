"""Session fixtures of the expectation tests (defined in gx_scenarios.py)."""

from gx_scenarios import (  # noqa: F401 (pytest fixtures)
    clean_quality,
    dirty_db,
    dirty_quality,
    edge_db,
    edge_run,
)
