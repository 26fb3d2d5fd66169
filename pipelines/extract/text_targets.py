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
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pipelines.extract.candidates import Candidate
from pipelines.extract.phrases import Reading, find_reading
from pipelines.extract.structure import PAST_SECTION, Heading, heading_path
from pipelines.extract.vocabulary import Match, Vocabulary

__all__ = ["TextContext", "text_candidates"]

SENTENCE_END = re.compile(r"[。；;！？]")
PARAGRAPH_END = "。；;！？：:）)”\"|"
YEAR_RE = re.compile(r"(?<![较比与和])(?:到|至|在|于)?\s*(\d{4})\s*年(?:底|末|前)?(?!基础|以来|相比|的)")
COORD = re.compile(r"^[、和及与或以及\s]*$")
#: A count written before its indicator: "建成1个…", "、8个…", "100%的…", "1—2个…".
COUNT_BEFORE = re.compile(
    r"(?P<v>\d+(?:\.\d+)?)(?:\s*[—–\-~～]\s*(?P<up>\d+(?:\.\d+)?))?\s*"
    r"(?P<unit>个|所|家|名|大|项|支|条|%|％)(?P<qual>以上|及以上)?(?:的)?\s*$"
)
ELIMINATE = re.compile(r"(全面|基本)?(消除|无)\s*$")
PER_BEFORE = re.compile(r"([每毎])(千|万|百)名?(常住|常驻|户籍)?(人口|人|居民)?(拥有)?$")
CHANGE_BEFORE = re.compile(
    r"((逐步|逐年|不断|持续|进一步|努力|有效)(降低|减少|减小|提高|提升)|降低|减少|减小)\s*$"
)
EACH_SUBREGION = re.compile(r"以(?:乡[（(]?)?镇[（(、]?[^为]{0,6}为单位")
_ITEM = r"\d+(?:\.\d+)?\s*(?:%|％|‰|项|个|人|名|张|家|所|级)?"
ITEM = re.compile(_ITEM)
#: "96.50%、98%以上", "100%、30%", "15项和8项": one value per listed indicator.
VALUE_LIST = re.compile(
    rf"(?P<items>{_ITEM}(?:\s*[、和及与]\s*{_ITEM})+)\s*(?P<qual>以上|及以上|以下|以内|左右)?"
)
#: Words allowed between the year and the value of a sentence that carries its indicator.
CARRY_GAP = 4
#: How far after a mention its value may start (characters).
MAX_GAP = 30


@dataclass(frozen=True)
class TextContext:
    """What the running-text reader needs besides the text."""

    headings: list[Heading]
    skip_spans: list[tuple[int, int]]
    default_year: int
    min_year: int
    max_year: int


def paragraph_starts(doc: str, headings: list[Heading]) -> list[int]:
    """Where paragraphs start. Converted documents break lines inside a paragraph (page ends,
    layout): a line continues the paragraph above unless that one ended a sentence or was a
    heading (or short, like a title)."""
    heading_starts = {h.start for h in headings}
    starts, pos, prev = [0], 0, ""
    for line in doc.split("\n"):
        if line.strip():
            tail = prev.rstrip()
            if pos in heading_starts or not tail or tail[-1] in PARAGRAPH_END or len(tail) < 60:
                starts.append(pos)
            prev = line
        pos += len(line) + 1
    return starts


def _sentences(doc: str, paragraphs: list[int]) -> Iterator[tuple[int, int]]:
    cuts = sorted({m.end() for m in SENTENCE_END.finditer(doc)} | set(paragraphs) | {len(doc)})
    start = 0
    for cut in cuts:
        if doc[start:cut].strip():
            lead = len(doc[start:cut]) - len(doc[start:cut].lstrip())
            end = cut
            while end > start and doc[end - 1] in "。；;！？\n \t":
                end -= 1
            yield start + lead, end
        start = cut


