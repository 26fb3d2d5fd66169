"""An ephemeral GX data context that validates pandas DataFrames and writes Data Docs to a folder.

Why pandas: GX 1.24's SQL datasource on DuckDB (through duckdb_engine) loses every metric's result
set (see docs/monitoring.md), so tables are read over a read-only DuckDB connection into pandas.
Why ephemeral: nothing in the repository is mutated by a run; results are persisted to
`monitoring.validation_results` and the rendered Data Docs, both under the warehouse/reports dir.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

DATA_DOCS_SITE = "healthplan"
DATASOURCE = "healthplan_frames"


def make_context(data_docs_dir: Path | None) -> Any:
    """Create an ephemeral context (progress bars off) with a Data Docs site at ``data_docs_dir``."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX logs a warning per expectation that has no rendered description; keep run logs readable.
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    if data_docs_dir is not None:
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            site_name=DATA_DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(data_docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


def build_docs(context: Any) -> Path | None:
    """Build the Data Docs site; return the path of its index.html (None if no site)."""
    if DATA_DOCS_SITE not in (context.get_site_names() or []):
        return None
    urls = context.build_data_docs(site_names=[DATA_DOCS_SITE])
    url = urls.get(DATA_DOCS_SITE, "")
    return Path(url.removeprefix("file://")) if url else None
