"""The extractor's figures on the five seed plans, against the curated plan_targets.

The issue's goals — recall ≥ 90 %, precision ≥ 85 %, every quote verbatim, < 10 s per plan — are
asserted overall and recall for every plan too (docs/onboarding.md has the figures), so an
extractor regression fails, as does a seeds change that adds targets the extractor cannot name
yet (then add their wording to the aliases, or a rule).
"""

from __future__ import annotations

import pytest

from pipelines.extract.evaluate import PlanScore, evaluate

#: Recall floors: the issue's goal, 90 %, for every plan (docs/onboarding.md: 90.5–96.7 %
#: measured, 94.3 % overall); a regression on any plan fails.
RECALL_FLOOR = 0.90
PLAN_RECALL_FLOOR = {
    "jy_action_2018": 0.90,
    "anon_district_2018": 0.90,
    "nantong_2030": 0.90,
    "changjiang_2030": 0.90,
    "jy_fyp14": 0.90,
}
PRECISION_GOAL = 0.85
RECALL_GOAL = 0.90
SECONDS_GOAL = 10.0
DOMAIN_LEAD_GOAL = 0.90


@pytest.fixture(scope="module")
def scores() -> list[PlanScore]:
    return evaluate()


def _overall(scores: list[PlanScore]) -> tuple[float, float]:
    gold = sum(s.gold for s in scores)
    found = sum(s.found for s in scores)
    matched = sum(s.matched for s in scores)
    return matched / gold, matched / found


def test_all_five_seed_plans_are_scored(scores) -> None:
    assert sorted(s.plan_id for s in scores) == sorted(PLAN_RECALL_FLOOR)
    assert all(s.gold > 0 for s in scores)


def test_precision_goal(scores) -> None:
    _, precision = _overall(scores)
    assert precision >= PRECISION_GOAL, f"precision {precision:.1%}"


def test_quotes_verbatim_and_fast(scores) -> None:
    for s in scores:
        assert s.quotes_verbatim, s.plan_id
        assert s.seconds < SECONDS_GOAL, (s.plan_id, s.seconds)


def test_recall_does_not_regress(scores) -> None:
    recall, _ = _overall(scores)
    assert recall >= RECALL_FLOOR, f"recall {recall:.1%} < floor {RECALL_FLOOR:.0%}"
    for s in scores:
        assert s.recall >= PLAN_RECALL_FLOOR[s.plan_id], (s.plan_id, s.recall)


def test_domain_lead_departments(scores) -> None:
    gold = sum(s.domains_gold for s in scores)
    found = sum(s.domains_found for s in scores)
    matched = sum(s.domains_matched for s in scores)
    assert matched / gold >= DOMAIN_LEAD_GOAL and matched / found >= DOMAIN_LEAD_GOAL


def test_recall_goal(scores) -> None:
    recall, _ = _overall(scores)
    assert recall >= RECALL_GOAL
