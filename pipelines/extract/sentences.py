"""Where targets stand in running text: paragraphs, sentences, clauses and target years.

Converted documents break lines inside paragraphs (page ends, layout), so a paragraph runs on
until a line ends a sentence; sentences end at 。；！？. A target's year is the last
"到2020年" / "2018年底" before it in its sentence — unless that bare year dated an earlier clause's
own value — else the last "到/至YYYY年" earlier in its paragraph, else the plan's horizon end
(each said in the row's reason).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from pipelines.extract.structure import Heading

__all__ = [
    "TextContext",
    "YEAR_RE",
    "clause_start",
    "paragraph_start",
    "paragraph_starts",
    "sentences",
    "target_year",
    "year_before",
]

SENTENCE_END = re.compile(r"[。；;！？]")
PARAGRAPH_END = '。；;！？：:）)”"|'
YEAR_RE = re.compile(
    r"(?<![较比与和])(?:到|至|在|于)?\s*(\d{4})\s*年(?:底|末|前)?(?!基础|以来|相比|的)"
)
#: A value, then a comma, between a bare year and a later mention (see _target_year).
DATED_CLAUSE = re.compile(r"\d+(?:\.\d+)?\s*[%％‰个人名张所家项].*[，,]")


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


def sentences(doc: str, paragraphs: list[int]) -> Iterator[tuple[int, int]]:
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


def year_before(
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


def target_year(
    doc: str, s: int, pos: int, para: int, ctx: TextContext
) -> tuple[int | None, list[str]]:
    """The target year of a mention at ``pos`` in the sentence starting at ``s``, and a note
    saying where it came from when not from the sentence itself."""
    year = year_before(doc, s, pos, ctx)
    if year:
        last = [m for m in YEAR_RE.finditer(doc, s, pos) if int(m.group(1)) == year][-1]
        between = doc[last.end() : pos]
        # "2018年…覆盖率达到65%左右，并逐年提高，建档立卡的…全覆盖": a bare year dates its own
        # clause's value, not a later clause's (a 到2020年 runs on)
        if not (last.group(0).lstrip()[:1] not in "到至" and DATED_CLAUSE.search(between)):
            return year, []
    year = year_before(doc, para, s, ctx, marked=True)
    if year:
        return year, [f"year {year} stated earlier in the paragraph"]
    return None, [f"no year stated: plan horizon end {ctx.default_year}"]


def paragraph_start(paragraphs: list[int], pos: int) -> int:
    return paragraphs[bisect_right(paragraphs, pos) - 1]


def clause_start(doc: str, lo: int, pos: int) -> int:
    cut = max(doc.rfind(ch, lo, pos) for ch in "，,：:")
    start = cut + 1 if cut >= lo else lo
    while start < pos and doc[start] in " \t\u3000":
        start += 1
    return start
