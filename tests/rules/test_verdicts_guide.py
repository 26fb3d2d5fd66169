"""docs/verdicts.md stays in step with the status vocabulary seed."""

from __future__ import annotations


def test_every_status_is_explained_in_the_verdicts_guide() -> None:
    """docs/verdicts.md maps every status of the vocabulary seed to HP2030 / open-sdg / UNSD."""
    import csv

    from pipelines.config import PROJECT_ROOT, SEEDS_DIR

    guide = (PROJECT_ROOT / "docs" / "verdicts.md").read_text(encoding="utf-8")
    with (SEEDS_DIR / "assessment_statuses.csv").open(encoding="utf-8", newline="") as f:
        statuses = [row["status"] for row in csv.DictReader(f)]
    missing = [s for s in statuses if f"| `{s}` |" not in guide]
    assert statuses and missing == []
