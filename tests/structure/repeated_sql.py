"""No SQL written twice (issue 18), as a check: two ``.sql`` files of the repository (dbt models,
macros and tests; the queries Python reads) never share a run of :data:`MIN_LINES` identical
lines. A repeated CTE becomes a macro or an ``int_`` model that both read (``deaths_by_band.sql``:
the life table's and 40q30's deaths and population); a mart reads the fact instead of selecting
the same columns again from the fact's inputs (``mart_target_progress``).

Lines are compared as SQL, not as text: comments (``--``, ``{# #}``) dropped, white space folded,
lower case; lines of a keyword or punctuation alone (``select``, ``from``, ``),`` …) are skipped,
so a run is :data:`MIN_LINES` lines that say something. A file may repeat itself (parallel CTEs
of one model); generated macros (``macros/generated/``) are rendered from one definition and
left out.

Pairs that are known and accepted are listed in :data:`KNOWN_PAIRS`, each with why; the list
only shrinks. Run ``.venv/bin/python tests/structure/repeated_sql.py`` to print every pair.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIN_LINES = 6
#: Folders whose .sql files are compared (dbt's and the Python readers').
SQL_TREES = (
    "dbt_project/models",
    "dbt_project/macros",
    "dbt_project/tests",
    "pipelines",
    "expectations",
)
SKIPPED_PARTS = {"generated", "target", "dbt_packages", "logs"}
_THIN = {
    "select",
    "select distinct",
    "from",
    "where",
    "and",
    "or",
    "with",
    "),",
    ")",
    "(",
    "union all",
    "union",
    "group by",
    "order by",
    "having",
    "end",
    "else",
    "case",
    "on",
    "as (",
}
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)

#: "a.sql ~ b.sql" (paths from the root, sorted) → why the shared run stays.
KNOWN_PAIRS: dict[str, str] = {
    "dbt_project/models/marts/mart_cross_plan_indicators.sql ~ "
    "dbt_project/models/marts/mart_indicator_trend.sql": (
        "both show a target beside other rows and select the same seven target columns "
        "(comparator … nature) from int_assessment_verdict: a projection, no rule"
    ),
}


def significant_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, normalised text) of every line of ``path`` that says something."""
    text = _JINJA_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text("utf-8"))
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        folded = " ".join(line.split("--")[0].lower().split())
        if folded and folded not in _THIN:
            out.append((number, folded))
    return out


def sql_files(root: Path = ROOT) -> list[Path]:
    """Every compared .sql file, sorted."""
    return sorted(
        path
        for tree in SQL_TREES
        for path in (root / tree).rglob("*.sql")
        if not SKIPPED_PARTS & set(path.relative_to(root).parts)
    )


def repeated_runs(root: Path = ROOT) -> dict[str, str]:
    """ "a.sql ~ b.sql" → "a.sql:N ~ b.sql:M: first line" for every pair of files sharing a run
    of :data:`MIN_LINES` significant lines (the first such run of the pair)."""
    seen: dict[tuple[str, ...], tuple[str, int]] = {}
    pairs: dict[str, str] = {}
    for path in sql_files(root):
        rel = path.relative_to(root).as_posix()
        lines = significant_lines(path)
        for i in range(len(lines) - MIN_LINES + 1):
            run = tuple(text for _, text in lines[i : i + MIN_LINES])
            first = seen.setdefault(run, (rel, lines[i][0]))
            if first[0] != rel:
                key = " ~ ".join(sorted((first[0], rel)))
                pairs.setdefault(key, f"{first[0]}:{first[1]} ~ {rel}:{lines[i][0]}: {run[0]}")
    return pairs


def main() -> int:
    """Print every pair, marking the known ones."""
    for key, where in sorted(repeated_runs().items()):
        print(("known  " if key in KNOWN_PAIRS else "NEW    ") + where)
    return 0


if __name__ == "__main__":
    sys.exit(main())
