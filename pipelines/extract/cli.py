"""``healthplan extract``: a plan's text → a draft framework; its diff; the extractor's figures.

healthplan extract PLAN [--out DIR] [--plan-id ID]     write the draft CSVs (+ diff.csv)
healthplan extract PLAN --diff                          … and print the diff with the seeds
healthplan extract DIR                                  diff an edited draft directory
healthplan extract DIR --accept [--replace]             append a reviewed draft to the seeds
healthplan extract --evaluate [--misses]                recall / precision on the seed plans
healthplan extract --findings docs/extraction-findings.md   write the misses for the seeds
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipelines.config import PROJECT_ROOT, SEEDS_DIR

__all__ = ["build_parser", "main"]

DEFAULT_OUT = PROJECT_ROOT / "warehouse" / "drafts"


def build_parser() -> argparse.ArgumentParser:
    """The ``healthplan extract`` argument parser."""
    p = argparse.ArgumentParser(
        prog="healthplan extract",
        description=__doc__.split("\n\n")[0],
        epilog="\n".join(__doc__.split("\n\n")[1:]) + "\nGuide: docs/onboarding.md",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("plan", nargs="?", help="plan document (.txt .docx .pdf .html) or draft dir")
    p.add_argument("--out", type=Path, help=f"draft directory (default {DEFAULT_OUT}/<plan_id>)")
    p.add_argument("--plan-id", help="plan_id for a new plan (default: plans.csv or file name)")
    p.add_argument("--diff", action="store_true", help="print the diff with the seeds")
    p.add_argument("--accept", action="store_true", help="append the reviewed draft DIR to seeds")
    p.add_argument("--replace", action="store_true", help="with --accept: replace the plan's rows")
    p.add_argument("--evaluate", action="store_true", help="score the five seed plans")
    p.add_argument("--misses", action="store_true", help="with --evaluate: list every miss")
    p.add_argument("--findings", type=Path, help="write the misses as a Markdown report")
    p.add_argument("--texts", type=Path, help="folder of the seed plan texts (../shared/seeds)")
    p.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="seeds folder (default dbt's)")
    return p


def _diff(plan_id: str, draft_rows: list[dict[str, str]], seeds_dir: Path, out: Path | None):
    from pipelines.extract.diff import diff_targets, format_diff, read_rows, write_diff

    seeds = [r for r in read_rows(seeds_dir / "plan_targets.csv") if r["plan_id"] == plan_id]
    rows = diff_targets(draft_rows, seeds)
    if out is not None:
        write_diff(rows, out / "diff.csv")
    return format_diff(rows)


def _extract(args: argparse.Namespace) -> int:
    from pipelines.extract.framework import extract_text, write_draft
    from pipelines.extract.readers import DocumentError, read_document

    path = Path(args.plan)
    t0 = time.perf_counter()
    try:
        doc = read_document(path)
    except DocumentError as exc:
        print(f"healthplan extract: {exc}", file=sys.stderr)
        return 2
    draft = extract_text(doc, path.name, plan_id=args.plan_id, seeds_dir=args.seeds)
    out = args.out or DEFAULT_OUT / draft.plan["plan_id"]
    write_draft(draft, out)
    seconds = time.perf_counter() - t0
    flagged = sum(r["needs_review"] == "yes" for r in draft.review)
    print(
        f"{path.name}: plan {draft.plan['plan_id']} ({draft.plan['region_id'] or 'region?'}), "
        f"{len(draft.targets)} targets ({flagged} flagged for review), {len(draft.domains)} "
        f"domains, {len(draft.proposed)} proposed indicators in {seconds:.2f} s → {out}"
    )
    diff = _diff(draft.plan["plan_id"], draft.targets, args.seeds, out)
    if args.diff:
        print(diff)
    return 0


def _diff_dir(args: argparse.Namespace) -> int:
    from pipelines.extract.diff import read_rows

    folder = Path(args.plan)
    rows = read_rows(folder / "plan_targets.csv")
    plan_id = read_rows(folder / "plans.csv")[0]["plan_id"]
    print(_diff(plan_id, rows, args.seeds, folder))
    return 0


def _accept(args: argparse.Namespace) -> int:
    from pipelines.extract.accept import AcceptError, accept_draft

    try:
        written = accept_draft(Path(args.plan), args.seeds, replace=args.replace)
    except AcceptError as exc:
        print(f"healthplan extract: {exc}", file=sys.stderr)
        return 1
    print(", ".join(f"{n}: {k} rows" for n, k in written.items()) + f" → {args.seeds}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from pipelines.extract.evaluate import SHARED_SEEDS_DIR, evaluate, format_report
    from pipelines.extract.findings import write_findings

    scores = evaluate(args.seeds, args.texts or SHARED_SEEDS_DIR)
    print(format_report(scores, misses=args.misses))
    if args.findings:
        write_findings(scores, args.findings, args.seeds)
        print(f"findings written to {args.findings}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``healthplan extract``."""
    args = build_parser().parse_args(argv)
    if args.evaluate or args.findings:
        return _evaluate(args)
    if not args.plan:
        build_parser().print_usage(sys.stderr)
        return 2
    if args.accept:
        return _accept(args)
    if Path(args.plan).is_dir():
        return _diff_dir(args)
    return _extract(args)
