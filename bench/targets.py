"""Seed override for generated data: the synthetic regions, and plan targets applied to each.

``healthplan generate`` writes ``<out>/reference/regions.csv`` and ``region_aliases.csv`` (rows
to append to the seeds). The benchmark appends them to its private project copy's seeds
(``Workspace.seeds``, never the repository's) and, for scale M, copies every plan target to each
synthetic region so that targets are assessed for every region.
"""

from __future__ import annotations

import csv
from pathlib import Path


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _append(seed: Path, extra: Path) -> list[dict[str, str]]:
    """Append ``extra``'s rows to ``seed`` (columns matched by name); returns the new rows."""
    header, rows = _read(seed)
    _, new = _read(extra)
    new = [{col: row.get(col, "") for col in header} for row in new]
    _write(seed, header, rows + new)
    return new


def apply_generated_reference(
    seeds: Path, reference: Path, targets_per_region: bool
) -> dict[str, int]:
    """Append the generated regions and aliases to ``seeds``; optionally apply every target.

    With ``targets_per_region``, each synthetic county adopts one plan's framework (round robin
    over the plans, as each real county follows its own plan): the county becomes a child of
    that plan's region and every target of ``plan_targets.csv`` gets scope ``each_subregion``,
    so dbt assesses each target in every county of its plan. Target ids are unchanged, so one
    target is still one GX expectation over all its counties (the suites' design). At 2,900
    counties this gives ≈ 2,900 × (targets of all plans) / (number of plans) assessments.
    """
    plan_region: dict[str, str] = {}
    by_plan: dict[str, int] = {}
    if targets_per_region:
        t_header, targets = _read(seeds / "plan_targets.csv")
        for t in targets:
            plan_region.setdefault(t["plan_id"], t["region_id"])
            by_plan[t["plan_id"]] = by_plan.get(t["plan_id"], 0) + 1
    plans = sorted(plan_region)
    header, rows = _read(seeds / "regions.csv")
    _, new = _read(reference / "regions.csv")
    new = [{col: row.get(col, "") for col in header} for row in new]
    assessments = 0
    for i, row in enumerate(new):
        if plans:
            plan = plans[i % len(plans)]
            row["parent_region_id"] = plan_region[plan]
            assessments += by_plan[plan]
    _write(seeds / "regions.csv", header, rows + new)
    aliases = _append(seeds / "region_aliases.csv", reference / "region_aliases.csv")
    out = {"regions_added": len(new), "aliases_added": len(aliases)}
    if targets_per_region:
        for t in targets:
            t["scope"] = "each_subregion"
        _write(seeds / "plan_targets.csv", t_header, targets)
        out.update(plans=len(plans), plan_targets=len(targets), county_targets=assessments)
    return out
