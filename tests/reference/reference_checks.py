"""Consistency checks of the reference seeds (plans, regions, indicators, aliases, targets).

Each check takes the loaded seeds and returns a list of human-readable problems (empty = fine),
so the tests can both assert a clean result on the real seeds and prove, on deliberately broken
copies, that every check can fail. The seeds as read live in :mod:`seed_tables`; the checks of a
target's comparator fields and wording in :mod:`target_checks`; :data:`ALL_CHECKS` runs them all.
"""

from __future__ import annotations

import re

from seed_tables import SEED_COLUMNS, Row, Seeds
from target_checks import (
    check_change_verbs,
    check_comparator_fields,
    check_direction_consistency,
    check_relative_change_wording,
)

from pipelines.reference import normalise_label
from pipelines.rules.comparators import COMPARATORS, DIRECTIONS

#: ``regions.name_source`` values besides a seed file name (see docs/reference-data.md).
NAME_SOURCES = ("GB/T 2260", "unverified", "redacted")
SCOPES = ("region", "each_subregion")
NATURES = ("binding", "expected", "unstated")
TARGET_ID = re.compile(
    r"^(?P<plan>[a-z0-9_]+?)__(?P<code>[a-z0-9_]+?)__(?P<year>\d{4})(__(?P<n>\d+))?$"
)

# --- checks ----------------------------------------------------------------------------------


def check_headers(seeds: Seeds) -> list[str]:
    """Every seed has exactly the contract's columns, in order."""
    return [
        f"{name}.csv header {seeds.headers[name]} != contract {cols}"
        for name, cols in SEED_COLUMNS.items()
        if seeds.headers[name] != cols
    ]


def check_unique_keys(seeds: Seeds) -> list[str]:
    """Primary keys are unique and non-blank."""
    keys = {
        "plans": ("plan_id",),
        "regions": ("region_id",),
        "region_aliases": ("alias",),
        "indicators": ("indicator_code",),
        "indicator_aliases": ("alias",),
        "plan_domains": ("plan_id", "domain_id"),
        "plan_targets": ("target_id",),
        "department_aliases": ("plan_id", "alias"),
    }
    problems = []
    for name, cols in keys.items():
        seen: set[tuple[str, ...]] = set()
        for i, row in enumerate(seeds.rows(name), start=2):
            key = tuple(row[c] for c in cols)
            if any(not k.strip() for k in key):
                problems.append(f"{name}.csv line {i}: blank key {cols}")
            elif key in seen:
                problems.append(f"{name}.csv line {i}: duplicate key {key}")
            seen.add(key)
    return problems


def check_source_quotes(seeds: Seeds) -> list[str]:
    """Every source_quote of a target or domain occurs verbatim in its plan's seed file (for
    china_2030: in issue 9's table, ``NATIONAL_TABLE``)."""
    plan_file = {p["plan_id"]: p["source_file"] for p in seeds.rows("plans")}
    problems = []
    for table, key in (("plan_targets", "target_id"), ("plan_domains", "domain_id")):
        for row in seeds.rows(table):
            source = plan_file.get(row["plan_id"])
            if source is None:
                continue  # an unknown plan is check_references' problem
            text = seeds.texts.get(source)
            if text is None:
                problems.append(f"{table} {row[key]}: seed file {source} not found")
            elif not row["source_quote"] or row["source_quote"] not in text:
                problems.append(
                    f"{table} {row['plan_id']}/{row[key]}: source_quote {row['source_quote']!r} "
                    f"is not verbatim in {source}"
                )
    return problems


def _target_id_problems(t: Row) -> list[str]:
    """A target_id that is not ``plan__indicator__year`` with an optional ``__n`` from 2 up."""
    tid = t["target_id"]
    match = TARGET_ID.match(tid)
    expected = f"{t['plan_id']}__{t['indicator_code']}__{t['target_year']}"
    if not match or not (tid == expected or re.fullmatch(re.escape(expected) + r"__\d+", tid)):
        return [f"{tid}: target_id does not follow {expected}[__n]"]
    if match.group("n") and int(match.group("n")) < 2:
        return [f"{tid}: duplicate suffix must start at __2"]
    return []


