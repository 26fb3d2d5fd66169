"""How well the extractor reads the seed plans: recall and precision against the curated seeds.

A target matches when (plan, indicator, target year, comparator, value) agree (values compared
to 6 decimals; comparators without a value match on the other four). Lead departments are scored
twice: as domains (plan, lead set, co-responsible set) against ``plan_domains`` rows that have a
lead, and as the lead of every matched target that has one in the seeds.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.config import PROJECT_ROOT, SEEDS_DIR
from pipelines.extract.framework import Draft, extract_text
from pipelines.extract.readers import read_document

__all__ = [
    "PlanScore",
    "SHARED_SEEDS_DIR",
    "classify_misses",
    "evaluate",
    "format_report",
    "target_key",
]

#: The plan documents beside the repository (see ../shared/seeds/README.md).
SHARED_SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"

Key = tuple[str, str, str, str, str]


def target_key(row: dict[str, str]) -> Key:
    """(plan, indicator, year, comparator, value) of a plan_targets row."""
    value = row["target_value"].strip()
    norm = f"{float(value):.6f}" if value else ""
    return (row["plan_id"], row["indicator_code"], row["target_year"], row["comparator"], norm)


def _domain_key(row: dict[str, str]) -> tuple[str, frozenset[str], frozenset[str]]:
    split = lambda s: frozenset(p for p in s.split(";") if p)  # noqa: E731
    return row["plan_id"], split(row["lead_department"]), split(row["co_departments"])


@dataclass
class PlanScore:
    """One plan's figures."""

    plan_id: str
    gold: int
    found: int
    matched: int
    seconds: float
    missed: list[Key] = field(default_factory=list)
    extra: list[Key] = field(default_factory=list)
    domains_gold: int = 0
    domains_found: int = 0
    domains_matched: int = 0
    leads_gold: int = 0
    leads_found: int = 0
    leads_right: int = 0
    quotes_verbatim: bool = True
    draft_rows: list[dict[str, str]] = field(default_factory=list)
    gold_rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Matched / curated targets."""
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        """Matched / extracted targets."""
        return self.matched / self.found if self.found else 1.0


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def score_plan(draft: Draft, doc: str, gold: list[dict], gold_domains: list[dict]) -> PlanScore:
    """Compare one draft with the curated rows of its plan."""
    gold_keys = Counter(target_key(r) for r in gold)
    found_keys = Counter(target_key(r) for r in draft.targets)
    matched = sum((gold_keys & found_keys).values())

    # a target's lead counts when (plan, indicator, year, comparator, value, lead set) agree
    def lead_keys(rows: list[dict[str, str]]) -> Counter:
        return Counter(
            (*target_key(r), frozenset(r["lead_department"].split(";")))
            for r in rows
            if r["lead_department"]
        )

    gold_leads, found_leads = lead_keys(gold), lead_keys(draft.targets)
    g_dom = Counter(_domain_key(d) for d in gold_domains if d["lead_department"])
    f_dom = Counter(_domain_key(d) for d in draft.domains if d["lead_department"])
    return PlanScore(
        plan_id=draft.plan["plan_id"],
        gold=sum(gold_keys.values()),
        found=sum(found_keys.values()),
        matched=matched,
        seconds=draft.seconds,
        missed=sorted((gold_keys - found_keys).elements()),
        extra=sorted((found_keys - gold_keys).elements()),
        domains_gold=sum(g_dom.values()),
        domains_found=sum(f_dom.values()),
        domains_matched=sum((g_dom & f_dom).values()),
        leads_gold=sum(gold_leads.values()),
        leads_found=sum(found_leads.values()),
        leads_right=sum((gold_leads & found_leads).values()),
        quotes_verbatim=all(r["source_quote"] in doc for r in draft.targets + draft.domains),
        draft_rows=draft.targets,
        gold_rows=gold,
    )


def evaluate(seeds_dir: Path = SEEDS_DIR, texts_dir: Path = SHARED_SEEDS_DIR) -> list[PlanScore]:
    """Extract every plan whose source file is in ``texts_dir`` and score it."""
    plans = _read(seeds_dir / "plans.csv")
    targets = _read(seeds_dir / "plan_targets.csv")
    domains = _read(seeds_dir / "plan_domains.csv")
    scores = []
    for plan in plans:
        path = texts_dir / plan["source_file"]
        if not path.is_file():
            continue  # china_2030 has no seed text
        t0 = time.perf_counter()
        doc = read_document(path)
        draft = extract_text(doc, path.name, seeds_dir=seeds_dir)
        draft.seconds = time.perf_counter() - t0
        gold = [t for t in targets if t["plan_id"] == plan["plan_id"]]
        gold_domains = [d for d in domains if d["plan_id"] == plan["plan_id"]]
        scores.append(score_plan(draft, doc, gold, gold_domains))
    return scores


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    – "


def format_report(scores: list[PlanScore], misses: bool = True) -> str:
    """The figures as text: per plan, overall, then (optionally) every miss and extra row."""
    header = (
        f"{'plan':<20} {'gold':>5} {'found':>5} {'match':>5} {'recall':>8} {'precision':>9} "
        f"{'domain leads R/P':>17} {'target leads R/P':>17} {'seconds':>7} quotes"
    )
    lines = [header]
    tot: Counter[str] = Counter()
    for s in scores:
        lines.append(
            f"{s.plan_id:<20} {s.gold:>5} {s.found:>5} {s.matched:>5} {_pct(s.matched, s.gold):>8} "
            f"{_pct(s.matched, s.found):>9} "
            f"{_pct(s.domains_matched, s.domains_gold)}/{_pct(s.domains_matched, s.domains_found)}"
            f" {_pct(s.leads_right, s.leads_gold)}/{_pct(s.leads_right, s.leads_found)}"
            f" {s.seconds:7.2f} "
            f"{'verbatim' if s.quotes_verbatim else 'NOT VERBATIM'}"
        )
        tot.update(
            gold=s.gold, found=s.found, matched=s.matched, dg=s.domains_gold,
            df=s.domains_found, dm=s.domains_matched, lg=s.leads_gold, lr=s.leads_right,
            lf=s.leads_found,
        )  # fmt: skip
    lines.append(
        f"{'all':<20} {tot['gold']:>5} {tot['found']:>5} {tot['matched']:>5} "
        f"{_pct(tot['matched'], tot['gold']):>8} {_pct(tot['matched'], tot['found']):>9} "
        f"{_pct(tot['dm'], tot['dg'])}/{_pct(tot['dm'], tot['df'])} "
        f"{_pct(tot['lr'], tot['lg'])}/{_pct(tot['lr'], tot['lf'])} "
        f"{max((s.seconds for s in scores), default=0):7.2f}"
    )
    if misses:
        for s in scores:
            for k in s.missed:
                lines.append(f"MISSED {' '.join(k)}")
            for k in s.extra:
                lines.append(f"EXTRA  {' '.join(k)}")
    return "\n".join(lines)


def classify_misses(score: PlanScore, vocab) -> list[tuple[str, dict[str, str], str]]:
    """Why each curated row was missed: (class, seed row, detail).

    ``alias gap``: the curated quote names the indicator in words the catalogue lacks (add the
    wording to indicator_aliases.csv); ``other year`` / ``other reading``: the draft has the
    indicator with another year or comparator/value (a seed or an extractor question, see the
    detail); ``not read``: the indicator is named but no target phrase was recognised.
    """
    found = Counter(target_key(r) for r in score.draft_rows)
    out = []
    for row in score.gold_rows:
        key = target_key(row)
        if found[key] > 0:
            found[key] -= 1
            continue
        same_code = [r for r in score.draft_rows if r["indicator_code"] == row["indicator_code"]]
        readings = sorted({f"{r['target_year']} {r['comparator']} {r['target_value']}".strip()
                           for r in same_code})  # fmt: skip
        named = any(m.code == row["indicator_code"] for m in vocab.find(row["source_quote"]))
        if any(r["target_year"] == row["target_year"] for r in same_code):
            out.append(("other reading", row, "draft: " + "; ".join(readings)))
        elif same_code:
            out.append(("other year", row, "draft: " + "; ".join(readings)))
        elif not named:
            out.append(("alias gap", row, "the quote's wording is not an alias"))
        else:
            out.append(("not read", row, "named, but no target phrase recognised"))
    return out
