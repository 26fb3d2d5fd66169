"""The GX data context: validates pandas DataFrames and renders Data Docs into a folder.

Why pandas: GX 1.24's SQL datasource on DuckDB (through duckdb_engine) loses every metric's result
set (see docs/monitoring.md), so tables are read over a read-only DuckDB connection into pandas.

Why a file context next to the Data Docs (``<reports>/gx_store``) rather than an ephemeral one:
the target and the data-quality suites run in separate steps (often separate processes), and the
Data Docs index lists only what the context's stores hold; a shared store makes one index show
every suite with its recent results. Nothing is written inside the repository. Only the last
:data:`KEEP_RESULTS` results per suite are kept so the store and the docs stay small.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

DATA_DOCS_SITE = "healthplan"
DATASOURCE = "healthplan_frames"
#: Validation results kept per suite in the store (older ones and their pages are removed).
KEEP_RESULTS = 5


def store_dir(data_docs_dir: Path) -> Path:
    """Where the GX file context lives for a given Data Docs folder."""
    return data_docs_dir.parent / "gx_store"


def make_context(data_docs_dir: Path | None) -> Any:
    """A context with progress bars off; with ``data_docs_dir``, a file context whose Data Docs
    site is that folder, else an ephemeral one."""
    import great_expectations as gx
    from great_expectations.data_context import AbstractDataContext
    from great_expectations.data_context.store.store import DataDocsSiteConfigTypedDict
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX logs a warning per expectation that has no rendered description; keep run logs readable.
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context: AbstractDataContext
    if data_docs_dir is None:
        context = gx.get_context(mode="ephemeral")
    else:
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        root = store_dir(data_docs_dir)
        root.mkdir(parents=True, exist_ok=True)
        context = gx.get_context(mode="file", project_root_dir=str(root))
        site: DataDocsSiteConfigTypedDict = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(data_docs_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        sites = context.get_site_names() or []
        for name in sites:
            if name != DATA_DOCS_SITE:
                context.delete_data_docs_site(name)
        if DATA_DOCS_SITE in sites:
            context.update_data_docs_site(DATA_DOCS_SITE, site)
        else:
            context.add_data_docs_site(site_name=DATA_DOCS_SITE, site_config=site)
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def frame_source(context: Any) -> Any:
    """The pandas datasource that receives DataFrames at run time."""
    return context.data_sources.add_or_update_pandas(DATASOURCE)


def _content(suite: Any) -> dict[str, Any]:
    """A suite's serialised content without its id (the store assigns ids of its own)."""
    data = suite.to_json_dict()
    data.pop("id", None)
    return data


def _registered_suite(context: Any, suite: Any) -> Any:
    """The context's copy of ``suite``, with ``suite``'s own expectation ids.

    ``suites.add_or_update`` matches every expectation against every stored one (quadratic);
    when a file store already holds a suite with the same content, reuse it.

    ``suites.add`` (a suite the store does not hold yet: always in an ephemeral context, the
    first run into a file store) gives every expectation a fresh ``uuid4``, on the caller's
    objects too, replacing the ids :mod:`expectations.suite_ids` derives from each expectation's
    content. Those are taken before and put back on the added copy and on the caller's suite,
    then saved (``ExpectationSuite.save`` keeps ids that are set; so does ``add_or_update``): a result's
    ``expectation_id`` is then the same in every store, run, process and engine.
    """
    from great_expectations.exceptions import DataContextError

    try:
        stored = context.suites.get(name=suite.name)
    except DataContextError:
        ids = [e.id for e in suite.expectations]
        added = context.suites.add(suite)
        # back on the added copy and on the caller's suite, whose ids the runner matches the
        # results against (expectations.carry_forward)
        for expectations in (added.expectations, suite.expectations):
            for expectation, derived in zip(expectations, ids, strict=True):
                expectation.id = derived
        added.save()
        return added
    if _content(stored) == _content(suite):
        return stored
    return context.suites.add_or_update(suite)


def _whole_frame_batch(source: Any, name: str) -> Any:
    """The ``whole`` batch definition of dataframe asset ``name`` (created when missing)."""
    if name in source.get_asset_names():
        asset = source.get_asset(name)
        if any(b.name == "whole" for b in asset.batch_definitions):
            return asset.get_batch_definition("whole")
        source.delete_asset(name)
    return source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")


def validation_definition(context: Any, source: Any, suite: Any) -> Any:
    """(Re)register ``suite`` and a whole-dataframe validation definition named after it.

    Unchanged registrations are reused, so a repeated run does not rewrite the stores.
    """
    import great_expectations as gx
    from great_expectations.exceptions import DataContextError

    suite = _registered_suite(context, suite)
    batch = _whole_frame_batch(source, suite.name)
    try:
        stored = context.validation_definitions.get(suite.name)
    except DataContextError:
        stored = None
    if (
        stored is not None
        and stored.suite.id == suite.id  # loaded from the suite store: same id, same content
        and stored.data.id == batch.id
    ):
        return stored
    definition = gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
    if stored is None:
        # ``add_or_update`` would first re-store the suite through ``suites.add_or_update``,
        # matching every expectation against every stored one (≈ 1 s per 70-target suite);
        # ``suite`` is the store's own copy, just registered above.
        return context.validation_definitions.add(definition)
    return context.validation_definitions.add_or_update(definition)


