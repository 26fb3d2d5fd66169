"""The size rules of issue 18, as a check: small modules, small functions, small dbt models.

- a Python module (``pipelines/``, ``expectations/``, ``orchestration/``, ``bench/``, ``tests/``)
  has at most :data:`MAX_MODULE_LINES` lines;
- a Python function or method has at most :data:`MAX_FUNCTION_LINES` lines (``def`` to its last
  line, nested functions included);
- a dbt model (``dbt_project/models/**.sql``) has at most :data:`MAX_MODEL_LINES` lines.

A unit may be larger when it says why at its top: a ``# size: <reason>`` comment (``-- size:``
in SQL) in a module's or model's first :data:`HEADER_LINES` lines, or on the line above a function
(above its decorators) or the first line of its body. Units over the limit today that nobody has
split or justified yet are listed in :data:`KNOWN_OFFENDERS` — the ONE list of exceptions, each
with who is on it; delete a line when its unit is split (the test fails on stale lines too).

Run ``.venv/bin/python tests/structure/size_rules.py`` to print every unit over a limit.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_MODEL_LINES = 150
#: How far into a module or model its ``size:`` reason may be written.
HEADER_LINES = 5
PYTHON_TREES = ("pipelines", "expectations", "orchestration", "bench", "tests")
MODEL_TREE = "dbt_project/models"
_REASON = re.compile(r"^\s*(#|--|\{#)\s*size:\s*\S")

#: Units over a limit without a written reason, by ``path`` (module, model) or ``path::function``
#: (``Class.method`` for methods): why each is still there and who is splitting it.
#: The list only shrinks: a new offender fails the test, and so does a line whose unit is now
#: within its limit or carries a ``size:`` reason.
KNOWN_OFFENDERS: dict[str, str] = {}


@dataclass(frozen=True)
class Offender:
    """A module, function or model over its limit."""

    key: str  # ``path`` or ``path::qualified.name``
    kind: str  # "module" | "function" | "model"
    lines: int
    limit: int

    def __str__(self) -> str:
        return f"{self.key}: {self.kind} of {self.lines} lines (limit {self.limit})"


def _has_reason(lines: list[str], first: int, last: int) -> bool:
    """A ``size:`` comment on lines ``first``..``last`` (1-based, inclusive, clamped)."""
    return any(_REASON.match(line) for line in lines[max(first, 1) - 1 : max(last, 0)])


def _functions(tree: ast.AST) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method with its qualified name (``Class.method``, ``outer.inner``)."""
    out: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                out.append((prefix + child.name, child))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def python_offenders(path: Path, root: Path = ROOT) -> list[Offender]:
    """The module ``path`` and its functions, where over their limits without a reason."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    rel = path.relative_to(root).as_posix()
    out: list[Offender] = []
    if len(lines) > MAX_MODULE_LINES and not _has_reason(lines, 1, HEADER_LINES):
        out.append(Offender(rel, "module", len(lines), MAX_MODULE_LINES))
    for name, node in _functions(ast.parse(text, filename=rel)):
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length <= MAX_FUNCTION_LINES:
            continue
        top = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        if not _has_reason(lines, top - 1, node.body[0].lineno):
            out.append(Offender(f"{rel}::{name}", "function", length, MAX_FUNCTION_LINES))
    return out


def model_offenders(path: Path, root: Path = ROOT) -> list[Offender]:
    """The dbt model ``path`` if it is over its limit without a reason."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) <= MAX_MODEL_LINES or _has_reason(lines, 1, HEADER_LINES):
        return []
    return [Offender(path.relative_to(root).as_posix(), "model", len(lines), MAX_MODEL_LINES)]


def all_offenders(root: Path = ROOT) -> list[Offender]:
    """Every unit of the tree over its limit without a written reason, sorted by key."""
    out: list[Offender] = []
    for tree in PYTHON_TREES:
        for path in sorted((root / tree).rglob("*.py")):
            if "fixtures" not in path.parts:
                out.extend(python_offenders(path, root))
    for path in sorted((root / MODEL_TREE).rglob("*.sql")):
        out.extend(model_offenders(path, root))
    return sorted(out, key=lambda o: o.key)


def main() -> int:
    """Print every offender, marking those listed in :data:`KNOWN_OFFENDERS`."""
    offenders = all_offenders()
    for o in offenders:
        print(("known  " if o.key in KNOWN_OFFENDERS else "NEW    ") + str(o))
    found = {o.key for o in offenders}
    for key in sorted(set(KNOWN_OFFENDERS) - found):
        print(f"STALE  {key}: within its limit now; delete its KNOWN_OFFENDERS line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
