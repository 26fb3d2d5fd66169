"""Words raw files use for columns and coded values (CONTRACTS §5), in English and Chinese,
read from seed ``ingest_vocabulary.csv`` (add a spelling there, not here).

Headers are matched after :func:`pipelines.reference.normalise_label`, so case, full-width
characters, spaces, brackets and underscores do not matter.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from pipelines.config import SEEDS_DIR
from pipelines.reference import normalise_label

#: The one place of these vocabularies: seed ``ingest_vocabulary.csv`` (vocabulary, value,
#: spelling). ICD-10 cause groups are defined by ``icd10_cause_groups.csv`` (ids, ICD ranges and
#: the labels it names them by: the source of those spellings); this seed holds only the cause
#: groups without ICD ranges (all, other, maternal) and *other* spellings of the ICD groups.
#: A spelling in both is refused by tests/ingest/test_vocabulary.py.
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
CAUSE_SPELLINGS: dict[str, tuple[str, ...]] = _VOCABULARIES["cause_group"]
#: columns of ``icd10_cause_groups.csv`` that spell a cause group (its id and its labels).
CAUSE_GROUP_NAMES = ("cause_group", "label_en", "label_zh")
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


def cause_lookup(cause_groups: pl.DataFrame) -> dict[str, str]:
    """normalised spelling -> cause group: the ICD-10 seed's ids and labels (``cause_groups``,
    :attr:`pipelines.reference.Reference.cause_groups`) and this seed's other spellings."""
    table = _lookup(CAUSE_SPELLINGS)
    for row in cause_groups.iter_rows(named=True):
        for column in CAUSE_GROUP_NAMES:
            if row.get(column):
                table[normalise_label(row[column])] = row["cause_group"]
    return table


def cause_spelling_copies(
    cause_groups: pl.DataFrame, vocabulary: Path = VOCABULARY_SEED
) -> list[str]:
    """Cause-group spellings written twice: in ``icd10_cause_groups.csv`` (its ids and labels,
    ``cause_groups``) and again in the vocabulary seed, or in the vocabulary seed for two
    groups. Empty when each spelling has one source (tests/ingest/test_vocabulary.py)."""
    named = {
        normalise_label(row[c]): row["cause_group"]
        for row in cause_groups.iter_rows(named=True)
        for c in CAUSE_GROUP_NAMES
        if row.get(c)
    }
    copies = []
    seen: dict[str, str] = {}
    for group, spellings in _load(vocabulary).get("cause_group", {}).items():
        for spelling in spellings:
            key = normalise_label(spelling)
            if key in named:
                copies.append(f"{spelling!r} ({group}) is already a name of {named[key]!r} in "
                              "icd10_cause_groups.csv")  # fmt: skip
            elif seen.setdefault(key, group) != group:
                copies.append(f"{spelling!r} spells both {seen[key]!r} and {group!r}")
    return copies
