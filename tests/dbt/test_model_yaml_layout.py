"""Every dbt model has its own YAML beside it (jaffle-shop's layout), naming exactly that model.

Parses the YAML only (no dbt run), so it is cheap and fails the moment a model is added without
its documentation and tests, or a YAML describes a model that lives elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.config import PROJECT_ROOT

MODELS = PROJECT_ROOT / "dbt_project" / "models"
SQL_FILES = sorted(MODELS.rglob("*.sql"))


def test_the_models_folder_is_not_empty() -> None:
    assert len(SQL_FILES) > 20


@pytest.mark.parametrize("sql", SQL_FILES, ids=lambda p: p.stem)
def test_model_has_its_own_yaml(sql: Path) -> None:
    spec = sql.with_suffix(".yml")
    assert spec.exists(), f"{sql.relative_to(PROJECT_ROOT)} has no {spec.name} beside it"
    doc = yaml.safe_load(spec.read_text(encoding="utf-8"))
    names = [m["name"] for m in doc.get("models", [])]
    assert names == [sql.stem], f"{spec.name} must describe exactly {sql.stem}, found {names}"
    for unit in doc.get("unit_tests", []) or []:
        assert unit["model"] == sql.stem, (
            f"{spec.name}: unit test {unit['name']} is for {unit['model']}"
        )
