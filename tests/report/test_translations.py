"""Staleness of the translation seed: every code a monitor can see has a Chinese and English label.

A status added to assessment_statuses.csv, or a trend/severity/nature value added to a model's
``accepted_values``, without a row in translations.csv fails here (and the report would refuse to
render it: ``pipelines.translations.label`` raises for unknown keys).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from pipelines.config import SEEDS_DIR
from pipelines.translations import (
    MissingTranslationError,
    label,
    load_statuses,
    load_translations,
)

MODELS = SEEDS_DIR.parent / "models"
#: model column → translation namespace whose keys must cover its accepted values
COLUMNS = {
    "status": "status",
    "trend": "trend",
    "severity": "severity",
    "nature": "nature",
    "watch_reason": "watch_reason",
    "verdict_basis": "verdict_basis",
    "projection_method": "projection_method",
    "trend_method": "trend_method",
    "progress_ratio_class": "progress_ratio_class",
}


def _accepted_values() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in MODELS.rglob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models", []):
            for col in model.get("columns", []):
                if col.get("name") not in COLUMNS:
                    continue
                for test in col.get("data_tests", []) or []:
                    if isinstance(test, dict) and "accepted_values" in test:
                        spec = test["accepted_values"]
                        values = (spec.get("arguments") or spec).get("values", [])
                        found.setdefault(col["name"], set()).update(map(str, values))
    return found


def test_every_status_has_both_labels() -> None:
    with (SEEDS_DIR / "assessment_statuses.csv").open(encoding="utf-8", newline="") as fh:
        statuses = [r["status"] for r in csv.DictReader(fh)]
    labels = load_translations()
    missing = [s for s in statuses if ("status", s) not in labels]
    assert not missing, f"statuses without a row in translations.csv (namespace status): {missing}"
    assert list(load_statuses()) == sorted(statuses, key=lambda s: load_statuses()[s].rank)


def test_every_accepted_value_shown_to_monitors_has_a_label() -> None:
    labels = load_translations()
    accepted = _accepted_values()
    assert {"trend", "severity"} <= set(accepted), accepted  # the scan found the model tests
    missing = {
        (COLUMNS[col], v)
        for col, values in accepted.items()
        for v in values
        if (COLUMNS[col], v) not in labels
    }
    assert not missing, f"codes without a row in translations.csv: {sorted(missing)}"


def test_labels_are_chinese_first_and_fail_loudly_when_missing() -> None:
    assert label("status", "off_track") == "进度滞后"
    assert label("status", "off_track", "en") == "Off track"
    assert label("report", "years_old", n=3) == "3年前"
    with pytest.raises(MissingTranslationError, match="status/made_up"):
        label("status", "made_up")


def test_a_broken_seed_names_file_and_row(tmp_path: Path) -> None:
    (tmp_path / "translations.csv").write_text(
        "namespace,key,zh,en\nstatus,met,已达标,Met\nstatus,met,达标,Met\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"translations.csv: row 3: duplicate status/met"):
        load_translations(tmp_path)
