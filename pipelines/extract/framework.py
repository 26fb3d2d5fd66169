"""A plan's text → a draft framework in the seeds' column layout (CONTRACTS §1).

:func:`extract_text` returns a :class:`Draft`: one ``plans`` row, ``plan_domains`` rows (domains
from the table's 领域 column and from every lead-department statement), ``plan_targets`` rows
(every quote asserted verbatim), the review sheet (confidence, reason, the other reading of an
ambiguous phrase) and proposed indicators for labels the catalogue does not know.
:func:`write_draft` writes them as CSV files a reviewer edits and then copies into the seeds.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipelines.config import SEEDS_DIR
from pipelines.extract.candidates import Candidate
from pipelines.extract.circles import circle_candidates
from pipelines.extract.domains import (
    domain_rows,
    heading_domain,
    restating_statements,
    statement_for,
)
from pipelines.extract.sentences import TextContext
from pipelines.extract.structure import PlanMeta, find_departments, find_headings, plan_meta
from pipelines.extract.table_targets import baseline_columns, table_candidates
from pipelines.extract.tables import find_tables
from pipelines.extract.text_targets import text_candidates
from pipelines.extract.vocabulary import Vocabulary, load_vocabulary
from pipelines.rules.comparators import RELATIVE_COMPARATORS

__all__ = [
    "DOMAIN_COLUMNS",
    "Draft",
    "PLAN_COLUMNS",
    "QuoteError",
    "REVIEW_COLUMNS",
    "TARGET_COLUMNS",
    "extract_text",
    "write_draft",
]

PLAN_COLUMNS = (
    "plan_id,title_zh,title_en,plan_type,issuing_body,document_number,issued_date,region_id,"
    "baseline_years,horizon_start,horizon_end,source_file,framework_status"
).split(",")
DOMAIN_COLUMNS = (
    "plan_id,domain_id,domain_zh,domain_en,lead_department,co_departments,source_quote"
).split(",")
TARGET_COLUMNS = (
    "target_id,plan_id,indicator_code,region_id,scope,domain_id,target_year,comparator,"
    "target_value,target_upper,tolerance_pct,relative_to_year,baseline_year,baseline_value,"
    "nature,lead_department,co_departments,source_section,source_quote,note"
).split(",")
REVIEW_COLUMNS = [
    "target_id",
    "confidence",
    "needs_review",
    "reason",
    "alternative",
    "origin",
    "proposed_indicator",
]
PROPOSED_COLUMNS = ["indicator_code", "name_zh", "canonical_unit", "direction", "source_quote"]
#: The note marker of a target whose plan names no lead department (CONTRACTS §1, Departments).
NO_LEAD_MARKER = "计划未明确牵头单位"
#: Rows below this confidence are flagged for review.
REVIEW_THRESHOLD = 0.7


class QuoteError(AssertionError):
    """A quote that is not verbatim in the source text (a bug: quotes are always slices)."""


@dataclass
class Draft:
    """A plan's draft framework."""

    plan: dict[str, str]
    domains: list[dict[str, str]]
    targets: list[dict[str, str]]
    review: list[dict[str, str]]
    proposed: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    text: str = ""


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _known_plan(source_file: str, seeds_dir: Path) -> dict[str, str] | None:
    path = seeds_dir / "plans.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["source_file"] == source_file:
                return row
    return None


def _department_aliases(seeds_dir: Path, plan_id: str) -> dict[str, str]:
    """Another spelling → the seeds' name of a department, for this plan (department_aliases)."""
    path = seeds_dir / "department_aliases.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            r["alias"]: r["department"] for r in csv.DictReader(handle) if r["plan_id"] == plan_id
        }


def _proposed_code(label: str) -> str:
    return "new_" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:8]


