"""Service-radius targets: "15分钟健身圈全覆盖", "15分钟基本医疗卫生服务圈基本形成".

A plan promises that every resident reaches a service within N minutes; the measurable target is
the coverage of that circle (eq 100 when it is to be complete, ge p when "覆盖率达到p%").
The indicator is the catalogue's "<N分钟…圈>覆盖率" when it has one, else it is proposed as a new
percent indicator (higher is better), flagged for review. A circle the catalogue names itself as
a travel time ("实现…主要镇街间…的1小时交通圈" → travel_time_main_towns, minutes) is that time's
upper bound: le 60 minutes, converted by the one unit rule.
"""

from __future__ import annotations

import re

from pipelines.extract.candidates import Candidate
from pipelines.extract.phrases import Reading
from pipelines.extract.sentences import TextContext, paragraph_starts
from pipelines.extract.structure import PAST_SECTION, heading_path, section_label
from pipelines.extract.vocabulary import Vocabulary

__all__ = ["circle_candidates"]

CIRCLE = re.compile(r"(?P<name>(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>分钟|小时)[\u4e00-\u9fff]{1,12}?圈)")
DONE_AFTER = re.compile(
    r"[”\"」]?\s*(全覆盖|基本形成|基本建成|实现全覆盖|覆盖率达到\s*(?P<p>\d+(?:\.\d+)?)\s*[%％](以上)?)"
)
DONE_BEFORE = re.compile(r"(建成|打造|形成|实现|构建)\s*[“\"「]?\s*$")
#: A promise verb anywhere earlier in the clause (for a travel-time circle the catalogue names).
DONE_IN_CLAUSE = re.compile(r"(建成|打造|形成|实现|构建)[^，。；,;]*$")
YEAR = re.compile(r"[到至]\s*(\d{4})\s*年")


def _code(vocab: Vocabulary, name: str, before: str) -> str | None:
    for prefix in ("", "社区", "城市社区", before[-4:], before[-2:]):
        code = vocab.resolve(f"{prefix}{name}覆盖率")
        if code:
            return code
    return None


def circle_candidates(doc: str, vocab: Vocabulary, ctx: TextContext) -> list[Candidate]:
    """A coverage target per service circle the text promises to complete."""
    out = []
    paragraphs = paragraph_starts(doc, ctx.headings)
    for m in CIRCLE.finditer(doc):
        if any(a <= m.start() < b for a, b in ctx.skip_spans):
            continue
        path = heading_path(ctx.headings, m.start())
        if any(PAST_SECTION.search(h.title) for h in path):
            continue
        time = _travel_time(doc, m, vocab, ctx, paragraphs)
        if time is not None:
            out.append(time)
            continue
        after = DONE_AFTER.match(doc, m.end())
        before = doc[max(0, m.start() - 8) : m.start()]
        if not after and not DONE_BEFORE.search(before):
            continue
        value = float(after.group("p")) if after and after.group("p") else 100.0
        comp = "eq" if value == 100 else "ge"
        end = after.end() if after else m.end()
        para = max(p for p in paragraphs if p <= m.start())
        years = [int(y) for y in YEAR.findall(doc, para, m.start())]
        year = next((y for y in reversed(years) if ctx.min_year <= y <= ctx.max_year), None)
        name = re.sub(r"\s+", "", m.group("name"))
        code = _code(vocab, name, before)
        reading = Reading(
            comp, value, start=m.start(), end=end, confidence=0.6 if code else 0.5,
            reason=f"service circle {name} to be completed → {comp} {value:g}",
        )  # fmt: skip
        start = max(doc.rfind(ch, para, m.start()) for ch in "，。；,") + 1
        out.append(
            Candidate(
                code=code, label=f"{name}覆盖率", target_year=year or ctx.default_year,
                reading=reading, quote_start=max(start, para), quote_end=end,
                section=section_label(path), origin="text",
                notes=() if year else (f"no year stated: plan horizon end {ctx.default_year}",),
                proposed_unit="percent", proposed_direction="higher_is_better",
            )
        )  # fmt: skip
    return out


def _travel_time(
    doc: str, m: re.Match[str], vocab: Vocabulary, ctx: TextContext, paragraphs: list[int]
) -> Candidate | None:
    """A circle the catalogue names as a duration indicator, promised earlier in its clause:
    its time is the upper bound (le), in the indicator's unit."""
    name = re.sub(r"\s+", "", m.group("name"))
    code = vocab.resolve(name)
    if code is None:
        return None
    unit = vocab.unit_of(m.group("unit"))
    target = vocab.units.get(vocab.indicators[code].canonical_unit)
    if unit is None or target is None or target.kind != "duration":
        return None
    para = max(p for p in paragraphs if p <= m.start())
    if not DONE_IN_CLAUSE.search(doc, para, m.start()):
        return None
    value, converted = vocab.convert(float(m.group("n")), unit, code)
    years = [int(y) for y in YEAR.findall(doc, para, m.start())]
    year = next((y for y in reversed(years) if ctx.min_year <= y <= ctx.max_year), None)
    reading = Reading(
        "le", value, start=m.start(), end=m.end(), confidence=0.6,
        reason=f"travel-time circle {name} → le {value:g}" + (f" ({converted})" if converted else ""),
    )  # fmt: skip
    start = max(doc.rfind(ch, para, m.start()) for ch in "，。；,") + 1
    path = heading_path(ctx.headings, m.start())
    return Candidate(
        code=code, label=name, target_year=year or ctx.default_year, reading=reading,
        quote_start=max(start, para), quote_end=m.end(), section=section_label(path),
        origin="text",
        notes=() if year else (f"no year stated: plan horizon end {ctx.default_year}",),
    )  # fmt: skip