def _target_references(
    t: Row,
    plans: dict[str, Row],
    regions: dict[str, Row],
    indicators: set[str],
    domains: set[tuple[str, str]],
    children: dict[str, list[str]],
) -> list[str]:
    """The foreign keys and vocabularies of one target row."""
    tid = t["target_id"]
    problems = []
    if t["plan_id"] not in plans:
        problems.append(f"{tid}: unknown plan_id {t['plan_id']!r}")
    if t["indicator_code"] not in indicators:
        problems.append(f"{tid}: unknown indicator_code {t['indicator_code']!r}")
    if t["region_id"] not in regions:
        problems.append(f"{tid}: unknown region_id {t['region_id']!r}")
    if t["comparator"] not in COMPARATORS:
        problems.append(f"{tid}: comparator {t['comparator']!r} not in {COMPARATORS}")
    if t["scope"] not in SCOPES:
        problems.append(f"{tid}: scope {t['scope']!r} not in {SCOPES}")
    if t["nature"] not in NATURES:
        problems.append(f"{tid}: nature {t['nature']!r} not in {NATURES}")
    if t["domain_id"] and (t["plan_id"], t["domain_id"]) not in domains:
        problems.append(f"{tid}: domain {t['domain_id']!r} is not a domain of {t['plan_id']}")
    if t["scope"] == "each_subregion" and not children.get(t["region_id"]):
        problems.append(f"{tid}: scope each_subregion but {t['region_id']} has no subregions")
    plan = plans.get(t["plan_id"])
    if plan and t["region_id"] != plan["region_id"]:
        problems.append(f"{tid}: region {t['region_id']} is not the plan's {plan['region_id']}")
    return problems + _target_id_problems(t)


def _catalogue_references(
    seeds: Seeds, plans: dict[str, Row], regions: dict[str, Row], indicators: set[str]
) -> list[str]:
    """The foreign keys and vocabularies of domains, plans, regions, indicators and aliases."""
    problems = []
    for d in seeds.rows("plan_domains"):
        if d["plan_id"] not in plans:
            problems.append(f"domain {d['domain_id']}: unknown plan_id {d['plan_id']!r}")
    for p in plans.values():
        if p["region_id"] not in regions:
            problems.append(f"plan {p['plan_id']}: unknown region_id {p['region_id']!r}")
    for r in regions.values():
        if r["parent_region_id"] and r["parent_region_id"] not in regions:
            problems.append(f"region {r['region_id']}: unknown parent {r['parent_region_id']!r}")
    for i in seeds.rows("indicators"):
        if i["direction"] not in DIRECTIONS:
            problems.append(f"indicator {i['indicator_code']}: direction {i['direction']!r}")
        if i["comparable_to"] and i["comparable_to"] not in indicators:
            problems.append(f"indicator {i['indicator_code']}: comparable_to unknown")
    return problems + _alias_references(seeds, set(regions), indicators)


def _alias_references(seeds: Seeds, regions: set[str], indicators: set[str]) -> list[str]:
    """Indicator and region aliases that name an unknown indicator or region."""
    problems = []
    for name, col, known in (
        ("indicator_aliases", "indicator_code", indicators),
        ("region_aliases", "region_id", regions),
    ):
        for a in seeds.rows(name):
            if a[col] not in known:
                problems.append(f"{name}: alias {a['alias']!r} names unknown {col} {a[col]!r}")
    return problems


def check_references(seeds: Seeds) -> list[str]:
    """Foreign keys and vocabularies of targets, domains, plans, regions and indicators."""
    plans = {p["plan_id"]: p for p in seeds.rows("plans")}
    regions = {r["region_id"]: r for r in seeds.rows("regions")}
    indicators = {i["indicator_code"] for i in seeds.rows("indicators")}
    domains = {(d["plan_id"], d["domain_id"]) for d in seeds.rows("plan_domains")}
    children: dict[str, list[str]] = {}
    for r in seeds.rows("regions"):
        children.setdefault(r["parent_region_id"], []).append(r["region_id"])
    problems = []
    for t in seeds.rows("plan_targets"):
        problems += _target_references(t, plans, regions, indicators, domains, children)
    return problems + _catalogue_references(seeds, plans, regions, indicators)