def _every_year(doc: str, cands: list[Candidate], first: int, last: int) -> list[Candidate]:
    """ "计划每年开展各类人才培训不少于500人次": a yearly target without a year holds for every
    year of the plan's horizon (one row per year)."""
    out = []
    for c in cands:
        yearly = "每年" in doc[c.quote_start : c.quote_end] and any(
            n.startswith(("no year stated", "year ")) for n in c.notes
        )
        if not yearly or first > last:
            out.append(c)
            continue
        for year in range(first, last + 1):
            notes = tuple(n for n in c.notes if not n.startswith(("no year stated", "year ")))
            out.append(replace(c, target_year=year, notes=(*notes, "每年: every year of the plan")))
    return out


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per (indicator, year, comparator, value, upper): table rows win."""
    seen: dict[tuple, Candidate] = {}
    for c in sorted(cands, key=lambda c: (c.origin != "table", c.quote_start)):
        r = c.reading
        key = (c.code or c.label, c.target_year, r.comparator, r.value, r.upper)
        if key not in seen:
            seen[key] = c
    return sorted(seen.values(), key=lambda c: c.quote_start)


def _read_candidates(
    doc: str, vocab: Vocabulary, meta: PlanMeta, headings: list, tables: list
) -> tuple[list[Candidate], list[Candidate], tuple[int, int, int]]:
    """Every candidate of the plan's tables and text, and its (issue, end, baseline) years.

    Returns the candidates (deduplicated, a span of years read as each year), the text
    candidates naming a catalogue indicator as first read (the statements restating them lend
    table rows their leads), and the issue year, horizon end and baseline year the text gives.
    """
    cands: list[Candidate] = []
    base_years: set[int] = set()
    for table in tables:
        cands += table_candidates(doc, table, vocab, meta.issue_year)
        base_years |= {table.year_columns[c] for c in baseline_columns(table, meta.issue_year)}
    stated = [int(y) for y in re.findall(r"[到至]\s*(\d{4})\s*年", doc)]
    issue = meta.issue_year or (min(stated) - 1 if stated else 2020)
    end = meta.horizon_end or max([y for y in stated if y >= issue] or [issue + 5])
    baseline = max(base_years) if base_years else issue - 1
    ctx = TextContext(
        headings=headings,
        skip_spans=[(t.start, t.end) for t in tables],
        default_year=end,
        min_year=issue - 1,
        max_year=max(end, 2035),
    )
    cands += text_candidates(doc, vocab, ctx)
    cands += circle_candidates(doc, vocab, ctx)
    texts = [c for c in cands if c.origin == "text" and c.code]
    cands = _dedupe(_every_year(doc, cands, meta.horizon_start or issue, end))
    return cands, texts, (issue, end, baseline)


def _target_row(
    c: Candidate, ids: dict[str, str], domain_id: str, quote: str, st, baseline: int
) -> dict[str, str]:
    """The ``plan_targets`` row of candidate ``c``.

    ``ids``: its target_id, plan_id, indicator_code and region_id; ``st``: the lead-department
    statement it falls under, if any. A relative comparator without a year is relative to the
    plan's ``baseline`` year, and so is "maintain" without a baseline year of its own.
    """
    r = c.reading
    rel = r.relative_to_year
    if r.comparator in RELATIVE_COMPARATORS and rel is None:
        rel = baseline
    base_year = c.baseline_year
    if r.comparator == "maintain" and base_year is None:
        base_year = baseline
    return dict(**ids, scope=c.scope, domain_id=domain_id,
                target_year=str(c.target_year), comparator=r.comparator,
                target_value=_num(r.value), target_upper=_num(r.upper),
                tolerance_pct=_num(r.tolerance_pct), relative_to_year=_num(rel),
                baseline_year=_num(base_year), baseline_value=_num(c.baseline_value),
                nature=c.nature, lead_department=";".join(st.lead) if st else "",
                co_departments=";".join(st.co) if st else "", source_section=c.section[:80],
                source_quote=quote, note=_note(c.reason, st))  # fmt: skip


def _review_row(c: Candidate, target_id: str) -> dict[str, str]:
    """The review-sheet row of candidate ``c``: how sure the reading is and why."""
    r = c.reading
    return dict(target_id=target_id, confidence=f"{c.confidence:.2f}",
                needs_review="yes" if c.confidence < REVIEW_THRESHOLD or r.alternative else "no",
                reason=c.reason, alternative=r.alternative or "", origin=c.origin,
                proposed_indicator="yes" if c.code is None else "no")  # fmt: skip


def extract_text(
    doc: str,
    source_file: str,
    plan_id: str | None = None,
    seeds_dir: Path = SEEDS_DIR,
    vocab: Vocabulary | None = None,
) -> Draft:
    """Read a plan's text into a draft framework (see the module docstring)."""
    vocab = vocab or load_vocabulary(seeds_dir)
    known = _known_plan(source_file, seeds_dir)
    meta = plan_meta(doc, vocab.region_keys)
    plan_id = plan_id or (known["plan_id"] if known else re.sub(r"\W+", "_", source_file).lower())
    region = (known or {}).get("region_id") or meta.region_id
    headings = find_headings(doc)
    tables = find_tables(doc)
    cands, texts, (issue, end, baseline) = _read_candidates(doc, vocab, meta, headings, tables)
    statements = find_departments(doc, headings, _department_aliases(seeds_dir, plan_id))
    restated = restating_statements(texts, statements, headings)
    domains, domain_of = domain_rows(doc, plan_id, tables, statements)
    plan = dict.fromkeys(PLAN_COLUMNS, "")
    plan.update(
        plan_id=plan_id, title_zh=meta.title, plan_type=meta.plan_type,
        document_number=meta.document_number, issued_date=meta.issued_date,
        region_id=region, baseline_years=str(baseline), horizon_start=str(meta.horizon_start or issue),
        horizon_end=str(end), source_file=source_file, framework_status="partial",
    )  # fmt: skip
    targets: list[dict[str, str]] = []
    review: list[dict[str, str]] = []
    proposed: dict[str, dict[str, str]] = {}
    counts: dict[str, int] = {}
    heading_domains: dict[int, str] = {}
    for c in cands:
        code = c.code or _proposed_code(c.label)
        if c.code is None and code not in proposed:
            unit = c.proposed_unit or vocab.unit_of(c.unit_token or "") or ""
            proposed[code] = dict(indicator_code=code, name_zh=c.label, canonical_unit=unit,
                                  direction=c.proposed_direction, source_quote=c.label)  # fmt: skip
        base_id = f"{plan_id}__{code}__{c.target_year}"
        counts[base_id] = counts.get(base_id, 0) + 1
        target_id = base_id if counts[base_id] == 1 else f"{base_id}__{counts[base_id]}"
        quote = doc[c.quote_start : c.quote_end].strip()
        if not quote or quote not in doc:
            raise QuoteError(f"{target_id}: quote {quote!r} is not verbatim in {source_file}")
        st = (
            statement_for(c, statements, headings)
            if c.origin == "text"
            else restated.get(c.code or "")
        )
        domain_id = domain_of.get(st.start, "") if st else ""
        if c.origin == "table":  # the row's 领域 (the task restating it only lends its leads)
            domain_id = domain_of.get(c.domain_cell, "") if c.domain_cell is not None else ""
        if not domain_id and c.origin == "text":
            domain_id = heading_domain(doc, plan_id, c, headings, domains, heading_domains)
        ids = dict(target_id=target_id, plan_id=plan_id, indicator_code=code, region_id=region)
        targets.append(_target_row(c, ids, domain_id, quote, st, baseline))
        review.append(_review_row(c, target_id))
    return Draft(plan, domains, targets, review, list(proposed.values()), text=doc)


def _note(reason: str, statement) -> str:
    """The row's note: why it was read so, and the no-lead marker when no lead is named."""
    marker = "" if statement is not None and statement.lead else f"{NO_LEAD_MARKER}; "
    return (marker + reason)[:300]


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_draft(draft: Draft, out_dir: Path) -> list[Path]:
    """Write the draft's CSV files into ``out_dir`` (created); returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "plans.csv": (PLAN_COLUMNS, [draft.plan]),
        "plan_domains.csv": (DOMAIN_COLUMNS, draft.domains),
        "plan_targets.csv": (TARGET_COLUMNS, draft.targets),
        "review.csv": (REVIEW_COLUMNS, draft.review),
        "proposed_indicators.csv": (PROPOSED_COLUMNS, draft.proposed),
    }
    paths = []
    for name, (columns, rows) in files.items():
        _write(out_dir / name, columns, rows)
        paths.append(out_dir / name)
    # the document as read: every quote is a substring of it (the reference checks use it)
    (out_dir / "source_text.txt").write_text(draft.text, encoding="utf-8")
    return [*paths, out_dir / "source_text.txt"]