def _prune(context: Any, data_docs_dir: Path) -> None:
    """Keep the newest :data:`KEEP_RESULTS` validation results per suite (store and pages)."""
    store = context.validation_results_store
    by_suite: dict[str, list[Any]] = {}
    for key in store.list_keys():
        suite = key.expectation_suite_identifier.name
        by_suite.setdefault(suite, []).append(key)
    for keys in by_suite.values():
        keys.sort(key=lambda k: str(k.run_id.run_time), reverse=True)
        for old in keys[KEEP_RESULTS:]:
            store.store_backend.remove_key(store.key_to_tuple(old))
            # The page of a result lives at validations/<suite>/<run name>/<run time>/…
            parts = [str(p) for p in old.to_tuple()[:3]]
            shutil.rmtree(data_docs_dir.joinpath("validations", *parts), ignore_errors=True)


def build_docs(
    context: Any, data_docs_dir: Path | None, resources: list[Any] | None = None
) -> Path | None:
    """Build the Data Docs site; return the path of its index.html (None if no site).

    With ``resources`` (the suite and validation-result keys of this run), only their pages and
    the index are rendered: the pages of earlier results are already on disk and do not change.
    A site without an index (first build, or a deleted folder) is always built in full.
    """
    if data_docs_dir is None or DATA_DOCS_SITE not in (context.get_site_names() or []):
        return None
    _prune(context, data_docs_dir)
    incremental = resources if (data_docs_dir / "index.html").exists() else None
    urls = context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=incremental)
    url = urls.get(DATA_DOCS_SITE, "")
    return Path(url.removeprefix("file://")) if url else None


def docs_resources(suite_name: str, result_key: Any | None) -> list[Any]:
    """The Data Docs resources of one suite run: the suite page and (if stored) its result."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    out: list[Any] = [ExpectationSuiteIdentifier(name=suite_name)]
    if result_key is not None:
        out.append(result_key)
    return out


#: Failing rows kept per expectation in the stored result that Data Docs render (the full list is
#: in `monitoring.validation_results`); a page listing 50,000 regions helps nobody.
DOCS_ROW_LIMIT = 200
#: Result lists cut to :data:`DOCS_ROW_LIMIT` in the stored copy.
TRIMMED_LISTS = ("unexpected_list", "unexpected_index_list")


def validate(
    context: Any, definition: Any, frame: Any, result_format: dict[str, Any], run: Any
) -> tuple[Any, Any]:
    """Validate ``frame`` with the suite of ``definition``; store a bounded copy of the result.

    Runs the validator ``ValidationDefinition.run`` itself runs (GX's v1 ``Validator`` over the
    definition's batch and the frame), without ``run``'s store step, which serialises every
    failing row into the results store: the result returned keeps every failing row, while the
    results store, and so Data Docs, receive a copy with at most :data:`DOCS_ROW_LIMIT` rows per
    list (:func:`store_result`). Not ``get_batch`` then ``Batch.validate``: that builds the batch
    twice, and GX fingerprints every batch by hashing the whole frame (≈ 8 s for the 6 M
    observations at M).

    Returns the result (the run's id and time in its meta, as ``ValidationDefinition.run`` sets
    them) and its key in the results store (None when not stored).
    """
    from great_expectations.constants import DATAFRAME_REPLACEMENT_STR
    from great_expectations.validator.v1_validator import Validator

    validator = Validator(
        batch_definition=definition.batch_definition,
        batch_parameters={"dataframe": frame},
        result_format=result_format,
    )
    result = validator.validate_expectation_suite(definition.suite)
    result.meta["validation_id"] = definition.id
    result.meta["checkpoint_id"] = None
    result.meta["run_id"] = run
    result.meta["validation_time"] = run.run_time
    result.meta["batch_parameters"] = {"dataframe": DATAFRAME_REPLACEMENT_STR}
    return result, store_result(context, definition.suite.name, result.batch_id, result, run)


def store_result(context: Any, suite_name: str, batch_id: str | None, result: Any, run: Any) -> Any:
    """Store ``result`` with its :data:`TRIMMED_LISTS` cut to :data:`DOCS_ROW_LIMIT` rows; return
    its key (None without a Data Docs site: nothing renders the stored copy then).

    The lists are cut in place only while the store serialises the result, then restored, so
    the caller's result keeps every failing row.
    """
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    if DATA_DOCS_SITE not in (context.get_site_names() or []):
        return None
    suite_key = ExpectationSuiteIdentifier(name=suite_name)
    key = ValidationResultIdentifier(
        expectation_suite_identifier=suite_key, run_id=run, batch_identifier=batch_id
    )
    full: list[tuple[dict, str, list]] = []
    for r in result.results:
        res = r.result or {}
        for name in TRIMMED_LISTS:
            rows = res.get(name)
            if isinstance(rows, list) and len(rows) > DOCS_ROW_LIMIT:
                full.append((res, name, rows))
                res[name] = rows[:DOCS_ROW_LIMIT]
    try:
        context.validation_results_store.store_validation_results(
            suite_validation_result=result,
            suite_validation_result_identifier=key,
            expectation_suite_identifier=suite_key,
        )
    finally:
        for res, name, rows in full:  # the store serialised a copy: restore every row
            res[name] = rows
    return key


def stored_result_key(context: Any, suite_name: str, run_name: str) -> Any:
    """The key of the latest stored result of ``suite_name`` in run ``run_name`` (None without a
    Data Docs site or stored result); its lists hold at most :data:`DOCS_ROW_LIMIT` rows."""
    if DATA_DOCS_SITE not in (context.get_site_names() or []):
        return None
    store = context.validation_results_store
    keys = [
        k
        for k in store.list_keys()
        if k.expectation_suite_identifier.name == suite_name and k.run_id.run_name == run_name
    ]
    if not keys:
        return None
    return max(keys, key=lambda k: str(k.run_id.run_time))
