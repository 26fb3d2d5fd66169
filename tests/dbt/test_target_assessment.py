"""The target assessment on crafted plans and data whose answers follow from the rules
(docs/models.md#assessment-rules), assessed as of 2023."""

from __future__ import annotations

import dbt_fixture_data as fx
import pytest
from dbt_harness import DbtBuild
from formula_reference import least_squares_projection, weighted_projection

from pipelines.rules.comparators import required_bounds

pytestmark = pytest.mark.integration

CONTRACT_COLUMNS = (
    "assessment_key, target_id, plan_id, indicator_code, region_id, assessment_year, is_latest, "
    "target_year, comparator, target_value, target_upper, tolerance_pct, relative_to_year, "
    "reference_value, required_lower, required_lower_inclusive, required_upper, "
    "required_upper_inclusive, baseline_year, baseline_value, latest_year, latest_value, "
    "latest_ci_lower, latest_ci_upper, latest_data_nature, latest_is_illustrative, latest_source, "
    "latest_source_rank, latest_is_conflict, data_age_years, max_data_age_years, n_points, "
    "slope_per_year, projected_value, projected_lower, projected_upper, probability_target_met, "
    "cagr, cagr_required, progress_ratio, progress_ratio_class, pct_targeted_change_achieved, "
    "pct_change_from_baseline, progress_methods_disagree, gap, verdict_value, verdict_basis, "
    "projection_method, "
    "threshold_met, status, noise_point_side, trend, trend_method, nature, severity, "
    "lead_department, domain_id, source_quote"
).split(", ")

# target × region -> status as of 2023, each derived by hand from the crafted data
EXPECTED_STATUS = {
    ("test_plan__health_literacy_rate__2022", "testville"): "met",  # 31 >= 30 in 2022
    ("test_plan__health_literacy_rate__2025", "testville"): "on_track",  # trend 3/yr -> 40
    ("test_plan__immunization_coverage__2022", "testville"): "not_met",  # 98.5 < 99
    ("test_plan__immunization_coverage__2025", "town_a"): "met_early",  # each town: 99.5
    ("test_plan__immunization_coverage__2025", "town_b"): "no_data",
    ("test_plan__sex_ratio_at_birth__2025", "testville"): "on_track",  # 111..108 -> 106
    ("test_plan__premature_ncd_mortality__2022", "testville"): "met",  # computed 24.43 <= 25
    ("test_plan__premature_ncd_mortality__2025", "testville"): "met_early",  # 17.5 <= 20*0.9
    # zero events: 0 (95 % CI 0–28.4) against < 10: the interval straddles the target
    ("test_plan__maternal_mortality_ratio__2022", "testville"): "within_noise",
    ("test_plan__infant_mortality_rate__2025", "testville"): "on_track",  # maintain <= 3.0
    ("test_plan__regular_exercise_population__2025", "testville"): "no_target",
    ("test_plan__tb_incidence_rate__2022", "testville"): "no_data",
    ("test_plan__salt_intake_per_capita__2025", "testville"): "baseline_only",
    ("test_plan__smoking_rate_15plus__2025", "testville"): "insufficient_data",  # 2 points
    ("test_plan__life_expectancy__2025", "testville"): "met_early",  # reported 85 preferred
    ("test_plan__gps_per_10000__2025", "testville"): "met_early",  # illustrative 4.0 >= 4
    ("test_plan__physicians_per_1000__2025", "testville"): "met_early",  # 3.1 >= 2.5*1.2
    ("test_plan__child_health_management_rate__2022", "testville"): "met",  # eq 100
    ("test_outline__life_expectancy__2030", "testville"): "met_early",
    ("china_2030__life_expectancy__2030", "china"): "baseline_only",  # plan baseline, no data
    ("china_2030__premature_ncd_mortality__2030", "china"): "reference_missing",  # no 2015
    # 28 左右: 26.6 <= 29.3 <= 29.4 (two-sided 5 %)
    ("china_2030__oop_share_of_health_expenditure__2020", "china"): "met",
    ("china_2030__oop_share_of_health_expenditure__2030", "china"): "off_track",
    ("china_2030__air_quality_good_days_ratio__2020", "china"): "met",  # 87 > 80
    # two points (2015, 2022): too few for an anticipated value; CR and PTCA shown
    ("china_2030__oop_share_who_ghed__2030", "china"): "insufficient_data",
    # keep improving: 85 < 86.5 last year, but -1.7 % is no detectable change without SEs
    ("china_2030__air_quality_good_days_ratio__2030", "china"): "within_noise",
}


