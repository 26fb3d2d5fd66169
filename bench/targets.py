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
    """Append the generated regions and aliases to ``seeds``; optionally copy every target.

    With ``targets_per_region``, each synthetic county adopts one plan's framework (round robin
    over the plans, as each real county follows its own plan): that plan's rows of
    ``plan_targets.csv`` are copied with ``region_id`` set to the county, ``scope`` ``region`` and
    ``target_id`` suffixed ``__<region_id>`` (unique, still traceable to the plan's own target).
    At 2,900 counties this gives ≈ 2,900 × (targets of all plans) / (number of plans) targets.
    """
    regions = _append(seeds / "regions.csv", reference / "regions.csv")
    aliases = _append(seeds / "region_aliases.csv", reference / "region_aliases.csv")
    out = {"regions_added": len(regions), "aliases_added": len(aliases)}
    if targets_per_region:
        header, targets = _read(seeds / "plan_targets.csv")
        by_plan: dict[str, list[dict[str, str]]] = {}
        for t in targets:
            by_plan.setdefault(t["plan_id"], []).append(t)
        plans = sorted(by_plan)
        copies = [
            {
                **t,
                "target_id": f"{t['target_id']}__{r['region_id']}",
                "region_id": r["region_id"],
                "scope": "region",
            }
            for i, r in enumerate(regions)
            for t in by_plan[plans[i % len(plans)]]
        ]
        _write(seeds / "plan_targets.csv", header, targets + copies)
        out.update(plans=len(plans), plan_targets=len(targets), target_copies=len(copies))
    return out
