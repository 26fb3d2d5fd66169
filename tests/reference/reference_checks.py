"""Consistency checks of the reference seeds (plans, regions, indicators, aliases, targets).

Each check takes the loaded seeds and returns a list of human-readable problems (empty = fine),
so the tests can both assert a clean result on the real seeds and prove, on deliberately broken
copies, that every check can fail.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipelines.reference import normalise_label
from pipelines.rules.comparators import COMPARATORS, DIRECTIONS

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
#: ``regions.name_source`` values besides a seed file name (see docs/reference-data.md).
NAME_SOURCES = ("GB/T 2260", "unverified", "redacted")
#: Comparators whose target_value is an absolute threshold in the indicator's unit.
ABSOLUTE = frozenset({"ge", "gt", "le", "lt", "about", "range", "eq"})
#: Comparators that need target_value.
NEEDS_VALUE = ABSOLUTE | {"reduce_by_pct", "increase_by_pct", "reduce_by_points"}
SCOPES = ("region", "each_subregion")
NATURES = ("binding", "expected", "unstated")
TARGET_ID = re.compile(
    r"^(?P<plan>[a-z0-9_]+?)__(?P<code>[a-z0-9_]+?)__(?P<year>\d{4})(__(?P<n>\d+))?$"
)

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


def _num(value: str) -> float | None:
    return float(value) if value.strip() else None


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
        tid = t["target_id"]
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
        match = TARGET_ID.match(tid)
        expected = f"{t['plan_id']}__{t['indicator_code']}__{t['target_year']}"
        if not match or not (tid == expected or re.fullmatch(re.escape(expected) + r"__\d+", tid)):
            problems.append(f"{tid}: target_id does not follow {expected}[__n]")
        elif match.group("n") and int(match.group("n")) < 2:
            problems.append(f"{tid}: duplicate suffix must start at __2")
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
    for name, col, known in (
        ("indicator_aliases", "indicator_code", indicators),
        ("region_aliases", "region_id", set(regions)),
    ):
        for a in seeds.rows(name):
            if a[col] not in known:
                problems.append(f"{name}: alias {a['alias']!r} names unknown {col} {a[col]!r}")
    return problems


def check_comparator_fields(seeds: Seeds) -> list[str]:
    """Each comparator carries exactly the fields it needs (CONTRACTS.md §1 vocabulary)."""
    problems = []
    for t in seeds.rows("plan_targets"):
        tid, comp = t["target_id"], t["comparator"]
        value, upper, tol = (
            _num(t["target_value"]),
            _num(t["target_upper"]),
            _num(t["tolerance_pct"]),
        )
        year = int(t["target_year"])
        if comp in NEEDS_VALUE and value is None:
            problems.append(f"{tid}: {comp} needs target_value")
        if comp not in NEEDS_VALUE and value is not None:
            problems.append(f"{tid}: {comp} takes no target_value (got {value})")
        if comp == "range":
            if upper is None or value is None or not upper > value:
                problems.append(f"{tid}: range needs target_upper > target_value")
        elif comp == "reduce_by_points":  # 下降3—5个百分点: 3, aspiration 5 (optional)
            if value is None or value <= 0 or (upper is not None and not upper > value):
                problems.append(f"{tid}: reduce_by_points needs points > 0 and upper > points")
        elif upper is not None:
            problems.append(f"{tid}: target_upper is only for range and reduce_by_points")
        if comp == "about" and not (tol and tol > 0):
            problems.append(f"{tid}: about needs a positive tolerance_pct")
        if comp not in ("about", "maintain") and tol is not None:
            problems.append(f"{tid}: tolerance_pct is only for about/maintain")
        rel = t["relative_to_year"]
        if comp in ("reduce_by_pct", "increase_by_pct", "reduce_by_points"):
            if not rel or int(rel) >= year:
                problems.append(f"{tid}: {comp} needs relative_to_year before {year}")
            # a negative percentage caps a change the other way (上升幅度控制在5%以内 →
            # reduce_by_pct −5: value ≤ ref·1.05); check_relative_change_wording only allows it
            # when the quote says so. Zero or ±100 % and beyond make no sense.
            if (
                comp != "reduce_by_points"
                and value is not None
                and not (-100 < value < 100 and value != 0)
            ):
                problems.append(f"{tid}: {comp} percentage {value} outside (-100, 100) or zero")
        elif rel:
            problems.append(f"{tid}: relative_to_year is only for relative comparators")
        if comp == "maintain" and not t["baseline_year"]:
            problems.append(f"{tid}: maintain needs baseline_year (its reference)")
        if t["baseline_value"] and not t["baseline_year"]:
            problems.append(f"{tid}: baseline_value without baseline_year")
        if t["baseline_year"] and int(t["baseline_year"]) >= year:
            problems.append(f"{tid}: baseline_year {t['baseline_year']} not before {year}")
    return problems


def check_direction_consistency(seeds: Seeds) -> list[str]:
    """Comparators agree with the indicator's direction, and values are plausible.

    A plan may set a target below its baseline (keep ≥ 95 % when 100 % is reached), so the
    baseline-vs-target order is not a rule; what must hold is that a ≥ target is never set on
    an indicator where lower is better (and vice versa), relative reductions only apply to
    lower-is-better indicators, and every absolute number lies in the indicator's plausible
    range (a percent in 0–100, a ‰ rate ≤ 1000 …).
    """
    ind = {i["indicator_code"]: i for i in seeds.rows("indicators")}
    wrong_side = {
        "ge": "lower_is_better",
        "gt": "lower_is_better",
        "le": "higher_is_better",
        "lt": "higher_is_better",
        "reduce_by_pct": "higher_is_better",
        "increase_by_pct": "lower_is_better",
        "reduce_by_points": "higher_is_better",
    }
    problems = []
    for t in seeds.rows("plan_targets"):
        i = ind.get(t["indicator_code"])
        if i is None:
            continue
        tid, comp, direction = t["target_id"], t["comparator"], i["direction"]
        if wrong_side.get(comp) == direction:
            problems.append(f"{tid}: {comp} target on a {direction} indicator")
        if comp in ("reduce_by_pct", "increase_by_pct", "reduce_by_points") and (
            direction == "target_range"
        ):
            problems.append(f"{tid}: {comp} on a target_range indicator")
        lo, hi = float(i["plausible_min"]), float(i["plausible_max"])
        value = _num(t["target_value"])
        # 全覆盖 (eq 100) is the best end of a higher-is-better share, 消除 (eq 0) of a
        # lower-is-better count: an eq target at the worst end means the direction is wrong.
        if comp == "eq" and value is not None:
            worst = {"higher_is_better": lo, "lower_is_better": hi}.get(direction)
            if value == worst:
                problems.append(f"{tid}: eq {value} is the worst end of a {direction} indicator")
        cols = ["baseline_value"] + (["target_value", "target_upper"] if comp in ABSOLUTE else [])
        for col in cols:
            v = _num(t[col])
            if v is not None and not lo <= v <= hi:
                problems.append(
                    f"{tid}: {col} {v} outside plausible [{lo}, {hi}] of {i['indicator_code']}"
                )
    return problems


#: Verbs that state the direction of the change from the baseline ("增加到0.58人以上").
UP_VERBS = ("增加到", "提高到", "提升到", "上升到")
DOWN_VERBS = ("降低到", "下降到", "减少到", "降至")


def check_change_verbs(seeds: Seeds) -> list[str]:
    """When the quote says the value rises (增加到…) or falls (降低到…) to the target and the
    baseline is known, the target lies on that side of the baseline."""
    problems = []
    for t in seeds.rows("plan_targets"):
        value, base = _num(t["target_value"]), _num(t["baseline_value"])
        if value is None or base is None or t["comparator"] not in ABSOLUTE:
            continue
        quote = t["source_quote"]
        if any(v in quote for v in UP_VERBS) and not value > base:
            problems.append(
                f"{t['target_id']}: quote says it rises, target {value} <= baseline {base}"
            )
        if any(v in quote for v in DOWN_VERBS) and not value < base:
            problems.append(
                f"{t['target_id']}: quote says it falls, target {value} >= baseline {base}"
            )
    return problems


#: Words of a relative change (rise / fall) and of a cap on it (以内: "within").
RISE_WORDS = ("上升", "提高", "增长", "增加", "提升")
FALL_WORDS = ("降低", "下降", "减少")
CAP_WORDS = ("以内", "控制在", "不超过")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")


def check_relative_change_wording(seeds: Seeds) -> list[str]:
    """reduce/increase_by_pct agree with the quote's wording.

    The sign of ``target_value`` is the direction the value must move: reduce_by_pct p > 0 is
    a fall of at least p % (降低/下降/减少 p%); reduce_by_pct p < 0 is a rise capped at |p| %
    (上升幅度控制在5%以内 → −5: value ≤ ref·1.05), and symmetrically for increase_by_pct. So a
    negative p needs a quote that names the opposite change *and* a cap (以内/控制在/不超过), a
    positive p must not be quoted from a sentence that only names the opposite change, and the
    quoted percentage must be |p|. A quote without a change word (a table row label whose cell
    is in ``note``) is left to the table checks.
    """
    problems = []
    for t in seeds.rows("plan_targets"):
        comp, value = t["comparator"], _num(t["target_value"])
        if comp not in ("reduce_by_pct", "increase_by_pct") or value is None:
            continue
        quote, tid = t["source_quote"], t["target_id"]
        wanted, opposite = (
            (FALL_WORDS, RISE_WORDS) if comp == "reduce_by_pct" else (RISE_WORDS, FALL_WORDS)
        )
        says_wanted = any(w in quote for w in wanted)
        says_opposite = any(w in quote for w in opposite)
        if not (says_wanted or says_opposite):
            continue
        if value < 0 and not (says_opposite and any(w in quote for w in CAP_WORDS)):
            problems.append(
                f"{tid}: {comp} {value} but the quote {quote!r} caps no opposite change"
            )
        if value > 0 and says_opposite and not says_wanted:
            problems.append(
                f"{tid}: {comp} {value} but the quote {quote!r} names the opposite change"
            )
        if abs(value) not in {float(m) for m in PERCENT.findall(quote)}:
            problems.append(
                f"{tid}: {comp} {value} but the quote {quote!r} states no {abs(value)}%"
            )
    return problems


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