@pytest.fixture(scope="module")
def latest(dbt_build: DbtBuild) -> dict[tuple[str, str], dict]:
    rows = dbt_build.query_dicts("select * from marts.fct_target_assessment where is_latest")
    return {(r["target_id"], r["region_id"]): r for r in rows}


def test_fact_has_exactly_the_contract_columns(dbt_build: DbtBuild) -> None:
    cols = dbt_build.query(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'fct_target_assessment' order by ordinal_position"
    )
    assert [c for (c,) in cols] == CONTRACT_COLUMNS


def test_every_status_as_of_2023(latest: dict) -> None:
    got = {key: row["status"] for key, row in latest.items()}
    assert got == EXPECTED_STATUS


def test_each_subregion_target_is_assessed_per_town_not_for_the_city(latest: dict) -> None:
    regions = {r for (t, r) in latest if t == "test_plan__immunization_coverage__2025"}
    assert regions == {"town_a", "town_b"}


def test_range_target_projects_by_least_squares(latest: dict) -> None:
    row = latest[("test_plan__sex_ratio_at_birth__2025", "testville")]
    years, values = [2020, 2021, 2022, 2023], [111.0, 110.0, 109.0, 108.0]
    assert row["n_points"] == 4
    assert row["slope_per_year"] == pytest.approx(-1.0)
    assert row["projected_value"] == pytest.approx(least_squares_projection(years, values, 2025))
    assert row["verdict_value"] == pytest.approx(106.0)
    assert (row["required_lower"], row["required_upper"]) == (103.0, 107.0)
    assert row["threshold_met"] is True
    assert row["gap"] == pytest.approx(1.0)  # 1 inside the upper bound
    assert row["trend"] == "improving"  # 3 closer to the band, no CIs, > 1 % of 111


def test_relative_reduction_uses_the_reference_year_value(latest: dict) -> None:
    row = latest[("test_plan__premature_ncd_mortality__2025", "testville")]
    assert row["reference_value"] == 20.0  # the 2015 observation
    assert row["required_upper"] == pytest.approx(18.0)
    assert row["baseline_year"] == 2015 and row["baseline_value"] == 20.0
    assert row["latest_value"] == 17.5
    # PTCA = (17.5 - 20) / (18 - 20) = 125 %
    assert row["pct_targeted_change_achieved"] == pytest.approx(125.0)


def test_missing_reference_year_is_reported_never_replaced(latest: dict) -> None:
    row = latest[("china_2030__premature_ncd_mortality__2030", "china")]
    assert row["reference_value"] is None  # 2013's 19.1 is not silently used for 2015
    assert row["required_upper"] is None and row["required_lower"] is None
    assert row["verdict_value"] is None and row["threshold_met"] is None
    assert row["baseline_year"] == 2013 and row["baseline_value"] == 19.1
    assert row["latest_value"] == 17.6  # the data is shown, only the verdict is withheld


def test_about_is_two_sided_with_the_default_tolerance(latest: dict) -> None:
    met = latest[("china_2030__oop_share_of_health_expenditure__2020", "china")]
    assert met["required_upper"] == pytest.approx(29.4)  # 28 × 1.05
    assert met["required_lower"] == pytest.approx(26.6)  # 28 × 0.95
    ahead = latest[("china_2030__oop_share_of_health_expenditure__2030", "china")]
    years, values = [2015, 2016, 2017, 2018, 2019, 2020], [30.0, 29.8, 29.7, 29.6, 29.5, 29.3]
    projected = least_squares_projection(years, values, 2030)
    assert ahead["projected_value"] == pytest.approx(projected)
    assert projected > 26.25  # 25 左右 allows at most 26.25: off track
    assert ahead["verdict_value"] == pytest.approx(projected)
    assert ahead["gap"] == pytest.approx(26.25 - projected)


def test_zero_events_is_within_noise_not_met(latest: dict) -> None:
    row = latest[("test_plan__maternal_mortality_ratio__2022", "testville")]
    assert row["latest_value"] == 0.0
    assert row["latest_ci_lower"] == 0.0 and row["latest_ci_upper"] > 10  # CI straddles target
    assert row["status"] == "within_noise" and row["noise_point_side"] == "meets"
    assert row["verdict_value"] is None and row["threshold_met"] is None  # GX asserts nothing
    assert row["latest_year"] == 2022 and row["data_age_years"] == 0


