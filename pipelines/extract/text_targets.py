"""Targets in running text: "到2020年…达到…%以上", "较2015年下降30%", "不少于8人", "全覆盖" …

The text is cut into sentences (``。；``); in each, indicator mentions are found through the
catalogue (:meth:`Vocabulary.find`). Mentions joined only by ``、和及与`` share the value that
follows the last of them ("宫颈癌、乳腺癌免费筛查全覆盖"). A mention's value is the first target
expression after it, before the next mention; a count written before it ("建成1个国家级重点专科")
is read there first. The target year is the last "到2020年" / "2018年底" before the mention in its
sentence, else in its paragraph, else the plan's horizon end. A sentence with a year and a value
but no mention ("到2030年，达到95%以上") continues the previous sentence's indicator, with a low
confidence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.extract.around import (
    COUNT_BEFORE,
    count_before,
    eliminated,
    respectively,
    verb_before,
)
from pipelines.extract.candidates import Candidate
from pipelines.extract.phrases import Reading, find_reading
from pipelines.extract.sentences import (
    YEAR_RE,
    TextContext,
    clause_start,
    paragraph_start,
    paragraph_starts,
    sentences,
    target_year,
    year_before,
)
from pipelines.extract.structure import PAST_SECTION, heading_path, section_label
from pipelines.extract.unnamed import find_unnamed
from pipelines.extract.vocabulary import Match, Vocabulary
from pipelines.rules.comparators import RELATIVE_COMPARATORS

__all__ = ["text_candidates"]

COORD = re.compile(r"^[、和及与或以及\s“”\"「」]*$")
PER_BEFORE = re.compile(r"([每毎])(千|万|百)名?(常住|常驻|户籍)?(人口|人|居民)?(拥有)?$")
EACH_SUBREGION = re.compile(r"以(?:乡[（(]?)?镇[（(、]?[^为]{0,6}为单位")
#: "…65%左右，并逐年提高": after a year's value, keep improving until the horizon.
THEN_IMPROVE = re.compile(
    r"\s*[，,]?\s*(?:并|且|此后|之后)?\s*(逐年提高|逐年提升|逐步提高|持续提高|逐年增加)"
)
#: The unit of a level (电子病历应用水平达到6级): a parallel clause with a level continues its target.
LEVEL_UNIT = "级"
#: Words allowed between the year and the value of a sentence that carries its indicator.
CARRY_GAP = 4
#: A clause of its own between a mention and a value ("家庭医生签约服务，续签率达到60%"): the value
#: belongs to that clause's subject, not to the mention.
OWN_SUBJECT = re.compile(
    r"[，,][^，,]*?[\u4e00-\u9fff](率|比例|比重|占比|数)\s*(达到|达|提高到|保持在|稳定在|控制在|不低于|不少于)"
)
#: "…覆盖全市" between a mention and a value: the value measures that covering, not the mention.
COVERS_BETWEEN = re.compile(r".{4,}覆盖(?!率)")
KEEP_BEFORE = re.compile(r"(保持|巩固|维持)")
#: Words a later comma clause may start with and still continue the mention ("，持续保持…").
CLAUSE_LEAD = 4
#: How far after a mention its value may start (characters).
MAX_GAP = 30


def _other_clause(between: str, found: Reading) -> bool:
    """A wordy reading (全覆盖, 持续改善) in a later comma clause with words of its own
    ("…家庭医生签约服务，基本实现对高血压…管理干预全覆盖") belongs to that clause's subject."""
    if COVERS_BETWEEN.search(between):
        return True  # "电子健康档案、…五大数据库覆盖全市80%以上人口": the value is the covering's
    if found.value is not None and found.comparator != "eq":
        return False
    cut = max(between.rfind("，"), between.rfind(","))
    return cut >= 0 and len(between[cut + 1 :].strip()) > CLAUSE_LEAD


