"""How a subject the catalogue does not name as written is matched to a catalogue name.

Two deterministic likenesses, both over the catalogue's names and aliases:
:func:`suffix_codes` — the subject is the *end* of a name (plans drop a subject stated just
before: "续签率" of 家庭医生签约续签率), ties ranked by how much of the rest of the name the
paragraph says; :func:`similar_codes` — the subject uses nearly the *same characters* as one name
(character-set Jaccard), clearly ahead of the next name, never a guess between close ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.phrases import Reading
from pipelines.extract.vocabulary import Vocabulary
from pipelines.reference import normalise_label

__all__ = [
    "FILLER",
    "MIN_SUBJECT",
    "STRUCTURED_MARGIN",
    "STRUCTURED_SIMILAR",
    "Unnamed",
    "similar_codes",
    "suffix_codes",
]

FILLER = re.compile(
    r"^(?:(?:到|至|在)?\s*\d{4}\s*年(?:底|末|前)?|全市|全区|全县|我市|我区|力争|确保|努力|"
    r"实现|基本|进一步|要|并|且|使|让|其中|以上|计划|每年|的|，)+"
)
#: Share of a candidate name's other characters the paragraph must say to choose between names.
MIN_CONTEXT = 0.8
#: Character-set similarity for a subject written in other words than the catalogue's name, the
#: lead the best name needs over the next, the suffixes ignored, and the shortest subject compared.
SIMILAR = 0.75
SIMILAR_MARGIN = 0.1
SIMILAR_SUFFIXES = ("覆盖率", "比例", "占比", "率", "数")
MIN_SIMILAR_CHARS = 5
#: Likeness enough for a clause whose form states a target (全覆盖, 每个…设置1个, 达标, 人人…),
#: when the best name leads the next by STRUCTURED_MARGIN.
STRUCTURED_SIMILAR = 0.4
STRUCTURED_MARGIN = 0.15
#: Shortest subject kept (two characters say too little).
MIN_SUBJECT = 3
#: Shortest tail of a subject matched against the end of a catalogue name.
MIN_SUFFIX = 4


@dataclass(frozen=True)
class Unnamed:
    """A target whose subject is resolved by suffix (``codes``) or proposed (``codes`` empty)."""

    subject: str
    subject_start: int
    reading: Reading
    codes: tuple[str, ...]
    alternatives: tuple[str, ...]
    proposed_unit: str
    proposed_direction: str


def suffix_codes(vocab: Vocabulary, subject: str, context: str) -> tuple[list[str], list[str]]:
    """Catalogue indicators whose name ends with ``subject``: (best, all), ranked by context."""
    full = normalise_label(subject)
    if len(full) < MIN_SUBJECT:
        return [], []
    names: dict[str, str] = {}
    # "…队伍中40岁及以下人员占比": the subject may carry words the catalogue's name lacks at its
    # start; try shorter tails, down to half the subject (never below MIN_SUFFIX characters).
    for cut in range(0, max(1, len(full) - max(MIN_SUFFIX, len(full) // 2) + 1)):
        key = full[cut:]
        for name, code in vocab.keys.items():
            if name.endswith(key) and not name.isascii():
                names.setdefault(code, name)
        if names:
            break
    if not names:
        return [], []
    ctx = set(normalise_label(context))

    def score(code: str) -> float:
        # share of the rest of the name ("高血压患者" of 高血压患者规范管理率) the paragraph says
        rest = names[code][: -len(key)] if names[code].endswith(key) else names[code]
        return sum(ch in ctx for ch in rest) / len(rest) if rest else 1.0

    ranked = sorted(names, key=lambda c: (-score(c), c))
    top = score(ranked[0])
    if len(ranked) > 1 and top < MIN_CONTEXT:
        return [], ranked  # several names end so, nothing in the text chooses: propose
    return [c for c in ranked if score(c) == top], ranked


def similar_codes(
    vocab: Vocabulary, subject: str, least: float | None = None, margin: float | None = None
) -> list[str]:
    """The one catalogue indicator whose name uses nearly the same characters as ``subject``
    ("社区居家养老和养老机构的医疗卫生服务" ~ 养老机构和社区居家养老医疗卫生服务覆盖率): character-set
    Jaccard ≥ SIMILAR, the best clearly ahead of the next (else none: never a guess)."""
    subj = set(normalise_label(subject))
    structured = least is not None and least < SIMILAR
    if len(subj) < (MIN_SIMILAR_CHARS - 1 if structured else MIN_SIMILAR_CHARS):
        return []
    scored: dict[str, float] = {}
    for name, code in vocab.keys.items():
        if name.isascii():
            continue
        stem = set(re.sub(f"({'|'.join(SIMILAR_SUFFIXES)})$", "", name))
        score = len(subj & stem) / len(subj | stem)
        scored[code] = max(score, scored.get(code, 0.0))
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    least = SIMILAR if least is None else least
    margin = SIMILAR_MARGIN if margin is None else margin
    if not ranked or ranked[0][1] < least:
        return []
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - margin:
        return []
    return [ranked[0][0]]
