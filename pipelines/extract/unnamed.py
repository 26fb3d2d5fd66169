"""Targets whose subject the catalogue does not name as written: "续签率达到60%以上".

A clause "<subject><target verb><value>" with no catalogue mention is resolved in steps: clauses
whose form states a target are read first (:mod:`pipelines.extract.wording`); then the subject
is matched by the end of a catalogue name or by likeness (:mod:`pipelines.extract.likeness`):
"家庭医生签约…，续签率达到60%以上" → 家庭医生签约续签率, ties all kept and flagged; otherwise the
subject is **proposed as a new indicator** (unit from the value, direction from the verb),
flagged for review. A subject with two conjuncts and two values in order distributes
("中医馆和中医阁…中医适宜技术达到15项和8项" → 中医馆…技术 ≥ 15, 中医阁…技术 ≥ 8;
"…达到省定基本标准和推荐标准的比例力争达到90%、50%" → basic ≥ 90, recommended ≥ 50).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.extract.around import respectively
from pipelines.extract.likeness import FILLER, MIN_SUBJECT, Unnamed, similar_codes, suffix_codes
from pipelines.extract.phrases import Reading, find_reading
from pipelines.extract.vocabulary import Vocabulary
from pipelines.extract.wording import NOUN_AFTER, structured_targets
from pipelines.reference import normalise_label

__all__ = ["CLAUSE", "FILLER", "Unnamed", "find_unnamed"]

VERBS = (
    "达到|达|提高到|提升到|增加到|降低到|下降到|降至|控制在|不少于|不低于|不超过|低于|高于|超过|"
    "保持在|稳定在|维持在|小于|大于|配置|下降|降低|减少|提高|增长|完成|应为"
)
CLAUSE = re.compile(
    rf"(?P<subj>[^，,；;。：:、“”（）()]{{2,30}}?)(?P<verb>{VERBS})(?=\s*[≥≤<>]?\s*[\d一两二三四五六七八九])"
)
FALL_VERBS = (
    "降低到",
    "下降到",
    "降至",
    "控制在",
    "不超过",
    "低于",
    "小于",
    "下降",
    "降低",
    "减少",
)
UNIT_OF = {"%": "percent", "％": "percent", "‰": "per_mille", "人": "persons", "名": "persons"}
#: Words of intent a subject may end with before its verb ("…的比例力争达到100%").
TRAILING_INTENT = re.compile(r"(力争|争取|确保|努力|要)$")


def distributed(subject: str) -> tuple[str, str] | None:
    """The two subjects of "<A>和<B><rest>" whose conjuncts have the same length and share their
    first or last characters: "中医馆和中医阁持续开展的…" → (中医馆持续开展的…, 中医阁持续开展的…);
    "…省定基本标准和推荐标准的比例" → (…省定基本标准的比例, …省定推荐标准的比例)."""
    i = subject.find("和")
    if i < 0 or subject.count("和") > 1:
        return None
    before, after = subject[:i], subject[i + 1 :]
    for n in range(min(8, len(before), len(after)), 1, -1):
        left, right = before[-n:], after[:n]
        if left != right and (left[:2] == right[:2] or left[-2:] == right[-2:]):
            return before + after[n:], before[:-n] + right + after[n:]
    return None


def find_unnamed(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]], para: int
) -> list[Unnamed]:
    """Targets in ``doc[start:end]`` outside the ``used`` spans (see the module docstring)."""
    mentioned = list(used)
    out = structured_targets(doc, start, end, vocab, used, para)
    used = used + [(u.subject_start, u.reading.end) for u in out]
    for m in CLAUSE.finditer(doc, start, end):
        if any(a < m.end() and m.start() < b for a, b in used):
            continue
        subject = TRAILING_INTENT.sub("", FILLER.sub("", m.group("subj")).strip())
        if len(normalise_label(subject)) < MIN_SUBJECT or re.search(r"\d{4}", subject):
            continue
        subj_start = m.start("subj") + m.group("subj").find(subject)
        direction = "lower_is_better" if m.group("verb") in FALL_VERBS else "higher_is_better"
        reading = find_reading(doc[m.start("verb") : end], direction, m.start("verb"))
        if reading is None or reading.value is None or reading.start - m.end("verb") > 3:
            continue
        pair = distributed(subject)
        values = respectively(doc, reading, 2, direction) if pair else None
        if pair and values:
            out += _distributed(vocab, pair, values, subj_start, direction)
            continue
        codes, ranked = suffix_codes(vocab, subject, doc[para:subj_start])
        if not codes:
            # the catalogue's name may include the verb (完成率), the unit (培训人次) or the noun
            # after the value ("镇卫生院每万常住人口配置15~18名医疗卫生技术人员")
            after = NOUN_AFTER.match(doc, reading.end, end)
            for extra in ("", m.group("verb"), reading.unit_token or "", after and after.group(0)):
                codes = similar_codes(vocab, subject + (extra or ""))
                if codes:
                    break
        others = tuple(c for c in ranked if c not in codes)
        if codes:
            dirs = {vocab.indicators[c].direction for c in codes}
            if len(dirs) == 1 and next(iter(dirs)) != direction:
                reading = find_reading(doc[m.start("verb") : end], dirs.pop(), m.start("verb"))
                if reading is None or reading.value is None:
                    continue
        reading = replace(reading, confidence=min(reading.confidence, 0.5))
        out.append(
            Unnamed(
                subject=subject,
                subject_start=subj_start,
                reading=reading,
                codes=tuple(codes),
                alternatives=others,
                proposed_unit=UNIT_OF.get(reading.unit_token or "", "count"),
                proposed_direction=direction,
            )
        )
    # a value a catalogue mention already read is that mention's, whatever precedes it
    return [
        u for u in out if not any(a < u.reading.end and u.reading.start < b for a, b in mentioned)
    ]


def _distributed(
    vocab: Vocabulary, pair: tuple[str, str], values: list[Reading], start: int, direction: str
) -> list[Unnamed]:
    """One target per conjunct, each with its value in order; a conjunct the catalogue lacks is
    proposed (flagged like every unnamed row)."""
    out = []
    for subject, reading in zip(pair, values, strict=True):
        codes = similar_codes(vocab, subject)
        out.append(
            Unnamed(
                subject=subject,
                subject_start=start,
                reading=replace(reading, confidence=min(reading.confidence, 0.5)),
                codes=tuple(codes),
                alternatives=(),
                proposed_unit=UNIT_OF.get(reading.unit_token or "", "count"),
                proposed_direction=direction,
            )
        )
    return out
