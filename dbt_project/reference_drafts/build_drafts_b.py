"""Build the part-B reference drafts (plans ``nantong_2030``, ``changjiang_2030``, ``china_2030``).

The drafts are CSV files with exactly the columns of CONTRACTS.md §1, written next to this file:
``plan_targets.csv``, ``plan_domains.csv``, ``indicators.csv`` and ``indicator_aliases.csv``.
``dbt_project/reference_drafts`` is not a dbt seed path; the lead folds these rows into the seeds.

Why a script rather than hand-edited CSV: the department lists of Nantong are parsed from the text
(64 "牵头部门…责任部门…" notes), every quote is checked against its seed file while writing, and
indicator codes already in the shared catalogue (``dbt_project/seeds/indicators.csv``) are reused
instead of duplicated. Run: ``.venv/bin/python dbt_project/reference_drafts/build_drafts_b.py``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from catalogue_b import ALIASES, INDICATORS, REALDATA_INDICATORS
from spec_b import (
    CHANGJIANG_DOMAINS,
    NANTONG_TASKS,
    SUBREGIONS,
    TARGETS,
    TargetSpec,
    domain_rows_static,
)

from pipelines.reference import normalise_label
from pipelines.rules.comparators import DEFAULT_ABOUT_TOLERANCE_PCT

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SEEDS_TEXT_DIR = REPO.parent / "shared" / "seeds"
CATALOGUE_DIR = REPO / "dbt_project" / "seeds"

PLAN_FILES = {
    "nantong_2030": "002_5016c072d5ffe20f.txt",
    "changjiang_2030": "003_4c826d7c3469937e.txt",
}
PLAN_REGION = {"nantong_2030": "nantong", "changjiang_2030": "changjiang", "china_2030": "china"}

TARGET_COLUMNS = [
    "target_id", "plan_id", "indicator_code", "region_id", "scope", "domain_id", "target_year",
    "comparator", "target_value", "target_upper", "tolerance_pct", "relative_to_year",
    "baseline_year", "baseline_value", "nature", "lead_department", "co_departments",
    "source_section", "source_quote", "note",
]  # fmt: skip
#: Units the part-B indicators need beyond the shared units.csv (dimension of their own, so no
#: silent conversion to a per-population rate).
NEW_UNITS: list[dict[str, str]] = [
    {"unit": "per_10000_vehicles", "dimension": "per_vehicles", "factor_to_base": "0.0001",
     "label_zh": "每万车", "label_en": "per 10000 motor vehicles"},
]  # fmt: skip
REGION_COLUMNS = [
    "region_id", "name_zh", "name_en", "admin_code", "level", "parent_region_id", "is_redacted",
]  # fmt: skip
DOMAIN_COLUMNS = [
    "plan_id", "domain_id", "domain_zh", "domain_en", "lead_department", "co_departments",
    "source_quote",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "indicator_code", "name_zh", "name_en", "canonical_unit", "direction", "value_type",
    "definition", "numerator", "denominator", "plausible_min", "plausible_max",
    "computed_from_counts", "definition_family", "comparable_to",
]  # fmt: skip


@dataclass
class Department:
    """One "（牵头部门：…；责任部门：…）" note of the Nantong outline."""

    lead: list[str]
    co: list[str]
    quote: str = field(default="")


def read_text(plan_id: str) -> str:
    """Return the seed text of a local plan (the file the quotes must occur in)."""
    return (SEEDS_TEXT_DIR / PLAN_FILES[plan_id]).read_text(encoding="utf-8")


def parse_department_notes(text: str) -> list[Department]:
    """Parse every "牵头部门…责任部门…" note, in document order.

    Notes use full- or half-width punctuation, one is broken across lines ("（牵\\n\\n头部门"), and
    one co-department carries its own parentheses ("市商务局（口岸委）"), so a depth counter finds
    the closing parenthesis. The quote is the part of the note on the line that holds "头部门".
    """
    notes: list[Department] = []
    pos = 0
    while (start := text.find("头部门", pos)) != -1:
        i = start + len("头部门") + 1  # skip the colon
        depth, end = 0, None
        for j in range(i, len(text)):
            ch = text[j]
            if ch in "（(":
                depth += 1
            elif ch in "）)":
                if depth == 0:
                    end = j
                    break
                depth -= 1
        if end is None:
            raise ValueError(f"unterminated department note at offset {start}")
        body = text[i:end]
        lead_part, _, co_part = body.replace(";", "；").partition("；")
        co_part = co_part.split("：", 1)[-1].split(":", 1)[-1]
        line_start = text.rfind("\n", 0, start) + 1
        quote_start = max(line_start, start - 1 if text[start - 1] == "牵" else start)
        notes.append(
            Department(
                lead=[d for d in lead_part.split("、") if d],
                co=[d for d in co_part.split("、") if d],
                quote=text[quote_start:end],
            )
        )
        pos = end
    return notes


def load_catalogue() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Return the shared catalogue (``indicators.csv`` by code, ``indicator_aliases.csv``)."""
    with (CATALOGUE_DIR / "indicators.csv").open(encoding="utf-8", newline="") as f:
        indicators = {row["indicator_code"]: row for row in csv.DictReader(f)}
    with (CATALOGUE_DIR / "indicator_aliases.csv").open(encoding="utf-8", newline="") as f:
        aliases = {row["alias"]: row["indicator_code"] for row in csv.DictReader(f)}
    return indicators, aliases


