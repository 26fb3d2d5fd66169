"""Which domain and which lead-department statement a drafted target falls under.

A plan's domains come from its tables' 领域 cells, from every lead-department statement and,
for a target no statement governs, from its task heading; see docs/onboarding.md for how a
statement is matched to a target.
"""

from __future__ import annotations

from pipelines.extract.candidates import Candidate
from pipelines.extract.structure import HEADING_PATTERNS, heading_path

__all__ = ["domain_rows", "heading_domain", "restating_statements", "statement_for"]


def domain_rows(doc: str, plan_id: str, tables, statements) -> tuple[list[dict], dict]:
    """Domains from table 领域 cells and department statements; statement start or 领域 cell
    start → domain_id."""
    rows: list[dict[str, str]] = []
    by_statement: dict[int, str] = {}
    for t_index, table in enumerate(tables):
        if table.domain_column is None:
            continue
        for row in table.rows:
            cell = row[table.domain_column] if len(row) == len(table.header) else None
            if cell is not None and cell.text and not cell.text.isdigit():
                n = len(rows) + 1
                by_statement[cell.start] = f"t{t_index + 1}_d{n:02d}"
                rows.append(
                    dict(plan_id=plan_id, domain_id=f"t{t_index + 1}_d{n:02d}",
                         domain_zh=cell.text, domain_en="", lead_department="",
                         co_departments="", source_quote=doc[cell.start : cell.end])
                )  # fmt: skip
    for k, st in enumerate(statements, start=1):
        domain_id = f"s{k:02d}"
        by_statement[st.start] = domain_id
        rows.append(
            dict(plan_id=plan_id, domain_id=domain_id,
                 domain_zh=st.heading.title if st.heading else "", domain_en="",
                 lead_department=";".join(st.lead), co_departments=";".join(st.co),
                 source_quote=doc[st.start : st.end])
        )  # fmt: skip
    return rows, by_statement


def _unnumbered(title: str) -> str:
    """A heading's title without its numbering ("（一）改善健康环境" → "改善健康环境")."""
    for _, pattern in HEADING_PATTERNS:
        m = pattern.match(title)
        if m:
            return title[m.end() :].strip() or title
    return title


def heading_domain(
    doc: str, plan_id: str, cand: Candidate, headings, domains: list, seen: dict[int, str]
) -> str:
    """The domain of a target no department statement governs: its task heading (the innermost
    heading above numbered items), added to ``domains`` the first time it is used."""
    path = heading_path(headings, cand.quote_start)
    while path and path[-1].level >= 5 and len(path) > 1:
        path = path[:-1]
    if not path:
        return ""
    h = path[-1]
    if h.start not in seen:
        seen[h.start] = f"h{len(seen) + 1:02d}"
        quote = h.title if h.title in doc else doc[h.start : h.end].strip()
        domains.append(
            dict(plan_id=plan_id, domain_id=seen[h.start], domain_zh=_unnumbered(h.title),
                 domain_en="",
                 lead_department="", co_departments="", source_quote=quote)
        )  # fmt: skip
    return seen[h.start]


def statement_for(cand: Candidate, statements, headings):
    """The department statement responsible for a target (see docs/onboarding.md)."""
    path = heading_path(headings, cand.quote_start)
    if not path:
        return None
    level = path[-1].level
    for st in statements:  # a statement opening the target's own section governs it
        if st.in_heading_line and st.heading == path[-1] and st.start <= cand.quote_start:
            return st
    # a statement in a heading line opens its own section: it never governs text before it
    after = [s for s in statements if s.start >= cand.quote_start and not s.in_heading_line]
    for strict in (False, True):
        for st in after:
            between = [h for h in headings if cand.quote_start < h.start <= st.start]
            # strict: a statement closing a section governs its numbered items too, but never
            # across a section heading (（一）, 一、 …) of the target's level or above
            limit = (lambda h: h.level <= min(level, 4)) if strict else (lambda h: h.level <= level)
            if any(limit(h) for h in between):
                continue
            return st
    for h in reversed(path):
        for st in statements:
            if st.in_heading_line and st.heading == h:
                return st
    return None


def restating_statements(texts: list[Candidate], statements, headings) -> dict:
    """indicator → the one lead statement governing the body text that restates a table
    indicator ("经常参加体育锻炼人数比例" in the table, "…达到40%" in the task 全民健身运动 with
    its 牵头部门): the table row takes that task's departments. An indicator restated under two
    different statements is left without (never a guess)."""
    found: dict[str, set] = {}
    for c in texts:
        st = statement_for(c, statements, headings)
        if st is not None and c.code:
            found.setdefault(c.code, set()).add(st)
    return {code: next(iter(sts)) for code, sts in found.items() if len(sts) == 1}
