"""Scale M's seed override: the generated regions, and every plan target applied to each of them.

Only the benchmark's private project copy is changed (``Workspace.seeds``), never the repository.
Regions are read from the generated files themselves, so the override follows the generator.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from bench import floor

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def generated_regions(raw_dir: Path) -> list[str]:
    """Distinct ``region`` values of every generated observation, count and register file."""
    con = duckdb.connect()
    files = floor.classify(con, raw_dir)
    values: set[str] = set()
    for path in files.observations + files.counts:
        rel = con.sql(f"select distinct region from {floor.csv_relation([path])}")
        values |= {r[0] for r in rel.fetchall() if r[0]}
    for path in files.deaths + files.births:
        rel = con.sql(f"select distinct region::varchar from read_parquet('{floor.sql_str(path)}')")
        values |= {r[0] for r in rel.fetchall() if r[0]}
    return sorted(values)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def apply_targets_to_regions(
    seeds: Path, raw_dir: Path, plans: tuple[str, ...] | None = None
) -> dict[str, int]:
    """Register the generated regions and copy each plan target to every one of them.

    Values already known (a ``region_id`` or an alias) are left alone. A new value becomes a
    county whose ``region_id`` is the value itself when it is id-like, else ``gen_<n>``, with the
    value as its alias. Targets of ``plans`` (default: all plans) are copied per region with
    ``target_id`` suffixed by ``__<region_id>``. Returns counts of what was added.
    """
    reg_header, regions = _read(seeds / "regions.csv")
    ali_header, aliases = _read(seeds / "region_aliases.csv")
    known = {r["region_id"] for r in regions} | {a["alias"] for a in aliases}
    added: list[str] = []
    for i, value in enumerate(generated_regions(raw_dir)):
        if value in known:
            continue
        region_id = value if _ID.match(value) else f"gen_{i:05d}"
        row = dict.fromkeys(reg_header, "")
        row.update(
            region_id=region_id,
            name_zh=value,
            name_en=value,
            level="county",
            parent_region_id="china",
            is_redacted="false",
        )
        regions.append(row)
        if region_id != value:
            aliases.append(
                {**dict.fromkeys(ali_header, ""), "alias": value, "region_id": region_id}
            )
        added.append(region_id)
    _write(seeds / "regions.csv", reg_header, regions)
    _write(seeds / "region_aliases.csv", ali_header, aliases)

    tgt_header, targets = _read(seeds / "plan_targets.csv")
    chosen = [t for t in targets if plans is None or t["plan_id"] in plans]
    copies = [
        {
            **t,
            "target_id": f"{t['target_id']}__{region_id}",
            "region_id": region_id,
            "scope": "region",
        }
        for region_id in added
        for t in chosen
    ]
    _write(seeds / "plan_targets.csv", tgt_header, targets + copies)
    return {
        "regions_added": len(added),
        "targets_per_region": len(chosen),
        "target_copies": len(copies),
    }