def _year_before(
    doc: str, start: int, pos: int, ctx: TextContext, marked: bool = False
) -> int | None:
    """The last target year stated in ``doc[start:pos]``; ``marked``: only "到/至YYYY年"
    (a bare "2018年…" in an earlier sentence dates that sentence, not the paragraph)."""
    years = [
        int(m.group(1))
        for m in YEAR_RE.finditer(doc, start, pos)
        if ctx.min_year <= int(m.group(1)) <= ctx.max_year
        and (not marked or m.group(0).lstrip()[:1] in "到至")
    ]
    return years[-1] if years else None


def _paragraph_start(paragraphs: list[int], pos: int) -> int:
    return paragraphs[bisect_right(paragraphs, pos) - 1]


def _groups(matches: list[Match], doc: str) -> list[list[Match]]:
    groups: list[list[Match]] = []
    for m in matches:
        if groups and COORD.match(doc[groups[-1][-1].end : m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _count_before(doc: str, lo: int, m: Match, direction: str) -> Reading | None:
    pre = doc[lo : m.start]
    c = COUNT_BEFORE.search(pre)
    if c:
        value = float(c.group("v"))
        span = {"start": lo + c.start(), "end": m.end, "unit_token": c.group("unit")}
        if c.group("up"):
            return Reading("range", value, float(c.group("up")), reason="range before", **span)
        if c.group("unit") in ("%", "％"):
            comp = "eq" if value == 100 and not c.group("qual") else "ge"
            return Reading(comp, value, reason=f"{c.group(0).strip()}… → {comp}", **span)
        return Reading("ge", value, reason=f"count {c.group(0).strip()} → ge", **span)
    e = ELIMINATE.search(pre)
    if e and direction != "higher_is_better":
        return Reading("eq", 0.0, start=lo + e.start(), end=m.end, reason="消除 → eq 0")
    return None


def _verb_before(doc: str, lo: int, m: Match, direction: str) -> Reading | None:
    """"降低重大慢性病过早死亡率" / "逐步提高…的比例": a direction without a number."""
    v = CHANGE_BEFORE.search(doc[lo : m.start])
    if v is None:
        return None
    fall = any(w in v.group(0) for w in ("降低", "减少", "减小", "下降"))
    wanted = "lower_is_better" if fall else "higher_is_better"
    if direction and direction != wanted and direction != "target_range":
        return None
    return Reading(
        "improve", start=lo + v.start(), end=m.end, confidence=0.5,
        reason=f"{v.group(0).strip()}… without a number → improve",
    )  # fmt: skip


def _respectively(doc: str, first: Reading, n: int, direction: str) -> list[Reading] | None:
    """"基本养老保险、基本医疗保险参保率稳定在96.50%、98%以上": n mentions, n values in order.

    The qualifier after the last value (以上) applies to each; the verb before the first too.
    """
    if n < 2 or first.value is None:
        return None
    m = VALUE_LIST.match(doc, first.start)
    if m is None:
        return None
    items = list(ITEM.finditer(m.group("items")))
    if len(items) != n:
        return None
    verb = doc[max(0, first.start - 4) : first.start]
    qual = m.group("qual") or ""
    out = []
    for item in items:
        text = verb + item.group(0).strip() + qual
        r = find_reading(text, direction)
        if r is None or r.value is None:
            return None
        start = m.start("items") + item.start()
        out.append(
            replace(r, start=start, end=m.end(), confidence=min(r.confidence, 0.8),
                    reason=f"{r.reason}; values listed in the order of the indicators")
        )  # fmt: skip
    return out


def _clause_start(doc: str, lo: int, pos: int) -> int:
    cut = max(doc.rfind(ch, lo, pos) for ch in "，,：:")
    start = cut + 1 if cut >= lo else lo
    while start < pos and doc[start] in " \t\u3000":
        start += 1
    return start


def text_candidates(doc: str, vocab: Vocabulary, ctx: TextContext) -> list[Candidate]:
    """Targets stated in running text (outside tables and background sections)."""
    out: list[Candidate] = []
    last: tuple[Match, int] | None = None  # previous sentence's last mention, its paragraph
    paragraphs = paragraph_starts(doc, ctx.headings)
    for s, e in _sentences(doc, paragraphs):
        if any(a <= s < b for a, b in ctx.skip_spans):
            continue
        path = heading_path(ctx.headings, s)
        if any(PAST_SECTION.search(h.title) for h in path):
            continue
        section = " ".join(h.title[:24] for h in path)
        para = _paragraph_start(paragraphs, s)
        matches = vocab.find(doc[s:e], base=s)
        groups = _groups(matches, doc)
        if not groups:
            found = _carried(doc, s, e, vocab, ctx, last, para, section)
            if found:
                out.append(found)
            continue
        for gi, group in enumerate(groups):
            hi = groups[gi + 1][0].start if gi + 1 < len(groups) else e
            lo = groups[gi - 1][-1].end if gi > 0 else s
            direction = vocab.indicators[group[0].code].direction
            reading = _count_before(doc, lo, group[0], direction) if len(group) == 1 else None
            if reading is None:
                scope_end = hi
                if gi + 1 < len(groups):  # a count written before the next mention is its own
                    c = COUNT_BEFORE.search(doc[group[-1].end : hi])
                    scope_end = group[-1].end + c.start() if c else hi
                found = find_reading(doc[group[-1].end : scope_end], direction, group[-1].end)
                if found is not None and found.start - group[-1].end <= MAX_GAP:
                    reading = found
            if reading is None and len(group) == 1:
                reading = _verb_before(doc, lo, group[0], direction)
            if reading is None:
                continue
            year = _year_before(doc, s, group[0].start, ctx) or _year_before(
                doc, para, s, ctx, marked=True
            )
            notes = [] if year else [f"no year stated: plan horizon end {ctx.default_year}"]
            scope = "each_subregion" if EACH_SUBREGION.search(doc[s:e]) else "region"
            readings = _respectively(doc, reading, len(group), direction) or [reading] * len(group)
            for m, reading in zip(group, readings, strict=True):
                q0 = _clause_start(doc, s, min(m.start, reading.start))
                cand = Candidate(
                    code=m.code,
                    label=doc[m.start : m.end],
                    context=doc[max(s, m.start - 12) : m.start],
                    target_year=year or ctx.default_year,
                    reading=reading,
                    quote_start=q0,
                    quote_end=max(reading.end, m.end),
                    section=section,
                    origin="text",
                    scope=scope,
                    unit_token=reading.unit_token,
                    notes=tuple(notes),
                )
                out.append(_converted(cand, vocab))
        last = (groups[-1][-1], para)
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
    """"到2030年，达到95%以上": a year and a value, the indicator of the sentence before."""
    if last is None or last[1] != para:
        return None
    year = _year_before(doc, s, e, ctx)
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
        quote_start=_clause_start(doc, s, s + 1) if doc[s] != "到" else s,
        quote_end=reading.end,
        section=section,
        origin="text",
        unit_token=reading.unit_token,
        notes=(f"indicator carried from the sentence before ({doc[m.start : m.end]})",),
    )
    cand.quote_start = s + len(doc[s:e]) - len(doc[s:e].lstrip())
    return _converted(cand, vocab)


def _converted(cand: Candidate, vocab: Vocabulary) -> Candidate:
    """Convert the value to the indicator's canonical unit (per-1000 label → per-10000 …)."""
    r = cand.reading
    if cand.code is None or r.value is None or r.comparator in ("reduce_by_pct", "increase_by_pct"):
        return cand
    unit = vocab.unit_of(r.unit_token) if r.unit_token else None
    label = cand.label
    per = re.match(r"^(每|毎)\s*(千|万|百|十万)", label) or PER_BEFORE.search(cand.context)
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