def check_region_sources(seeds: Seeds) -> list[str]:
    """Every region says where its name comes from (``name_source``), and nothing is invented.

    A seed file name: the name occurs verbatim in that plan text. ``GB/T 2260``: the region has
    an administrative code (or is the country). ``redacted``: the source hides the name. Else
    ``unverified``: the name is not in any plan text (added so that 以镇（街道）为单位 targets can
    be assessed) and must carry no code — a code would pretend a verification nobody made.
    """
    problems = []
    for r in seeds.rows("regions"):
        rid, source = r["region_id"], r["name_source"]
        redacted = r["is_redacted"] == "true"
        if source.endswith(".txt"):
            if r["name_zh"] not in seeds.texts.get(source, ""):
                problems.append(f"region {rid}: name {r['name_zh']!r} is not in {source}")
        elif source == "GB/T 2260":
            if not (r["admin_code"] or r["level"] == "country"):
                problems.append(f"region {rid}: name_source GB/T 2260 but no admin_code")
        elif source == "unverified":
            if r["admin_code"]:
                problems.append(f"region {rid}: unverified region with a code {r['admin_code']}")
        elif source != "redacted":
            problems.append(
                f"region {rid}: name_source {source!r} is neither a seed file nor one of "
                f"{NAME_SOURCES}"
            )
        if redacted != (source == "redacted"):
            problems.append(f"region {rid}: is_redacted and name_source 'redacted' disagree")
    return problems


def check_distinct_concepts(seeds: Seeds) -> list[str]:
    """One code per concept: no two indicators share a Chinese or English name once normalised
    (a second code for the same name would split one indicator's observations in two)."""
    problems = []
    for col in ("name_zh", "name_en"):
        seen: dict[str, str] = {}
        for i in seeds.rows("indicators"):
            key = normalise_label(i[col])
            if key in seen:
                problems.append(
                    f"indicators {seen[key]} and {i['indicator_code']} share {col} {i[col]!r}"
                )
            seen.setdefault(key, i["indicator_code"])
    return problems


def check_table_labels(seeds: Seeds) -> list[str]:
    """A target quoted from an indicator table (its section names the table, 主要指标) carries
    the row label in its quote (alone, or as one tab-separated cell of the row's line), and that
    label resolves through the aliases to the target's indicator: a bare value cell such as
    '≤7.5' would not say which row it came from. Cells are tab-separated in the seed files and
    ``|``-separated in the national table (a Markdown row)."""
    problems = []
    for t in seeds.rows("plan_targets"):
        if "主要指标" not in t["source_section"]:
            continue
        cells = [c for c in re.split(r"[\t|]", t["source_quote"]) if c.strip()]
        if t["indicator_code"] not in {resolve(seeds, c) for c in cells}:
            problems.append(
                f"{t['target_id']}: table quote {t['source_quote']!r} has no row label that "
                f"resolves to {t['indicator_code']!r} (quote the label; alias it if needed)"
            )
    return problems


def check_years(seeds: Seeds) -> list[str]:
    """Target years lie in the plan's horizon; plan horizons are ordered."""
    plans = {p["plan_id"]: p for p in seeds.rows("plans")}
    problems = []
    for p in plans.values():
        if int(p["horizon_start"]) > int(p["horizon_end"]):
            problems.append(f"plan {p['plan_id']}: horizon_start after horizon_end")
    for t in seeds.rows("plan_targets"):
        p = plans.get(t["plan_id"])
        if p and not int(p["horizon_start"]) <= int(t["target_year"]) <= int(p["horizon_end"]):
            problems.append(
                f"{t['target_id']}: target_year {t['target_year']} outside the plan horizon "
                f"{p['horizon_start']}–{p['horizon_end']}"
            )
    return problems