def fmt(value: float | int | str | None) -> str:
    """Render a number without float noise (``None`` → empty cell)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def build_targets(notes: dict[str, Department], texts: dict[str, str]) -> list[dict[str, str]]:
    """Turn :data:`spec_b.TARGETS` into ``plan_targets`` rows, checking every quote."""
    rows: list[dict[str, str]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for spec in TARGETS:
        rows.append(_target_row(spec, notes, texts, seen))
    return rows


def _target_row(
    spec: TargetSpec,
    notes: dict[str, Department],
    texts: dict[str, str],
    seen: dict[tuple[str, str, int], int],
) -> dict[str, str]:
    key = (spec.plan_id, spec.indicator_code, spec.target_year)
    target_id = f"{spec.plan_id}__{spec.indicator_code}__{spec.target_year}"
    seen[key] = seen.get(key, 0) + 1
    if seen[key] > 1:  # the first target keeps the plain id; later ones get __2, __3 …
        target_id += f"__{seen[key]}"
    if spec.plan_id in texts and spec.quote not in texts[spec.plan_id]:
        raise ValueError(f"{target_id}: quote not in {PLAN_FILES[spec.plan_id]}: {spec.quote!r}")
    lead, co = spec.lead, spec.co
    dept_domain = spec.lead_from or spec.domain_id
    if lead is None and dept_domain in notes:
        lead = "；".join(notes[dept_domain].lead)
        co = "；".join(notes[dept_domain].co)
    return {
        "target_id": target_id,
        "plan_id": spec.plan_id,
        "indicator_code": spec.indicator_code,
        "region_id": PLAN_REGION[spec.plan_id],
        "scope": spec.scope,
        "domain_id": spec.domain_id,
        "target_year": str(spec.target_year),
        "comparator": spec.comparator,
        "target_value": fmt(spec.value),
        "target_upper": fmt(spec.upper),
        "tolerance_pct": fmt(DEFAULT_ABOUT_TOLERANCE_PCT) if spec.comparator == "about" else "",
        "relative_to_year": fmt(spec.relative_to_year),
        "baseline_year": fmt(spec.baseline_year),
        "baseline_value": fmt(spec.baseline_value),
        "nature": "unstated",
        "lead_department": (lead or "").replace("；", ";"),
        "co_departments": (co or "").replace("；", ";"),
        "source_section": spec.section,
        "source_quote": spec.quote,
        "note": spec.note,
    }


def table_label_aliases(
    targets: list[dict[str, str]],
    shared_indicators: dict[str, dict[str, str]],
    new_indicators: list[dict[str, str]],
    shared_aliases: dict[str, str],
    new_aliases: list[dict[str, str]],
) -> list[dict[str, str]]:
    """Aliases for main-table row labels that do not yet resolve to their target's code.

    A table quote starts with the row label ("每千常驻人口执业（助理）医师数（人）"); ingestion and
    the seed checks resolve it with :func:`normalise_label`, so every label must name one code.
    """
    keys: dict[str, set[str]] = {}
    pairs = list(shared_aliases.items()) + [(a["alias"], a["indicator_code"]) for a in new_aliases]
    for row in [*shared_indicators.values(), *new_indicators]:
        code = row["indicator_code"]
        pairs += [(code, code), (row["name_zh"], code), (row["name_en"], code)]
    for alias, code in pairs:
        keys.setdefault(normalise_label(alias), set()).add(code)
    out: list[dict[str, str]] = []
    for t in targets:
        if t["plan_id"] not in PLAN_FILES or "主要指标" not in t["source_section"]:
            continue
        label = next(c for c in t["source_quote"].split("\t") if c.strip())
        known = keys.setdefault(normalise_label(label), set())
        if known - {t["indicator_code"]}:
            raise ValueError(f"{t['target_id']}: row label {label!r} already names {known}")
        if not known:
            known.add(t["indicator_code"])
            out.append({"alias": label, "indicator_code": t["indicator_code"]})
    return out


def build_domains(notes_in_order: list[Department], texts: dict[str, str]) -> list[dict[str, str]]:
    """``plan_domains`` rows: table domains, Nantong actions and tasks, Changjiang sections."""
    rows = domain_rows_static()
    if len(notes_in_order) != len(NANTONG_TASKS):
        raise ValueError(
            f"Nantong has {len(notes_in_order)} department notes, spec lists {len(NANTONG_TASKS)}"
        )
    for (domain_id, zh, en), note in zip(NANTONG_TASKS, notes_in_order, strict=True):
        rows.append(
            {
                "plan_id": "nantong_2030",
                "domain_id": domain_id,
                "domain_zh": zh,
                "domain_en": en,
                "lead_department": ";".join(note.lead),
                "co_departments": ";".join(note.co),
                "source_quote": note.quote,
            }
        )
    for domain_id, zh, en, quote in CHANGJIANG_DOMAINS:
        rows.append(
            {
                "plan_id": "changjiang_2030",
                "domain_id": domain_id,
                "domain_zh": zh,
                "domain_en": en,
                "lead_department": "",
                "co_departments": "",
                "source_quote": quote,
            }
        )
    for row in rows:
        text = texts.get(row["plan_id"])
        if text is not None and row["source_quote"] not in text:
            raise ValueError(
                f"domain {row['domain_id']}: quote not in seed: {row['source_quote']!r}"
            )
    return rows


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Write UTF-8 CSV, header row, comma, minimal ``"`` quoting (CONTRACTS §1)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def build_regions(shared_regions: set[str]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Draft ``regions`` and ``region_aliases`` rows for :data:`spec_b.SUBREGIONS`."""
    regions, aliases = [], []
    for region_id, zh, en, level, parent in SUBREGIONS:
        if region_id in shared_regions:
            continue
        regions.append(
            {"region_id": region_id, "name_zh": zh, "name_en": en, "admin_code": "",
             "level": level, "parent_region_id": parent, "is_redacted": "false"}
        )  # fmt: skip
        short = zh[:-1] if zh.endswith(("镇", "乡", "区", "县", "市")) else zh.removesuffix("街道")
        aliases.append({"alias": zh, "region_id": region_id})
        aliases.append({"alias": short, "region_id": region_id})
    return regions, aliases


