"""Labels for monitors, Chinese first: the one loader of ``dbt_project/seeds/translations.csv``.

Every label the report, the alerts and the Dagster descriptions show to a monitor comes from that
seed (namespace, key, zh, en), as open-sdg keeps its translations in one place per language. The
status vocabulary itself (icon, colour, rank, is_finding) comes from
``dbt_project/seeds/assessment_statuses.csv`` through :func:`load_statuses`.

Usage::

    from pipelines.translations import label
    label("status", "off_track")          # '进度滞后'
    label("status", "off_track", "en")    # 'Off track'
    label("report", "years_old", n=3)     # '3年前'
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.config import SEEDS_DIR

TRANSLATIONS_CSV = "translations.csv"
STATUSES_CSV = "assessment_statuses.csv"
LANGUAGES = ("zh", "en")


class MissingTranslationError(KeyError):
    """A label was asked for that the translation seed does not have."""


@dataclass(frozen=True)
class Status:
    """One row of the status vocabulary, with its labels."""

    status: str
    kind: str
    rank: int
    is_finding: bool
    icon: str
    colour: str
    zh: str
    en: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=4)
def load_translations(seeds_dir: Path = SEEDS_DIR) -> dict[tuple[str, str], dict[str, str]]:
    """(namespace, key) → {"zh": …, "en": …}. Raises ValueError naming the row of a duplicate
    or of a row without both languages."""
    path = Path(seeds_dir) / TRANSLATIONS_CSV
    out: dict[tuple[str, str], dict[str, str]] = {}
    for line, row in enumerate(_read_csv(path), start=2):
        key = (row.get("namespace") or "", row.get("key") or "")
        if not all(key) or not row.get("zh") or not row.get("en"):
            raise ValueError(f"{path}: row {line}: namespace, key, zh and en are all required")
        if key in out:
            raise ValueError(f"{path}: row {line}: duplicate {key[0]}/{key[1]}")
        out[key] = {"zh": row["zh"], "en": row["en"]}
    return out


def label(namespace: str, key: str | None, lang: str = "zh", **fields: object) -> str:
    """The label of ``key`` in ``namespace`` (``{name}`` placeholders filled from ``fields``).

    Raises MissingTranslationError for an unknown key, so a new code without a label fails loudly
    in tests instead of leaking an English code to a monitor.
    """
    entry = load_translations().get((namespace, key or ""))
    if entry is None:
        raise MissingTranslationError(f"no translation for {namespace}/{key} in {TRANSLATIONS_CSV}")
    text = entry[lang]
    return text.format(**fields) if fields else text


def bilingual(namespace: str, key: str | None, **fields: object) -> str:
    """``"中文 English"``: Chinese first, English second (headings, alert titles)."""
    return f"{label(namespace, key, 'zh', **fields)} {label(namespace, key, 'en', **fields)}"


def label_or(namespace: str, key: str | None, default: str, lang: str = "zh") -> str:
    """Like :func:`label` but ``default`` for an unknown key (free-text values such as a
    source's own data-nature wording)."""
    entry = load_translations().get((namespace, key or ""))
    return entry[lang] if entry else default


@lru_cache(maxsize=4)
def load_statuses(seeds_dir: Path = SEEDS_DIR) -> dict[str, Status]:
    """status → :class:`Status` (vocabulary from assessment_statuses.csv, labels from the
    translations), in rank order."""
    rows = sorted(_read_csv(Path(seeds_dir) / STATUSES_CSV), key=lambda r: int(r["rank"]))
    labels = load_translations(seeds_dir)
    out = {}
    for row in rows:
        names = labels.get(("status", row["status"]))
        if names is None:
            raise MissingTranslationError(
                f"status {row['status']!r} of {STATUSES_CSV} has no row in {TRANSLATIONS_CSV}"
            )
        out[row["status"]] = Status(
            status=row["status"],
            kind=row["kind"],
            rank=int(row["rank"]),
            is_finding=row["is_finding"].strip().lower() == "true",
            icon=row["icon"],
            colour=row["colour"],
            zh=names["zh"],
            en=names["en"],
        )
    return out