def check_units(seeds: Seeds) -> list[str]:
    """Every canonical_unit is a unit of units.csv (when units.csv exists)."""
    if seeds.units is None:
        return []
    missing: dict[str, list[str]] = {}
    for i in seeds.rows("indicators"):
        if i["canonical_unit"] not in seeds.units:
            missing.setdefault(i["canonical_unit"], []).append(i["indicator_code"])
    return [f"unit {u!r} (used by {codes}) is not in units.csv" for u, codes in missing.items()]


def alias_clashes(pairs: list[tuple[str, str]]) -> list[str]:
    """Aliases that normalise to the same key but name different values."""
    by_key: dict[str, set[str]] = {}
    spelled: dict[str, set[str]] = {}
    for alias, value in pairs:
        key = normalise_label(alias)
        by_key.setdefault(key, set()).add(value)
        spelled.setdefault(key, set()).add(alias)
    return [
        f"alias key {k!r} ({sorted(spelled[k])}) names {sorted(v)}"
        for k, v in by_key.items()
        if len(v) > 1
    ] + [f"alias {sorted(spelled[k])} normalises to ''" for k in by_key if not k]


def check_aliases(seeds: Seeds) -> list[str]:
    """Indicator and region spellings are unambiguous after normalise_label."""
    ind_pairs = [(a["alias"], a["indicator_code"]) for a in seeds.rows("indicator_aliases")]
    for i in seeds.rows("indicators"):
        code = i["indicator_code"]
        ind_pairs += [(code, code), (i["name_zh"], code), (i["name_en"], code)]
    reg_pairs = [(a["alias"], a["region_id"]) for a in seeds.rows("region_aliases")]
    for r in seeds.rows("regions"):
        reg_pairs += [(r["region_id"], r["region_id"]), (r["name_zh"], r["region_id"])]
        reg_pairs += [(r["name_en"], r["region_id"])]
        if r["admin_code"]:
            reg_pairs.append((r["admin_code"], r["region_id"]))
    return [f"indicator {p}" for p in alias_clashes(ind_pairs)] + [
        f"region {p}" for p in alias_clashes(reg_pairs)
    ]


def resolve(seeds: Seeds, label: str, kind: str = "indicator") -> str | None:
    """Resolve a label the way ingestion does: normalised alias, name or code → one key."""
    if kind == "indicator":
        pairs = [(a["alias"], a["indicator_code"]) for a in seeds.rows("indicator_aliases")]
        pairs += [
            (i[c], i["indicator_code"])
            for i in seeds.rows("indicators")
            for c in ("indicator_code", "name_zh", "name_en")
        ]
    else:
        pairs = [(a["alias"], a["region_id"]) for a in seeds.rows("region_aliases")]
        pairs += [
            (r[c], r["region_id"])
            for r in seeds.rows("regions")
            for c in ("region_id", "name_zh", "name_en", "admin_code")
            if r[c]
        ]
    key = normalise_label(label)
    hits = {v for a, v in pairs if normalise_label(a) == key}
    return hits.pop() if len(hits) == 1 else None


#: Excel's sheet-name limit: the scale generator writes one sheet per indicator code.
SHEET_NAME_CHARS = 31


def check_code_sheet_names(seeds: Seeds) -> list[str]:
    """Indicator codes stay distinct when cut to an Excel sheet name (31 characters, any case)."""
    seen: dict[str, str] = {}
    problems = []
    for i in seeds.rows("indicators"):
        code = i["indicator_code"]
        key = code[:SHEET_NAME_CHARS].lower()
        if key in seen:
            problems.append(f"indicators {seen[key]} and {code} share the sheet name {key!r}")
        seen.setdefault(key, code)
    return problems


ALL_CHECKS = (
    check_headers,
    check_unique_keys,
    check_source_quotes,
    check_references,
    check_comparator_fields,
    check_direction_consistency,
    check_years,
    check_units,
    check_aliases,
    check_change_verbs,
    check_table_labels,
    check_relative_change_wording,
    check_region_sources,
    check_distinct_concepts,
    check_code_sheet_names,
)
