"""Marts on the crafted warehouse, the analyst SQL of docs/models.md, revisions and as-of, and
`dbt docs generate`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dbt_fixture_data as fx
import duckdb
import pytest
from dbt_harness import DbtBuild

from pipelines.config import PROJECT_ROOT

pytestmark = pytest.mark.integration

MODELS_DOC = PROJECT_ROOT / "docs" / "models.md"


def test_cross_plan_mart_puts_the_national_target_beside_the_local_one(
    dbt_build: DbtBuild,
) -> None:
    rows = dbt_build.query_dicts(
        "select * from marts.mart_cross_plan_indicators where indicator_code = 'life_expectancy'"
    )
    by_target = {r["target_id"]: r for r in rows}
    local = by_target["test_outline__life_expectancy__2030"]
    assert local["national_target_id"] == "china_2030__life_expectancy__2030"
    assert local["national_requirement_text"] == "≥ 79"
    assert local["local_minus_national_ambition"] == 0.0
    # no national life-expectancy target for 2025: nothing is invented
    assert by_target["test_plan__life_expectancy__2025"]["national_target_id"] is None
    assert {r["n_plans_with_indicator"] for r in rows} == {3}


def test_international_estimates_are_shown_beside_never_assessed(dbt_build: DbtBuild) -> None:
    rows = dbt_build.query_dicts(
        "select target_id, status, latest_value, international_estimate_code, "
        "international_estimate_value, only_international_estimate "
        "from marts.mart_target_progress where plan_id = 'china_2030' and target_id in "
        "('china_2030__life_expectancy__2030', 'china_2030__oop_share_of_health_expenditure__2030')"
        " order by target_id"
    )
    assert rows == [
        {
            "target_id": "china_2030__life_expectancy__2030",
            "status": "baseline_only",  # the UN WPP estimate is not the national definition
            "latest_value": None,
            "international_estimate_code": "life_expectancy_un_wpp",
            "international_estimate_value": 78.2,
            "only_international_estimate": True,
        },
        {
            "target_id": "china_2030__oop_share_of_health_expenditure__2030",
            "status": "off_track",  # assessed on the national series (29.3), not WHO's 33.6
            "latest_value": 29.3,
            "international_estimate_code": "oop_share_who_ghed",
            "international_estimate_value": 33.587,
            "only_international_estimate": False,
        },
    ]


def test_watchlist_lists_missed_and_off_track_targets_by_department(dbt_build: DbtBuild) -> None:
    rows = dbt_build.query(
        "select lead_department, target_id, region_id, watch_reason "
        "from marts.mart_department_watchlist order by target_id"
    )
    # the air-quality keep-improving target moved inside the noise (within_noise): not listed
    assert rows == [
        ("国家卫生健康委", "china_2030__oop_share_of_health_expenditure__2030", "china", "at_risk"),
        ("国家卫生健康委", "china_2030__premature_ncd_mortality__2030", "china", "cannot_assess"),
        ("市卫生健康委", "test_plan__immunization_coverage__2022", "testville", "missed"),
    ]


def test_reported_and_computed_disagreement_beyond_the_interval(dbt_build: DbtBuild) -> None:
    rows = dbt_build.query_dicts("select * from marts.mart_reported_vs_computed")
    assert len(rows) == 1
    row = rows[0]
    assert (row["indicator_code"], row["year"]) == ("life_expectancy", 2022)
    assert row["reported_value"] == 85.0
    assert not row["computed_ci_lower"] <= 85.0 <= row["computed_ci_upper"]
    assert row["disagrees"] is True


def test_scorecard_counts_statuses_per_plan(dbt_build: DbtBuild) -> None:
    row = dbt_build.query_dicts(
        "select * from marts.mart_plan_scorecard where plan_id = 'china_2030' and is_latest"
    )[0]
    assert row["n_targets"] == 7
    assert (row["n_met"], row["n_off_track"], row["n_reference_missing"]) == (2, 1, 1)
    assert (row["n_within_noise"], row["n_insufficient_data"]) == (1, 1)
    assert row["n_baseline_only"] == 1 and row["n_expected"] == 7


def test_plan_requirements_answer_what_a_plan_requires(dbt_build: DbtBuild) -> None:
    rows = dbt_build.query(
        "select indicator_code, requirement_text from marts.mart_plan_requirements "
        "where plan_id = 'china_2030' and target_year = 2020 order by indicator_code"
    )
    assert rows == [
        ("air_quality_good_days_ratio", "> 80"),
        ("oop_share_of_health_expenditure", "26.6–29.4"),  # 28 左右: two-sided 5 %
    ]


def test_indicator_trend_overlays_targets_on_values(dbt_build: DbtBuild) -> None:
    rows = dbt_build.query(
        "select year, value, target_id, value_meets_target from marts.mart_indicator_trend "
        "where indicator_code = 'health_literacy_rate' and region_id = 'testville' order by year"
    )
    assert rows == [
        (2020, 25.0, None, None),
        (2021, 28.0, None, None),
        (2022, 31.0, "test_plan__health_literacy_rate__2022", True),
        (2025, None, "test_plan__health_literacy_rate__2025", None),
    ]


def _doc_queries() -> list[str]:
    text = MODELS_DOC.read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL)


def test_every_query_in_the_models_guide_runs(dbt_build: DbtBuild) -> None:
    queries = _doc_queries()
    assert len(queries) >= 7
    for sql in queries:
        dbt_build.query(sql)
    # the department question answers from the fixture: the national health commission leads
    # two of the four watched targets
    top = dbt_build.query(queries[2])[0]
    assert top[:2] == ("国家卫生健康委", 2)


def test_revisions_keep_the_latest_file_and_count_versions(dbt_build: DbtBuild) -> None:
    row = dbt_build.query_dicts(
        "select value, revision, n_revisions, file_path from staging.stg_observations "
        "where region_id = 'testville' and indicator_code = 'health_literacy_rate' "
        "and period = '2021'"
    )
    assert row == [
        {"value": 28.0, "revision": 2, "n_revisions": 2, "file_path": "obs/bulletin_2024.csv"}
    ]


def test_as_of_view_shows_what_was_known_then(dbt_build: DbtBuild, tmp_path: Path) -> None:
    as_of = fx.REVISED_AT.replace(month=3).isoformat(sep=" ")  # after the first file only
    target = tmp_path / "target"
    result = dbt_build.dbt(
        "compile",
        "--select",
        "stg_observations_as_of",
        "--vars",
        json.dumps({"as_of": as_of, "assessment_year": fx.ASSESSMENT_YEAR}),
        "--target-path",
        str(target),
    )
    assert result.returncode == 0, result.stdout[-3000:]
    compiled = next(target.rglob("stg_observations_as_of.sql")).read_text(encoding="utf-8")
    assert as_of in compiled
    with duckdb.connect(str(dbt_build.warehouse), read_only=True) as con:
        rows = con.execute(
            f"select indicator_code, year, value, revision from ({compiled}) "
            "order by indicator_code, year"
        ).fetchall()
    assert rows == [("health_literacy_rate", 2021, 27.0, 1)]


def test_dbt_docs_generate_documents_every_model(dbt_build: DbtBuild, tmp_path: Path) -> None:
    target = tmp_path / "docs_target"
    result = dbt_build.dbt("docs", "generate", "--target-path", str(target))
    assert result.returncode == 0, result.stdout[-3000:]
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert "model.healthplan.fct_target_assessment" in catalog["nodes"]
    undocumented = [
        f"{node['name']}.{col}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        for col in catalog["nodes"][node["unique_id"]]["columns"]
        if not node["columns"].get(col, {}).get("description")
    ]
    assert undocumented == []
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert all(n["description"] for n in models)
    assert (target / "index.html").exists()