def test_improve_compares_with_the_previous_observation_and_the_baseline(latest: dict) -> None:
    row = latest[("china_2030__air_quality_good_days_ratio__2030", "china")]
    # the better of 86.5 (2022, the observation before 2023) and the baseline 87 (2020)
    assert row["reference_value"] == 87.0
    assert row["required_lower"] == 87.0 and row["required_lower_inclusive"] is False
    # 85 < 87, but falls of 1.7 % (on 2022) and 2.3 % (on 2020) without SEs are below
    # Healthy People's 10 % fallback: no detectable change either way
    assert row["status"] == "within_noise" and row["noise_point_side"] == "misses"
    assert row["verdict_value"] is None and row["threshold_met"] is None


def test_reported_value_is_preferred_to_the_computed_one(latest: dict) -> None:
    row = latest[("test_plan__life_expectancy__2025", "testville")]
    assert row["latest_value"] == 85.0  # reported official, not the computed ~75
    assert row["latest_data_nature"] == "official" and row["latest_is_illustrative"] is False


def test_bounds_equal_the_python_rules_and_verdicts_follow_them(
    dbt_build: DbtBuild, latest: dict
) -> None:
    directions = dict(dbt_build.query("select indicator_code, direction from marts.dim_indicator"))
    for key, row in latest.items():
        bounds = required_bounds(
            row["comparator"],
            row["target_value"],
            row["target_upper"],
            row["tolerance_pct"],
            row["reference_value"],
            directions[row["indicator_code"]],
        )
        got = (
            row["required_lower"],
            row["required_lower_inclusive"],
            row["required_upper"],
            row["required_upper_inclusive"],
        )
        assert got == (
            bounds.lower,
            bounds.lower_inclusive,
            bounds.upper,
            bounds.upper_inclusive,
        ), key
        # GX verdict contract: pass/fail == threshold_met whenever there is a verdict value
        assert row["threshold_met"] == bounds.is_met(row["verdict_value"]), key
        if row["status"] in ("met", "met_early", "on_track"):
            assert row["threshold_met"] is True, key
        if row["status"] in ("not_met", "off_track"):
            assert row["threshold_met"] is False, key
        if row["status"] not in ("met", "met_early", "on_track", "not_met", "off_track"):
            assert row["verdict_value"] is None, key
        assert row["severity"] == ("critical" if row["nature"] == "binding" else "warning")


def test_history_only_sees_observations_up_to_each_assessment_year(dbt_build: DbtBuild) -> None:
    rows = dbt_build.query(
        "select assessment_year, status, latest_year, n_points from marts.fct_target_assessment "
        "where target_id = 'test_plan__health_literacy_rate__2025' order by assessment_year"
    )
    assert rows == [
        (2021, "insufficient_data", 2021, 2),  # 25, 28: two points, not met, cannot project
        (2022, "on_track", 2022, 3),
        (2023, "on_track", 2022, 3),
    ]
    # a value for 2024 exists but is after the assessment year
    (latest_year,) = dbt_build.query(
        "select latest_year from marts.fct_target_assessment where is_latest "
        "and target_id = 'test_plan__smoking_rate_15plus__2025'"
    )[0]
    assert latest_year == 2023


def test_one_latest_row_per_target_and_region(dbt_build: DbtBuild) -> None:
    dupes = dbt_build.query(
        "select target_id, region_id, count(*) from marts.fct_target_assessment "
        "where is_latest group by all having count(*) > 1"
    )
    assert dupes == []
    assert dbt_build.query(
        "select distinct assessment_year from marts.fct_target_assessment where is_latest"
    ) == [(fx.ASSESSMENT_YEAR,)]


def test_trend_uses_healthy_people_significance_or_its_fallbacks(dbt_build: DbtBuild) -> None:
    rows = dict(
        (r[0], r[1:])
        for r in dbt_build.query(
            "select target_id, trend, trend_method from marts.fct_target_assessment "
            "where is_latest and region_id in ('testville', 'china')"
        )
    )
    # IMR from counts: 0.385 (95 % CI 0.125–0.898) vs the plan's baseline 3.0: z ≈ 13
    assert rows["test_plan__infant_mortality_rate__2025"] == (
        "improving",
        "hp2030_significance_test",
    )
    # no CI, moving toward the target: PTCA = 100 × (31 − 25) / (30 − 25) = 120 % ≥ 10 %
    assert rows["test_plan__health_literacy_rate__2022"] == ("improving", "hp2030_ptca_without_se")
    # no CI, moving away: 87 (2020, first point) -> 85 is −2.3 %, under HP's 10 %
    assert rows["china_2030__air_quality_good_days_ratio__2030"] == (
        "no_detectable_change",
        "hp2030_change_without_se",
    )


