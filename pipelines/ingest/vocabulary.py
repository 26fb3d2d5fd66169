"""Words raw files use for columns and coded values (CONTRACTS §5), in English and Chinese,
read from seed ``ingest_vocabulary.csv`` (add a spelling there, not here).

Headers are matched after :func:`pipelines.reference.normalise_label`, so case, full-width
characters, spaces, brackets and underscores do not matter.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipelines.config import SEEDS_DIR
from pipelines.reference import normalise_label

#: The one place of these vocabularies: seed ``ingest_vocabulary.csv`` (vocabulary, value,
#: spelling). ICD-10 cause groups are defined by ``icd10_cause_groups.csv`` (ids, ICD ranges and
#: the labels it names them by); every other spelling of a cause group is in this seed.
VOCABULARY_SEED: Path = SEEDS_DIR / "ingest_vocabulary.csv"


def _load(path: Path = VOCABULARY_SEED) -> dict[str, dict[str, tuple[str, ...]]]:
    """{vocabulary: {value: spellings in seed order}} from the seed."""
    vocabularies: dict[str, dict[str, list[str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            values = vocabularies.setdefault(row["vocabulary"], {})
            values.setdefault(row["value"], []).append(row["spelling"])
    return {v: {k: tuple(s) for k, s in vals.items()} for v, vals in vocabularies.items()}


def _lookup(synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """normalised spelling -> value."""
    return {normalise_label(s): value for value, spellings in synonyms.items() for s in spellings}


_VOCABULARIES = _load()

#: canonical column -> header spellings.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = _VOCABULARIES["column"]
#: normalised header -> canonical column.
HEADER_LOOKUP: dict[str, str] = _lookup(COLUMN_SYNONYMS)
#: count measures (CONTRACTS §2) -> spellings.
MEASURE_SYNONYMS: dict[str, tuple[str, ...]] = _VOCABULARIES["measure"]
MEASURE_LOOKUP: dict[str, str] = _lookup(MEASURE_SYNONYMS)
SEX_LOOKUP: dict[str, str] = _lookup(_VOCABULARIES["sex"])
#: cause groups beyond the ICD-10 seed's NCD groups, and spellings beyond its labels.
EXTRA_CAUSE_GROUPS: dict[str, tuple[str, ...]] = _VOCABULARIES["cause_group"]
DATA_NATURE_LOOKUP: dict[str, str] = _lookup(_VOCABULARIES["data_nature"])
DATA_NATURES = tuple(_VOCABULARIES["data_nature"])
#: publication status of a figure: a preliminary estimate (预计, 初步推算 …) gives way to the
#: final figure in dbt (int_observation_duplicates); unstated means final.
DATA_STATUS_LOOKUP: dict[str, str] = _lookup(_VOCABULARIES["data_status"])
DATA_STATUSES = tuple(_VOCABULARIES["data_status"])
#: values of age_group meaning "all ages" (and an empty cell).
AGE_ALL = (*_VOCABULARIES["age_group"]["all"], "")


def canonical_column(header: str | None) -> str | None:
    """Canonical column name for a header cell, or None if it is not a known column."""
    return HEADER_LOOKUP.get(normalise_label(header))
