"""A plan's structure: headings (sections), lead / co-responsible departments, plan metadata.

Headings are recognised by their numbering (``第一章``, ``第一节``, ``一、``, ``（一）``, ``1．``);
a numbered item whose paragraph runs on (``1．加大大气环境治理力度。…``) is a heading whose
title is its first sentence. Departments come from ``牵头单位：…`` / ``（牵头部门：…；责任部门：…）``
statements; each names the domain (the innermost heading) it closes or opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "DepartmentStatement",
    "section_label",
    "Heading",
    "PlanMeta",
    "find_departments",
    "find_headings",
    "heading_path",
    "plan_meta",
]

CN = "一二三四五六七八九十百零"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^\s*第[{CN}]+章")),
    (2, re.compile(rf"^\s*第[{CN}]+节")),
    (3, re.compile(rf"^\s*[{CN}]+、")),
    (4, re.compile(rf"^\s*(?:-\s*)?[（(]\s*[{CN}]+\s*[）)]")),
    (5, re.compile(r"^\s*\d{1,2}\s*[．.、](?!\d)")),
)
#: Headings of background sections: what they report happened, it is not a target.
PAST_SECTION = re.compile(r"回顾|现状|基本情况|发展形势|成就|概况|规划背景|面临的")
LEAD_RE = re.compile(r"(?:牵\s*头|(?<![^\s（(])头)(?:单位|部门)\s*[:：]")
CO_RE = re.compile(r"[；;，,]?\s*(?:责任|配合|参与|协同)(?:单位|部门)\s*[:：]")


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level (1 = 章 … 5 = numbered item), title, line span."""

    level: int
    title: str
    start: int
    end: int
    marker: str = ""  # the numbering: 第三章, 第二节, 一、, （三）, 1．


@dataclass(frozen=True)
class DepartmentStatement:
    """``牵头…：lead；责任…：co`` with its verbatim span and the domain heading it belongs to."""

    lead: tuple[str, ...]
    co: tuple[str, ...]
    start: int
    end: int
    heading: Heading | None
    in_heading_line: bool


@dataclass
class PlanMeta:
    """What the text says about the plan itself."""

    title: str = ""
    document_number: str = ""
    issued_date: str = ""
    issue_year: int | None = None
    horizon_start: int | None = None
    horizon_end: int | None = None
    region_id: str = ""
    plan_type: str = "action_plan"
    baseline_years: list[int] = field(default_factory=list)


def _title(line: str) -> str:
    text = re.sub(r"^\s*(?:-\s*)?", "", line).strip()
    first = re.split(r"[。]", text, maxsplit=1)[0]
    first = re.split(r"[（(]\s*牵头", first, maxsplit=1)[0]
    return first.strip()[:60]


def find_headings(doc: str) -> list[Heading]:
    """Every numbered heading line, in document order."""
    out, pos = [], 0
    for line in doc.split("\n"):
        for level, pattern in HEADING_PATTERNS:
            m = pattern.match(line)
            if m:
                marker = re.sub(r"[\s-]+", "", m.group(0))
                out.append(Heading(level, _title(line), pos, pos + len(line), marker))
                break
        pos += len(line) + 1
    return out


def heading_path(headings: list[Heading], pos: int) -> list[Heading]:
    """The headings enclosing ``pos`` (outermost first)."""
    path: list[Heading] = []
    for h in headings:
        if h.start > pos:
            break
        while path and path[-1].level >= h.level:
            path.pop()
        path.append(h)
    return path


def _names(text: str, aliases: dict[str, str]) -> tuple[str, ...]:
    parts = [p.strip(" \t。.") for p in re.split(r"[、，,]", text)]
    return tuple(aliases.get(p, p) for p in parts if p)