def test_worked_vector_china_oop_share(latest: dict) -> None:
    """assessment-methods.md: WHO-GHED OOP share 35.089 % (2015) → 33.587 % (2022), target 25 %
    左右 by 2030. By hand: CAGR_a = (33.587/35.089)^(1/7) − 1 = −0.00623; CAGR_r =
    (25/35.089)^(1/15) − 1 = −0.02235; CR = 0.2788 → UNSD "limited progress"; PTCA =
    100 × (33.587 − 35.089)/(25 − 35.089) = 14.89 % (toward 25 itself, not the 26.25 bound)."""
    row = latest[("china_2030__oop_share_who_ghed__2030", "china")]
    assert (row["baseline_year"], row["baseline_value"]) == (2015, 35.089)
    assert (row["latest_year"], row["latest_value"]) == (2022, 33.587)
    assert row["cagr"] == pytest.approx(-0.006230, abs=1e-6)
    assert row["cagr_required"] == pytest.approx(-0.022347, abs=1e-6)
    assert row["progress_ratio"] == pytest.approx(0.2788, abs=1e-4)
    assert row["progress_ratio_class"] == "limited_progress"
    assert row["pct_targeted_change_achieved"] == pytest.approx(14.8875, abs=1e-4)
    assert (row["required_lower"], row["required_upper"]) == pytest.approx((23.75, 26.25))
    assert row["latest_source"] and row["data_age_years"] == 1


def test_anticipated_value_equals_a_weighted_fit_with_its_interval(dbt_build: DbtBuild) -> None:
    """Every projected row against an independent Python fit of the same usable points."""
    from scipy import stats

    rows = dbt_build.query_dicts(
        "select a.*, i.earliest_usable_year, i.cutoff_year, i.n_years, p.projection_se "
        "from marts.fct_target_assessment as a "
        "join intermediate.int_assessment_inputs as i using (assessment_key) "
        "join intermediate.int_assessment_progress as p using (assessment_key) "
        "where a.projected_value is not null"
    )
    assert len(rows) >= 5
    checked_interval = perfect_fits = 0
    for row in rows:
        points = dbt_build.query(
            "select year, value from intermediate.int_preferred_observations "
            "where region_id = ? and indicator_code = ? and year between ? and ? "
            "and in_latest_series order by year",
            [
                row["region_id"],
                row["indicator_code"],
                row["earliest_usable_year"],
                row["cutoff_year"],
            ],
        )
        years, values = [p[0] for p in points], [p[1] for p in points]
        fit, se, df = weighted_projection(
            years, values, row["earliest_usable_year"], row["target_year"]
        )
        key = row["assessment_key"]
        assert row["n_years"] == len(points), key
        assert row["projected_value"] == pytest.approx(fit, abs=1e-9), key
        if se is not None and se <= 1e-6 * max(abs(v) for v in values):
            # a line through every point: exactly 0 on every engine, not rounding noise
            assert row["projection_se"] == 0.0, key
            assert row["projected_lower"] == row["projected_upper"] == row["projected_value"], key
            perfect_fits += 1
        elif se is not None:
            assert row["projection_se"] == pytest.approx(se, rel=1e-9), key
            half = stats.t.ppf(0.975, df) * se
            assert row["projected_lower"] == pytest.approx(fit - half, rel=1e-3), key
            assert row["projected_upper"] == pytest.approx(fit + half, rel=1e-3), key
            lo = row["required_lower"] if row["required_lower"] is not None else -float("inf")
            hi = row["required_upper"] if row["required_upper"] is not None else float("inf")
            p = stats.t.cdf((hi - fit) / se, df) - stats.t.cdf((lo - fit) / se, df)
            # exact t for df 1–2, an approximation within 0.015 from df 3
            assert row["probability_target_met"] == pytest.approx(p, abs=0.015), key
            checked_interval += 1
    assert checked_interval >= 2
    assert perfect_fits >= 1, "the fixture has a target whose points lie on a line"


def test_only_seed_statuses_and_every_verdict_shows_its_evidence(dbt_build: DbtBuild) -> None:
    bad = dbt_build.query(
        "select status from marts.fct_target_assessment where status not in "
        "(select status from reference.assessment_statuses)"
    )
    assert bad == []
    missing = dbt_build.query(
        "select assessment_key from marts.fct_target_assessment "
        "where verdict_value is not null and (latest_year is null or latest_data_nature is null "
        "or latest_source is null or data_age_years is null)"
    )
    assert missing == []
