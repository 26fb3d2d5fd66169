"""The shipped examples (raw/examples, documented in docs/ingestion.md) load against the real seeds."""

from __future__ import annotations

import duckdb

from pipelines.config import PROJECT_ROOT
from pipelines.ingest import discover_files, ingest_all

EXAMPLES = PROJECT_ROOT / "raw" / "examples"

#: file -> (layout, rows read = rows loaded); every example loads completely.
EXPECTED = {
    "long_observations_zh.csv": ("long", 5),
    "long_observations_en.csv": ("long", 3),
    "long_observations_bom.csv": ("long", 3),
    "long_observations_gb18030.csv": ("long", 3),
    "yearbook_wide.csv": ("wide", 12),
    "workbook.xlsx": ("long", 10),
    "counts.csv": ("counts", 5),
    "death_register.csv": ("death_register", 9),
    "death_register_2021.parquet": ("death_register", 9),
    "birth_register.csv": ("birth_register", 5),
    "described/who_style_series.csv": ("described", 2),
}


def test_every_example_loads_without_quarantine(tmp_path):
    db = tmp_path / "examples.duckdb"
    results = ingest_all(db, EXAMPLES, "examples")
    got = {r.file_path: (r.status, r.layout, r.rows_read, r.rows_loaded) for r in results}
    assert got == {f: ("loaded", layout, n, n) for f, (layout, n) in EXPECTED.items()}
    assert len(discover_files(EXAMPLES)) == len(EXPECTED)
    con = duckdb.connect(str(db), read_only=True)
    try:
        natures = con.execute(
            "select distinct data_nature from raw.observations "
            "union select distinct data_nature from raw.count_observations"
        ).fetchall()
        assert natures == [("illustrative",)]  # examples never pose as official data
        regions = con.execute(
            "select distinct region_id from raw.observations union "
            "select distinct region_id from raw.count_observations order by 1"
        ).fetchall()
        # regions without plan targets, so the examples cannot move any assessment
        assert regions == [("jiangsu",), ("jiangxi",), ("jingdezhen",), ("wuxi",)]
    finally:
        con.close()
