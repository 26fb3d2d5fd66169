"""Fixtures for ingestion tests: a small fixed reference (seeds) dir and a fresh warehouse.

The unit, age-band and ICD-10 seeds are the project's real ones (this package owns them); the
indicator and region seeds are small fixtures so the tests do not move when the catalogue grows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.config import SEEDS_DIR
from pipelines.ingest import ensure_raw_schema
from pipelines.reference import Reference, load_reference

INDICATORS = """\
indicator_code,name_zh,name_en,canonical_unit,direction,value_type,definition,numerator,denominator,plausible_min,plausible_max,computed_from_counts,definition_family,comparable_to
life_expectancy,人均预期寿命,Life expectancy at birth,years,higher_is_better,level,,,,40,95,false,,
infant_mortality_rate,婴儿死亡率,Infant mortality rate,per_mille,lower_is_better,rate,,infant_deaths,live_births,0,100,true,,
maternal_mortality_ratio,孕产妇死亡率,Maternal mortality ratio,per_100k,lower_is_better,ratio,,maternal_deaths,live_births,0,1000,true,,
health_literacy_rate,居民健康素养水平,Health literacy,percent,higher_is_better,proportion,,,,0,100,false,,
physicians_per_1000,每千常住人口执业（助理）医师数,Physicians per 1000,per_1000_pop,higher_is_better,ratio,,physicians,population,0,20,true,,
regular_exercise_population,经常参加体育锻炼人数,People exercising regularly,persons_100m,higher_is_better,count,,,,0,15,false,,
oop_share_who_ghed,个人卫生支出占比（WHO GHED）,Out-of-pocket share (WHO GHED),percent,lower_is_better,proportion,,,,0,100,false,who_ghed,
"""
INDICATOR_ALIASES = """\
alias,indicator_code
人均期望寿命,life_expectancy
居民平均期望寿命,life_expectancy
IMR,infant_mortality_rate
孕产妇死亡率(1/10万),maternal_mortality_ratio
"""
REGIONS = """\
region_id,name_zh,name_en,admin_code,level,parent_region_id,is_redacted
china,中国,China,100000,country,,false
jiangyin,江阴市,Jiangyin,320281,county,,false
nantong,南通市,Nantong,320600,prefecture,china,false
"""
REGION_ALIASES = """\
alias,region_id
江阴,jiangyin
全国,china
南通,nantong
"""


@pytest.fixture(scope="session")
def seeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeds directory: real unit/age/ICD seeds plus small indicator/region fixtures."""
    path = tmp_path_factory.mktemp("seeds")
    for name in ("units", "unit_aliases", "age_groups", "icd10_cause_groups"):
        shutil.copy(SEEDS_DIR / f"{name}.csv", path / f"{name}.csv")
    (path / "indicators.csv").write_text(INDICATORS, encoding="utf-8")
    (path / "indicator_aliases.csv").write_text(INDICATOR_ALIASES, encoding="utf-8")
    (path / "regions.csv").write_text(REGIONS, encoding="utf-8")
    (path / "region_aliases.csv").write_text(REGION_ALIASES, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def reference(seeds_dir: Path) -> Reference:
    return load_reference(seeds_dir)


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    path = tmp_path / "raw"
    path.mkdir()
    return path


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "wh.duckdb"))
    ensure_raw_schema(connection)
    yield connection
    connection.close()


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """All rows of a query, as tuples."""
    return con.execute(sql, params or []).fetchall()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a test file with explicit encoding (``utf-8-sig`` adds a BOM)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
