"""The reference seeds as the consistency checks read them: string rows and plan texts.

:func:`load_seeds` reads the seeds this suite owns (columns: :data:`SEED_COLUMNS`) and every plan
text; :func:`with_draft` puts a draft framework (``healthplan extract`` output) in its plan's place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from pathlib import Path

#: Column order of every seed this suite owns (CONTRACTS.md §1).
SEED_COLUMNS: dict[str, list[str]] = {
    "plans": (
        "plan_id,title_zh,title_en,plan_type,issuing_body,document_number,issued_date,region_id,"
        "baseline_years,horizon_start,horizon_end,source_file,framework_status"
    ).split(","),
    "regions": (
        "region_id,name_zh,name_en,admin_code,level,parent_region_id,is_redacted,name_source"
    ).split(","),
    "region_aliases": ["alias", "region_id"],
    "indicators": (
        "indicator_code,name_zh,name_en,canonical_unit,direction,value_type,definition,numerator,"
        "denominator,plausible_min,plausible_max,computed_from_counts,definition_family,"
        "comparable_to"
    ).split(","),
    "indicator_aliases": ["alias", "indicator_code"],
    "plan_domains": (
        "plan_id,domain_id,domain_zh,domain_en,lead_department,co_departments,source_quote"
    ).split(","),
    "plan_targets": (
        "target_id,plan_id,indicator_code,region_id,scope,domain_id,target_year,comparator,"
        "target_value,target_upper,tolerance_pct,relative_to_year,baseline_year,baseline_value,"
        "nature,lead_department,co_departments,source_section,source_quote,note"
    ).split(","),
    "department_aliases": ["plan_id", "alias", "department"],
}

#: The plan whose source is the national outline itself: no seed file, so its quotes are checked
#: against the main-indicator table as issue 9 prints it (a fixture copied verbatim).
NATIONAL_SOURCE = "national_outline_2016"
NATIONAL_TABLE = Path(__file__).parent / "fixtures" / "china_2030_outline_table.md"

Row = dict[str, str]


@dataclass(frozen=True)
class Seeds:
    """The seed tables as lists of string rows, plus the texts of the plan documents."""

    tables: dict[str, list[Row]]
    headers: dict[str, list[str]]
    texts: dict[str, str] = field(default_factory=dict)
    units: frozenset[str] | None = None

    def rows(self, name: str) -> list[Row]:
        return self.tables[name]

    def with_rows(self, name: str, rows: list[Row]) -> Seeds:
        """A copy with one table replaced (used to break the seeds on purpose)."""
        return replace(self, tables={**self.tables, name: rows})


def read_csv(path: Path) -> tuple[list[str], list[Row]]:
    """Read a seed CSV as strings (header, rows); blank cells stay ``""``."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [dict(r) for r in reader]
        return list(reader.fieldnames or []), rows


def load_seeds(seeds_dir: Path, shared_seeds_dir: Path) -> Seeds:
    """Load the owned seeds from ``seeds_dir``, every plan text from ``shared_seeds_dir`` and the
    national table fixture (as the text of ``national_outline_2016``)."""
    tables, headers = {}, {}
    for name in SEED_COLUMNS:
        headers[name], tables[name] = read_csv(seeds_dir / f"{name}.csv")
    texts = {p.name: p.read_text(encoding="utf-8") for p in shared_seeds_dir.glob("*.txt")}
    texts[NATIONAL_SOURCE] = NATIONAL_TABLE.read_text(encoding="utf-8")
    units_csv = seeds_dir / "units.csv"
    units = frozenset(r["unit"] for r in read_csv(units_csv)[1]) if units_csv.exists() else None
    return Seeds(tables=tables, headers=headers, texts=texts, units=units)


def number(value: str) -> float | None:
    """A numeric cell as a float; a blank cell as ``None``."""
    return float(value) if value.strip() else None


#: The draft directory a data engineer checks (``healthplan extract`` output), if any.
DRAFT_ENV = "HEALTHPLAN_DRAFT_DIR"


def with_draft(seeds: Seeds, draft_dir: Path) -> Seeds:
    """The seeds with one plan replaced by a draft framework (``healthplan extract`` output).

    The draft's ``plans``, ``plan_domains`` and ``plan_targets`` rows replace every row of its
    plan_id; its ``source_text.txt`` (the document as the extractor read it) is the plan's text,
    so ALL_CHECKS judge a draft exactly as they judge the curated frameworks.
    """
    tables = dict(seeds.tables)
    plan_id = read_csv(draft_dir / "plans.csv")[1][0]["plan_id"]
    headers = dict(seeds.headers)
    for name in ("plans", "plan_domains", "plan_targets"):
        header, rows = read_csv(draft_dir / f"{name}.csv")
        if header != SEED_COLUMNS[name]:
            headers[name] = header
        tables[name] = [r for r in seeds.rows(name) if r["plan_id"] != plan_id] + rows
    texts = dict(seeds.texts)
    source = draft_dir / "source_text.txt"
    if source.exists():
        source_file = read_csv(draft_dir / "plans.csv")[1][0]["source_file"]
        texts[source_file] = source.read_text(encoding="utf-8")
    return replace(seeds, tables=tables, headers=headers, texts=texts)
