"""Every view reads in a copy of the warehouse file opened under another name.

DuckDB names a file's catalog after the file and stores a view's SQL as written; a view that
read ``"warehouse"."staging"."x"`` failed in a copy saved as ``analyst_copy.duckdb`` (Binder
Error: Catalog "warehouse" does not exist). The project's ``ref``/``source``
(``macros/relation_names.sql``) name relations of the target's own file by schema and name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_harness import DbtBuild

pytestmark = pytest.mark.integration


def _views(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, view_name from duckdb_views() where not internal "
        "order by schema_name, view_name"
    ).fetchall()


def test_every_dbt_view_reads_under_another_file_name(dbt_build: DbtBuild, tmp_path: Path) -> None:
    view_models = {
        (m["schema"], m["alias"])
        for m in dbt_build.models()
        if m["config"]["materialized"] == "view"
    }
    assert len(view_models) >= 10, "the build should have made the staging and row-wise views"
    copy = tmp_path / "analyst_copy.duckdb"
    shutil.copyfile(dbt_build.warehouse, copy)
    with duckdb.connect(str(dbt_build.warehouse), read_only=True) as original:
        expected = {
            (s, v): original.execute(f'select count(*) from "{s}"."{v}"').fetchone()[0]
            for s, v in _views(original)
        }
    with duckdb.connect(str(copy), read_only=True) as con:
        assert set(_views(con)) >= view_models
        counts = {
            (s, v): con.execute(f'select count(*) from "{s}"."{v}"').fetchone()[0]
            for s, v in _views(con)
        }
    assert counts == expected
    assert any(n > 0 for n in counts.values())
