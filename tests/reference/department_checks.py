"""Checks of the departments in the reference seeds (lead / co-responsible departments).

Rules (docs/reference-data.md, "Lead departments"):

- every department named in ``plan_targets`` / ``plan_domains`` occurs verbatim in its plan's
  text, and so do both spellings of each ``department_aliases`` row;
- within a plan one department has one name: a spelling listed as an alias is never used in
  the seeds, and a ``;``-separated list has no blank, repeated or still-joined (、) entry;
- ``lead_department`` is blank exactly when ``note`` carries :data:`NO_LEAD_MARKER` (the plan
  names no lead for the target), and co-responsible departments need a lead.

Each check returns human-readable problems (empty = fine), like ``reference_checks``.
"""

from __future__ import annotations

from seed_tables import Row, Seeds

#: The marker in ``plan_targets.note`` of a target whose plan names no lead department.
NO_LEAD_MARKER = "计划未明确牵头单位"
DEPARTMENT_COLUMNS = ("lead_department", "co_departments")
#: Separators of the texts' own department lists (市环保局、市卫计委): never inside one entry.
LIST_SEPARATORS = ("、", "，", ",", "；")


def split_departments(value: str) -> list[str]:
    """The departments of a ``;``-separated cell (blank cell → none)."""
    return value.split(";") if value else []


def _named(seeds: Seeds) -> list[tuple[str, str, str, str]]:
    """(table/key, plan_id, column, department) for every department named in the seeds."""
    out = []
    for table, key in (("plan_targets", "target_id"), ("plan_domains", "domain_id")):
        for row in seeds.rows(table):
            for col in DEPARTMENT_COLUMNS:
                for dept in split_departments(row[col]):
                    out.append((f"{table} {row[key]}", row["plan_id"], col, dept))
    return out


def _plan_texts(seeds: Seeds) -> dict[str, str]:
    return {p["plan_id"]: seeds.texts.get(p["source_file"], "") for p in seeds.rows("plans")}


def check_departments_verbatim(seeds: Seeds) -> list[str]:
    """Every department name (and every alias spelling) occurs verbatim in its plan's text."""
    texts = _plan_texts(seeds)
    problems = [
        f"{where}: {col} {dept!r} is not verbatim in the text of {plan}"
        for where, plan, col, dept in _named(seeds)
        if dept.strip() and dept not in texts.get(plan, "")
    ]
    for a in seeds.rows("department_aliases"):
        for col in ("alias", "department"):
            if a[col] not in texts.get(a["plan_id"], ""):
                problems.append(
                    f"department_aliases {a['plan_id']}/{a['alias']}: {col} {a[col]!r} is not "
                    f"verbatim in the plan's text"
                )
    return problems


def check_department_spelling(seeds: Seeds) -> list[str]:
    """One name per department within a plan; lists have no blank or repeated entries."""
    aliases = {
        (a["plan_id"], a["alias"]): a["department"] for a in seeds.rows("department_aliases")
    }
    problems = [
        f"department_aliases {plan}/{alias}: alias equals its department"
        for (plan, alias), dept in aliases.items()
        if alias == dept
    ]
    for where, plan, col, dept in _named(seeds):
        if not dept.strip() or dept != dept.strip():
            problems.append(f"{where}: {col} has a blank or padded entry {dept!r}")
        if any(sep in dept for sep in LIST_SEPARATORS):
            problems.append(f"{where}: {col} entry {dept!r} is a list; separate it with ';'")
        if (plan, dept) in aliases:
            problems.append(
                f"{where}: {col} spells {dept!r}; the seeds call it {aliases[(plan, dept)]!r}"
            )
    for table, key in (("plan_targets", "target_id"), ("plan_domains", "domain_id")):
        for row in seeds.rows(table):
            named = [d for c in DEPARTMENT_COLUMNS for d in split_departments(row[c])]
            if len(named) != len(set(named)):
                problems.append(f"{table} {row[key]}: a department is named twice: {named}")
    return problems


def _marked(row: Row) -> bool:
    return NO_LEAD_MARKER in row["note"]


def check_no_lead_marker(seeds: Seeds) -> list[str]:
    """Blank lead ⇔ the note's marker; co-responsible departments only beside a lead."""
    problems = []
    for t in seeds.rows("plan_targets"):
        tid, lead = t["target_id"], t["lead_department"]
        if not lead and not _marked(t):
            problems.append(f"{tid}: no lead_department and no {NO_LEAD_MARKER!r} in note")
        if lead and _marked(t):
            problems.append(f"{tid}: lead_department {lead!r} but note says {NO_LEAD_MARKER}")
        if t["co_departments"] and not lead:
            problems.append(f"{tid}: co_departments without a lead_department")
    return problems


def check_targets_carry_domain_lead(seeds: Seeds) -> list[str]:
    """A target of a domain (task, special action) with a lead carries that lead: the plan
    assigns the domain's departments to every target stated in it."""
    leads = {
        (d["plan_id"], d["domain_id"]): d["lead_department"] for d in seeds.rows("plan_domains")
    }
    problems = []
    for t in seeds.rows("plan_targets"):
        lead = leads.get((t["plan_id"], t["domain_id"]), "")
        if lead and t["lead_department"] != lead:
            problems.append(
                f"{t['target_id']}: lead_department {t['lead_department']!r} != its domain "
                f"{t['domain_id']}'s {lead!r}"
            )
    return problems


DEPARTMENT_CHECKS = (
    check_departments_verbatim,
    check_department_spelling,
    check_no_lead_marker,
    check_targets_carry_domain_lead,
)
