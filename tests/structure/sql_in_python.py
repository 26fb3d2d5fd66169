"""SQL lives in ``.sql`` files, not in Python strings (issue 18), as a check.

The rule, kept simple: in a Python module under ``pipelines/``, ``orchestration/`` or
``expectations/``, a string literal that holds a query — the words ``select`` … ``from``, in that
order — may stay in Python only while it is a one-line lookup: no line break and at most
:data:`MAX_INLINE_CHARS` characters (``select count(*) from raw.ingested_files where …``, an
``information_schema`` probe, a generic ``select {key}, {cols} from {relation}``). Anything longer
goes into a ``.sql`` file beside its reader (``pipelines/report/sql/``, ``pipelines/sql/``,
``expectations/sql/``) and is read by name.

What counts as one literal is what Python sees: adjacent literals joined by the parser
(``"select a " "from t"``), an f-string with each ``{…}`` read as ``{}``. Docstrings do not count.
A query glued together with ``+`` or ``str.join`` escapes this check; a reviewer does not.

Exceptions are listed here and nowhere else: :data:`ALLOWED` for modules whose SQL text is what
they exist to write (each with why), :data:`KNOWN_OFFENDERS` for modules still to be moved (each
with whose module it is). Both lists only shrink: a listed module without an offending literal
fails the test too.

Run ``.venv/bin/python tests/structure/sql_in_python.py`` to print every offending literal.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ("pipelines", "orchestration", "expectations")
#: The longest query a module may keep inline (one line, no line break).
MAX_INLINE_CHARS = 100
QUERY = re.compile(r"\bselect\b.+?\bfrom\b", re.IGNORECASE | re.DOTALL)

#: Modules whose SQL text is their product, not a query they run.
ALLOWED: dict[str, str] = {
    "pipelines/rules/poisson.py": (
        "renders the dbt macro dbt_project/macros/generated/poisson_ci.sql from the rule's "
        "constants (rules as data rendered into SQL, with a staleness test)"
    ),
}

#: Modules with queries still inline, by path: whose module it is and what is left. The list
#: only shrinks (a listed module without an offending literal fails the test).
KNOWN_OFFENDERS: dict[str, str] = {
    "pipelines/engine.py": "h16 (engine): two information_schema listings of 124-129 characters",
    "pipelines/ingest/arrivals.py": "h17data (ingest): the path's latest arrival",
    "pipelines/ingest/loading.py": "h17data (ingest): the insert … by name select of a file's rows",
    "pipelines/ingest/register_aggregate.py": (
        "h17data (ingest): the register aggregation, composed from pieces at run time"
    ),
    "pipelines/ingest/registers.py": "h17data (ingest): register counts and quarantine inserts",
    "pipelines/publish.py": "h17run (publish): the table count of the published copy",
    "pipelines/run_state.py": "h17run (run state): raw watermark and affected-region queries",
}


@dataclass(frozen=True)
class InlineQuery:
    """A string literal holding a query too long to stay in Python."""

    path: str
    line: int
    text: str

    def __str__(self) -> str:
        shown = " ".join(self.text.split())
        return f"{self.path}:{self.line}: {len(self.text)} characters: {shown[:80]}…"


def _literal_text(node: ast.AST) -> str | None:
    """The text of a string literal or f-string (each replacement field read as ``{}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    """``id()`` of every docstring node of the module, its classes and functions."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and _literal_text(body[0].value) is not None:
                out.add(id(body[0].value))
    return out


def is_inline_query(text: str) -> bool:
    """Whether ``text`` is a query that must live in a ``.sql`` file."""
    if not QUERY.search(text):
        return False
    return "\n" in text.strip() or len(text) > MAX_INLINE_CHARS


def inline_queries(path: Path, root: Path = ROOT) -> list[InlineQuery]:
    """Every string literal of the module ``path`` that holds a query too long to stay inline."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree)
    # the parts of an f-string are literals too; judge the f-string as a whole
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
    rel = path.relative_to(root).as_posix()
    out = []
    for node in ast.walk(tree):
        text = _literal_text(node)
        if text is not None and id(node) not in skip and is_inline_query(text):
            out.append(InlineQuery(rel, getattr(node, "lineno", 0), text))
    return sorted(out, key=lambda q: q.line)


def all_inline_queries(root: Path = ROOT) -> list[InlineQuery]:
    """Every offending literal of the three trees, by path and line."""
    out: list[InlineQuery] = []
    for tree in TREES:
        for path in sorted((root / tree).rglob("*.py")):
            out.extend(inline_queries(path, root))
    return out


def main() -> int:
    """Print every offending literal, marking the listed modules."""
    for query in all_inline_queries():
        mark = (
            "allowed"
            if query.path in ALLOWED
            else "known  "
            if query.path in KNOWN_OFFENDERS
            else "NEW    "
        )
        print(f"{mark} {query}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