def _statement_end(doc: str, start: int, opened: bool) -> int:
    """Where a department statement ends: its closing bracket (brackets inside names nest)."""
    depth = 1 if opened else 0
    i = start
    while i < len(doc) and doc[i] != "\n":
        ch = doc[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth <= 0:
                return i
        elif ch == "。" and depth <= 0:
            return i
        i += 1
    return i


def find_departments(
    doc: str, headings: list[Heading], aliases: dict[str, str] | None = None
) -> list[DepartmentStatement]:
    """Every lead-department statement with its co-responsible departments (names spelled as
    the seeds spell them: ``aliases`` maps another spelling to that name)."""
    aliases = aliases or {}
    out = []
    for m in LEAD_RE.finditer(doc):
        before = doc[max(0, m.start() - 2) : m.start()]
        opened = bool(re.search(r"[（(]\s*$", before))
        end = _statement_end(doc, m.start(), opened)
        body = doc[m.end() : end]
        co_m = CO_RE.search(body)
        lead_text, co_text = (body[: co_m.start()], body[co_m.end() :]) if co_m else (body, "")
        path = heading_path(headings, m.start())
        heading = path[-1] if path else None
        in_line = heading is not None and heading.start <= m.start() <= heading.end
        opening = heading is not None and doc[heading.start : m.start()].count("。") == 0
        out.append(
            DepartmentStatement(
                _names(lead_text.strip("；; "), aliases),
                _names(co_text, aliases),
                m.start(),
                end,
                heading,
                in_line and opening,
            )
        )
    return out


def plan_meta(doc: str, region_keys: dict[str, str]) -> PlanMeta:
    """Title, document number, date, horizon, type and region as the text states them."""
    from pipelines.reference import normalise_label

    meta = PlanMeta()
    head = doc[:3000]
    m = re.search(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号", head)
    meta.document_number = m.group(0) if m else ""
    m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", head)
    if m:
        meta.issue_year = int(m.group(1))
        meta.issued_date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    quoted = re.search(r"《([^《》]{4,80}?(?:规划|计划|纲要|方案)[^《》]{0,20})》", head)
    titles = [
        ln.strip()
        for ln in head.split("\n")
        if re.search(r"(规划|计划|纲要|方案)", ln)
        and len(ln.strip()) < 60
        and not any(p.match(ln) for _, p in HEADING_PATTERNS)
    ]
    first = next((ln.strip() for ln in head.split("\n") if ln.strip()), "")
    if first in titles and not re.search(r"印发|通知|关于", first):  # starts with its title
        title = first
    elif quoted:  # the notice names the plan: 印发《…》的通知 (its line breaks are layout)
        title = re.sub(r"\s+", "", quoted.group(1))
    else:
        title = min(titles, key=lambda t: ("印发" in t or "关于" in t, len(t))) if titles else ""
    meta.title = title.strip("《》 ")
    m = re.search(r"[（(](\d{4})\s*[—–\-－~]\s*(\d{4})\s*年?[）)]", head)
    fyp = re.search(r"十([三四五六])五", meta.title or head[:500])
    if m:
        meta.horizon_start, meta.horizon_end = int(m.group(1)), int(m.group(2))
    elif fyp:  # 十四五 = 2021–2025
        start = 2016 + 5 * "三四五六".index(fyp.group(1))
        meta.horizon_start, meta.horizon_end = start, start + 4
    if "纲要" in meta.title:
        meta.plan_type = "outline_2030"
    elif re.search(r"五年|十[三四五六]五", meta.title):
        meta.plan_type = "five_year_plan"
    norm = normalise_label(meta.title or head[:500])
    best = ""
    for key, region in region_keys.items():
        if len(key) >= 2 and key in norm and len(key) > len(best):
            best, meta.region_id = key, region
    return meta


def section_label(path: list[Heading]) -> str:
    """Where a target stands: the outer headings' numbers and the innermost title
    (``第四章 一（三） 加强精神卫生服务``)."""
    if not path:
        return ""
    return " ".join([h.marker for h in path[:-1]] + [path[-1].title[:30]])
