"""One source per spelling: a cause group's id and labels live in icd10_cause_groups.csv, its
other spellings in ingest_vocabulary.csv, never the same spelling in both (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from pipelines.ingest.vocabulary import VOCABULARY_SEED, cause_lookup, cause_spelling_copies
from pipelines.reference import load_reference, normalise_label


def test_no_cause_spelling_is_written_twice() -> None:
    copies = cause_spelling_copies(load_reference().cause_groups)
    assert copies == [], "cause-group spellings with two sources:\n" + "\n".join(copies)


def test_a_second_copy_of_a_cause_label_is_found(tmp_path: Path) -> None:
    causes = load_reference().cause_groups
    label = causes.filter(pl.col("cause_group") == "crd")["label_zh"].item()
    seed = tmp_path / "ingest_vocabulary.csv"
    shutil.copy(VOCABULARY_SEED, seed)
    with seed.open("a", encoding="utf-8") as fh:
        fh.write(f"cause_group,crd,{label}\ncause_group,cvd,肿瘤\n")
    copies = cause_spelling_copies(causes, seed)
    assert len(copies) == 2
    assert any(label in c and "icd10_cause_groups.csv" in c for c in copies)
    assert any("肿瘤" in c and "'cancer'" in c and "'cvd'" in c for c in copies)


def test_every_cause_group_name_resolves_from_its_one_source() -> None:
    causes = load_reference().cause_groups
    lookup = cause_lookup(causes)
    for row in causes.iter_rows(named=True):
        for column in ("cause_group", "label_en", "label_zh"):
            assert lookup[normalise_label(row[column])] == row["cause_group"]
    # groups without ICD ranges and the vocabulary's other spellings
    assert lookup[normalise_label("孕产妇")] == "maternal"
    assert lookup[normalise_label("慢阻肺")] == "crd"