def main(argv: list[str] | None = None) -> int:
    """Build all drafts; exit non-zero (with the reason) on any inconsistency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    out: Path = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    texts = {plan: read_text(plan) for plan in PLAN_FILES}
    notes_in_order = parse_department_notes(texts["nantong_2030"])
    notes = {task[0]: note for task, note in zip(NANTONG_TASKS, notes_in_order, strict=False)}
    shared_indicators, shared_aliases = load_catalogue()

    new_indicators = [i for i in INDICATORS if i["indicator_code"] not in shared_indicators]
    known = set(shared_indicators) | {i["indicator_code"] for i in new_indicators}
    targets = build_targets(notes, texts)
    used = {t["indicator_code"] for t in targets}
    if missing := sorted(used - known):
        raise ValueError(f"targets use indicator codes in no catalogue: {missing}")
    realdata = {i["indicator_code"] for i in REALDATA_INDICATORS}
    if unused := sorted({i["indicator_code"] for i in new_indicators} - used - realdata):
        raise ValueError(f"new indicators no target uses: {unused}")
    new_aliases = []
    for alias, code in ALIASES:
        if code not in known:
            raise ValueError(f"alias {alias!r} points to unknown code {code!r}")
        if alias in shared_aliases:
            if shared_aliases[alias] != code:
                raise ValueError(f"alias {alias!r}: shared seed says {shared_aliases[alias]}")
            continue
        new_aliases.append({"alias": alias, "indicator_code": code})
    new_aliases += table_label_aliases(targets, shared_indicators, new_indicators, shared_aliases,
                                       new_aliases)  # fmt: skip
    drafted = {a["alias"] for a in new_aliases}
    for ind in new_indicators:  # every new code resolves by its own code
        if ind["indicator_code"] not in shared_aliases and ind["indicator_code"] not in drafted:
            new_aliases.append(
                {"alias": ind["indicator_code"], "indicator_code": ind["indicator_code"]}
            )
    domains = build_domains(notes_in_order, texts)

    with (CATALOGUE_DIR / "regions.csv").open(encoding="utf-8", newline="") as f:
        shared_regions = {row["region_id"] for row in csv.DictReader(f)}
    regions, region_aliases = build_regions(shared_regions)

    write_csv(out / "plan_targets.csv", TARGET_COLUMNS, targets)
    write_csv(out / "plan_domains.csv", DOMAIN_COLUMNS, domains)
    write_csv(out / "indicators.csv", INDICATOR_COLUMNS, new_indicators)
    write_csv(out / "indicator_aliases.csv", ["alias", "indicator_code"], new_aliases)
    with (CATALOGUE_DIR / "units.csv").open(encoding="utf-8", newline="") as f:
        shared_units = {row["unit"] for row in csv.DictReader(f)}
    used_units = {i["canonical_unit"] for i in new_indicators}
    units = [u for u in NEW_UNITS if u["unit"] in used_units and u["unit"] not in shared_units]
    if missing_units := sorted(used_units - shared_units - {u["unit"] for u in units}):
        raise ValueError(f"indicators use units in no units.csv: {missing_units}")
    write_csv(out / "units.csv", list(NEW_UNITS[0]), units)
    write_csv(out / "regions.csv", REGION_COLUMNS, regions)
    write_csv(out / "region_aliases.csv", ["alias", "region_id"], region_aliases)
    per_plan: dict[str, int] = {}
    for t in targets:
        per_plan[t["plan_id"]] = per_plan.get(t["plan_id"], 0) + 1
    print(f"targets {per_plan}; domains {len(domains)}; new indicators {len(new_indicators)}; "
          f"new aliases {len(new_aliases)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
