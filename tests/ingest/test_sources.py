"""Described sources: a ``<file>.source.yml`` sidecar maps any tidy or wide public file (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.ingest import ingest_file

from .conftest import query, write

REALDATA = Path("/work/shared/realdata")

GAPMINDER_SIDECAR = """\
layout: described
source: "Gapminder, Systema Globalis (WHO GHED via Gapminder)"
licence: CC BY 4.0
data_nature: international_estimate
indicator: oop_share_who_ghed
unit: percent
columns: {region: geo, period: time, value: out_of_pocket_share_of_total_health_spending_percent}
region_map: {chn: china}
filter: {geo: [chn]}
"""

GAPMINDER = """\
geo,time,out_of_pocket_share_of_total_health_spending_percent
afg,2015,77.9
chn,2014,31.99
chn,2015,35.09
usa,2015,11.1
chn,2016,
"""


def test_described_long_source_with_filter_and_provenance(con, raw_dir, reference):
    path = write(raw_dir / "gapminder/oop.csv", GAPMINDER)
    write(raw_dir / "gapminder/oop.csv.source.yml", GAPMINDER_SIDECAR)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.status, result.layout) == ("loaded", "described"), result.message
    # rows of other countries are outside the described extract: counted in the message, not read
    assert "2 row(s) outside the described extract" in result.message
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    rows = query(
        con,
        "select source_row, region_id, indicator_code, period, value, unit, data_nature, source "
        "from raw.observations order by source_row",
    )
    src = "Gapminder, Systema Globalis (WHO GHED via Gapminder) (licence: CC BY 4.0)"
    assert rows == [
        (3, "china", "oop_share_who_ghed", "2014", 31.99, "percent", "international_estimate", src),
        (4, "china", "oop_share_who_ghed", "2015", 35.09, "percent", "international_estimate", src),
    ]
    assert query(con, "select source_row, reason_code from raw.quarantine") == [
        (6, "missing_value")
    ]


WDI = (
    '"Data Source","World Development Indicators",\n\n'
    '"Last Updated Date","2020-05-28",\n\n'
    '"Country Name","Country Code","Indicator Name","Indicator Code","2014","2015","2016",\n'
    '"China","CHN","Physicians (per 1,000 people)","SH.MED.PHYS.ZS","1.8","2.0699999332428","",\n'
)
WDI_SIDECAR = """\
layout: wide
source: World Bank, World Development Indicators
licence: CC BY 4.0
data_nature: international_estimate
indicator: physicians_per_1000
unit: per_1000_pop
columns: {region: Country Code}
region_map: {CHN: china}
"""


def test_described_wide_source_with_preamble_and_trailing_commas(con, raw_dir, reference):
    path = write(raw_dir / "wdi.csv", WDI)
    write(raw_dir / "wdi.csv.source.yml", WDI_SIDECAR)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.status, result.layout) == ("loaded", "wide"), result.message
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert query(
        con,
        "select source_row, region_id, indicator_code, period, value from raw.observations order by period",
    ) == [
        (6, "china", "physicians_per_1000", "2014", 1.8),
        (6, "china", "physicians_per_1000", "2015", 2.0699999332428),
    ]
    assert query(con, "select column_name, reason_code from raw.quarantine") == [
        ("2016", "missing_value")
    ]


def test_sidecar_region_map_to_unknown_region_is_rejected(con, raw_dir, reference):
    path = write(raw_dir / "oop.csv", GAPMINDER)
    write(raw_dir / "oop.csv.source.yml", GAPMINDER_SIDECAR.replace("chn: china", "chn: cathay"))
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.status == "rejected"
    assert "unknown region_id(s) ['cathay']" in result.message


@pytest.mark.skipif(not REALDATA.exists(), reason="shared real data not available")
def test_real_gapminder_oop_file_through_a_sidecar(con, raw_dir, reference):
    name = (
        "ddf--datapoints--out_of_pocket_share_of_total_health_spending_percent--by--geo--time.csv"
    )
    path = raw_dir / name
    shutil.copy(REALDATA / "gapminder_health" / name, path)
    write(raw_dir / (name + ".source.yml"), GAPMINDER_SIDECAR)
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert result.status == "loaded" and result.rows_quarantined == 0, result.message
    assert result.rows_loaded == 23  # China 2000-2022 (SOURCE.md)
    assert query(con, "select value from raw.observations where period = '2015'") == [(35.08929,)]


@pytest.mark.skipif(not REALDATA.exists(), reason="shared real data not available")
def test_real_owid_life_expectancy_unsorted_years(con, raw_dir, reference):
    path = raw_dir / "life_expectancy_china.csv"
    shutil.copy(REALDATA / "owid_life_expectancy_china" / path.name, path)
    write(
        raw_dir / (path.name + ".source.yml"),
        "layout: described\nsource: Our World in Data (UN WPP 2022 et al.)\nlicence: CC BY 4.0\n"
        "data_nature: international_estimate\nindicator: life_expectancy\nunit: years\n"
        "columns: {region: Code, period: Year, value: LifeExpectancy}\nregion_map: {CHN: china}\n",
    )
    result = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (77, 71, 6)
    # the 1930s-40s values (below 40 years) are outside the indicator's plausible range
    assert query(con, "select distinct reason_code from raw.quarantine") == [("implausible_value",)]
    assert query(con, "select value from raw.observations where period = '2015'") == [(76.9771,)]


def test_corrected_sidecar_reingests_the_same_bytes(con, raw_dir, reference):
    path = write(raw_dir / "oop.csv", GAPMINDER)
    write(raw_dir / "oop.csv.source.yml", GAPMINDER_SIDECAR.replace("oop_share_who_ghed", "typo"))
    first = ingest_file(con, path, raw_dir, "r1", reference=reference)
    assert (first.rows_loaded, first.rows_quarantined) == (0, 3)  # unknown indicator 'typo'
    again = ingest_file(con, path, raw_dir, "r2", reference=reference)
    assert again.status == "skipped"  # same bytes, same description: nothing to do
    write(raw_dir / "oop.csv.source.yml", GAPMINDER_SIDECAR)  # the description is fixed
    fixed = ingest_file(con, path, raw_dir, "r3", reference=reference)
    assert (fixed.status, fixed.rows_loaded, fixed.rows_quarantined) == ("loaded", 2, 1)
    assert query(con, "select count(distinct sidecar_hash) from raw.ingested_files") == [(2,)]
    assert query(con, "select run_id, count(*) from raw.observations group by 1") == [("r3", 2)]