def _groups(matches: list[Match], doc: str) -> list[list[Match]]:
    groups: list[list[Match]] = []
    for m in matches:
        if groups and COORD.match(doc[groups[-1][-1].end : m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def text_candidates(doc: str, vocab: Vocabulary, ctx: TextContext) -> list[Candidate]:
    """Targets stated in running text (outside tables and background sections)."""
    out: list[Candidate] = []
    last: tuple[Match, int] | None = None  # previous sentence's last mention, its paragraph
    paragraphs = paragraph_starts(doc, ctx.headings)
    for s, e in sentences(doc, paragraphs):
        if any(a <= s < b for a, b in ctx.skip_spans):
            continue
        path = heading_path(ctx.headings, s)
        if any(PAST_SECTION.search(h.title) for h in path):
            continue
        section = section_label(path)
        para = paragraph_start(paragraphs, s)
        matches = vocab.find(doc[s:e], base=s)
        groups = _groups(matches, doc)
        if groups:
            found = _mentioned(doc, s, e, groups, vocab, ctx, para)
        else:
            carried = _carried(doc, s, e, vocab, ctx, last, para, section)
            found = [carried] if carried else []
        for cand in found:
            cand.section = section
        # what the mentions already read: their values and themselves (not their whole quotes,
        # which run back to the clause start over other subjects' words)
        # (a mention that read nothing leaves its words to the wording rules)
        read = {c.code for c in found}
        used = [(c.reading.start, c.reading.end) for c in found]
        used += [(m.start, m.end) for m in matches if m.code in read]
        prior = [c for c in out if c.code and c.quote_start >= para] + found
        unnamed = [c for c in _unnamed(doc, s, e, vocab, ctx, used, para, section, prior)]
        out += found + unnamed
        if groups:
            last = (groups[-1][-1], para)
        named = [c for c in unnamed if c.code]
        if named and (not groups or named[-1].quote_start > groups[-1][-1].start):
            # a subject named by its wording continues into "到2030年，实现全覆盖" as well
            c = named[-1]
            assert c.code is not None  # named: filtered on c.code above
            last = (Match(c.code, c.quote_start, c.quote_end, "unnamed"), para)
    return out


def _group_reading(
    doc: str,
    lo: int,
    hi: int,
    group: list[Match],
    more_follow: bool,
    direction: str,
    vocab: Vocabulary,
) -> Reading | None:
    """The reading of one group of mentions, searched between ``lo`` and ``hi``.

    In order: a count written before a lone mention, an "eliminated" list, the first reading
    after the group that is near, in the same clause and in a unit the indicators can take,
    and a verb before a lone mention. ``more_follow``: another group of mentions follows.
    """
    reading = count_before(doc, lo, group[0], direction) if len(group) == 1 else None
    if reading is None and len(group) > 1:
        reading = eliminated(doc, lo, group, vocab)
    if reading is None:
        scope_end = hi
        if more_follow:  # a count written before the next mention is its own
            c = COUNT_BEFORE.search(doc[group[-1].end : hi])
            scope_end = group[-1].end + c.start() if c else hi
        found = find_reading(doc[group[-1].end : scope_end], direction, group[-1].end)
        if (
            found is not None
            and found.start - group[-1].end <= MAX_GAP
            and not OWN_SUBJECT.search(doc[group[-1].end : found.start])
            and not _other_clause(doc[group[-1].end : found.start], found)
            and (
                found.comparator in RELATIVE_COMPARATORS  # a change vs a year
                or all(vocab.compatible(found.unit_token, m.code) for m in group)
            )
        ):
            reading = found
    if reading is None and len(group) == 1:
        reading = verb_before(doc, lo, group[0], direction)
    return reading


def _kept(reading: Reading) -> Reading:
    """An "eq" reading after 保持 as "maintain".

    "保持国家卫生城市(县城)全覆盖": keep what is reached (CONTRACTS: 保持 → maintain).
    """
    return replace(
        reading,
        comparator="maintain",
        value=None,
        reason=f"保持… {reading.reason} → maintain",
    )


def _mentioned(
    doc: str,
    s: int,
    e: int,
    groups: list[list[Match]],
    vocab: Vocabulary,
    ctx: TextContext,
    para: int,
) -> list[Candidate]:
    """Targets of the catalogue mentions of one sentence ``doc[s:e]``."""
    out: list[Candidate] = []
    prev_end = s
    for gi, group in enumerate(groups):
        hi = groups[gi + 1][0].start if gi + 1 < len(groups) else e
        lo = groups[gi - 1][-1].end if gi > 0 else s
        direction = vocab.indicators[group[0].code].direction
        reading = _group_reading(doc, lo, hi, group, gi + 1 < len(groups), direction, vocab)
        if reading is None:
            continue
        if reading.comparator == "eq" and KEEP_BEFORE.search(
            doc[clause_start(doc, s, group[0].start) : group[0].start]
        ):
            reading = _kept(reading)
        year, notes = target_year(doc, s, group[0].start, para, ctx)
        # 以镇（街道）为单位 governs the one target whose clause holds it (between the previous
        # target's value and this one's): "…达到75%以上，以镇（街道）为单位…覆盖率达到80%。"
        here = EACH_SUBREGION.search(doc[prev_end : reading.end])
        scope = "each_subregion" if here else "region"
        prev_end = max(reading.end, group[-1].end)
        readings = respectively(doc, reading, len(group), direction) or [reading] * len(group)
        then = THEN_IMPROVE.match(doc, reading.end) if reading.comparator != "improve" else None
        for m, reading in zip(group, readings, strict=True):
            q0 = clause_start(doc, s, min(m.start, reading.start))
            cand = Candidate(
                code=m.code,
                label=doc[m.start : m.end],
                context=doc[max(s, m.start - 12) : m.start],
                paragraph=doc[para : m.start],
                target_year=year or ctx.default_year,
                reading=reading,
                quote_start=q0,
                quote_end=max(reading.end, m.end),
                section="",  # set by the caller
                origin="text",
                scope=scope,
                unit_token=reading.unit_token,
                notes=tuple(notes),
            )
            out.append(_converted(cand, vocab))
            if then and cand.target_year != ctx.default_year:
                more = Reading(
                    "improve", start=then.start(1), end=then.end(), confidence=0.6,
                    reason=f"{then.group(1)} after the {cand.target_year} value → improve",
                )  # fmt: skip
                out.append(
                    replace(cand, reading=more, target_year=ctx.default_year, quote_end=then.end())
                )
    return out


def _unnamed(
    doc: str,
    s: int,
    e: int,
    vocab: Vocabulary,
    ctx: TextContext,
    used: list[tuple[int, int]],
    para: int,
    section: str,
    prior: list[Candidate],
) -> list[Candidate]:
    """Targets whose subject the catalogue lacks as written (:mod:`pipelines.extract.unnamed`).

    A subject no catalogue name ends with, in a clause parallel to a target of its paragraph
    with the same kind of value ("电子病历应用水平达到6级，…其他二级医院达到3级及以上"), continues
    that target's indicator (flagged); otherwise it is proposed as a new indicator."""
    out: list[Candidate] = []
    for u in find_unnamed(doc, s, e, vocab, used, para):
        levels = [c for c in prior + out if c.code and c.reading.unit_token == LEVEL_UNIT]
        parallel = None
        if u.reading.unit_token == LEVEL_UNIT and levels:
            # the level target whose label shares most characters with the subject; else the
            # nearest ("其他二级医院达到3级" continues the clause just before it)
            parallel = max(
                enumerate(levels), key=lambda ic: (len(set(ic[1].label) & set(u.subject)), ic[0])
            )[1]
        if not u.codes and parallel is not None and parallel.code is not None:
            u = replace(u, codes=(parallel.code,))
            parallel_note = [f"parallel to the {parallel.label!r} target before it"]
        else:
            parallel_note = []
        year, notes = target_year(doc, s, u.subject_start, para, ctx)
        q0 = clause_start(doc, s, u.subject_start)
        for code in u.codes or (None,):
            reading = u.reading
            others = [c for c in u.codes if c != code] + list(u.alternatives)
            if code is not None:
                notes_c = [f"subject {u.subject!r} is the end of the catalogue's name of {code}"]
            else:
                notes_c = []
            if others:
                reading = replace(reading, alternative="or " + ", ".join(others[:4]))
            cand = Candidate(
                code=code,
                label=u.subject,
                target_year=year or ctx.default_year,
                reading=reading,
                quote_start=q0,
                quote_end=reading.end,
                section=section,
                origin="text",
                unit_token=reading.unit_token,
                notes=tuple(notes + notes_c + parallel_note),
                scope=_scope(doc, s, u.subject_start, reading.end, prior + out),
                context=doc[max(s, u.subject_start - 12) : u.subject_start],
                proposed_unit=u.proposed_unit,
                proposed_direction=u.proposed_direction,
            )
            out.append(_converted(cand, vocab))
    return out


def _carried(
    doc: str,
    s: int,
    e: int,
    vocab: Vocabulary,
    ctx: TextContext,
    last: tuple[Match, int] | None,
    para: int,
    section: str,
) -> Candidate | None:
    """A year and a value ("到2030年，达到95%以上"): the indicator of the sentence before."""
    if last is None or last[1] != para:
        return None
    year = year_before(doc, s, e, ctx)
    if year is None:
        return None
    m = last[0]
    reading = find_reading(doc[s:e], vocab.indicators[m.code].direction, s)
    if reading is None or reading.comparator == "improve":
        return None
    years = list(YEAR_RE.finditer(doc, s, reading.start))
    if not years or len(doc[years[-1].end() : reading.start].strip("，, ")) > CARRY_GAP:
        return None  # "到2030年，达到95%以上" only: a longer text names its own subject
    reading = replace(reading, confidence=min(reading.confidence, 0.5))
    cand = Candidate(
        code=m.code,
        label=doc[m.start : m.end],
        target_year=year,
        reading=reading,
        quote_start=clause_start(doc, s, s + 1) if doc[s] != "到" else s,
        quote_end=reading.end,
        section=section,
        origin="text",
        unit_token=reading.unit_token,
        notes=(f"indicator carried from the sentence before ({doc[m.start : m.end]})",),
    )
    cand.quote_start = s + len(doc[s:e]) - len(doc[s:e].lstrip())
    return _converted(cand, vocab)


def _per_earlier(paragraph: str, label: str) -> re.Match[str] | None:
    """ "区每千名常住居民拥有社会体育指导员数不少于3人；到2030年，拥有社会体育指导员数不少于8人":
    the per-population wording stated for the same label earlier in the paragraph."""
    found = None
    for m in re.finditer(PER_BEFORE.pattern.rstrip("$") + re.escape(label), paragraph):
        found = m
    return found


def _converted(cand: Candidate, vocab: Vocabulary) -> Candidate:
    """Convert the value to the indicator's canonical unit (per-1000 label → per-10000 …)."""
    r = cand.reading
    if cand.code is None or r.value is None or r.comparator in RELATIVE_COMPARATORS:
        return cand
    unit = vocab.unit_of(r.unit_token) if r.unit_token else None
    label = cand.label
    per = (
        re.match(r"^(每|毎)\s*(千|万|百|十万)", label)
        or PER_BEFORE.search(cand.context)
        or _per_earlier(cand.paragraph, label)
    )
    canonical = vocab.indicators[cand.code].canonical_unit
    if per and canonical.startswith("per_") and canonical.endswith("_pop"):
        unit = {"千": "per_1000_pop", "万": "per_10000_pop", "百": "per_100_pop"}.get(per.group(2))
    value, note = vocab.convert(r.value, unit, cand.code)
    if note is None:
        return cand
    upper = vocab.convert(r.upper, unit, cand.code)[0] if r.upper is not None else None
    cand.reading = replace(r, value=value, upper=upper)
    cand.notes = (*cand.notes, note)
    return cand


def _scope(doc: str, s: int, subject: int, end: int, before: list[Candidate]) -> str:
    """``each_subregion`` when 以镇（街道）为单位 is in this target's clause: after the value of
    the target before it in the sentence (``doc[s:]``), up to this target's value."""
    lo = max([c.reading.end for c in before if s <= c.reading.end <= subject], default=s)
    return "each_subregion" if EACH_SUBREGION.search(doc[lo:end]) else "region"
