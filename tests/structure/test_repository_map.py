"""The README's repository map and the "where each rule lives" tables name what the tree holds.

Every path written in backticks in those sections must exist (a bare file name: some file of the
repository; a seed name: a file in ``dbt_project/seeds/``), and every top-level entry of the
repository must appear in the map, so the map cannot fall behind a move or a new folder.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILE_SUFFIXES = (".py", ".sql", ".csv", ".md", ".toml", ".yaml", ".yml", ".json")
#: Top-level entries a newcomer does not need on the map.
UNMAPPED = {"README.md", ".gitignore"}


def _section(path: Path, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    text = path.read_text(encoding="utf-8")
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", rest, flags=re.MULTILINE)]
    return rest[: ends[0]] if ends else rest


def _tracked() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.splitlines()


def _paths(text: str) -> list[str]:
    """Backticked tokens that name a path (a slash, or a file suffix), anchors dropped."""
    out = []
    for token in re.findall(r"`([^`\s]+)`", text):
        token = token.split("#")[0]
        if "/" in token or token.endswith(FILE_SUFFIXES):
            out.append(token)
    return out


def _exists(token: str, names: set[str], bases: list[Path]) -> bool:
    """``token`` names something at the root, under one of the row's ``bases`` (a row of the
    map may name ``cli/`` under ``orchestration/``), a seed, or some file of the repository."""
    token = re.sub(r"<[^>]+>", "*", token).rstrip("/")  # a placeholder: some file fits it
    for base in [ROOT, *bases]:
        if any(base.glob(token)) if "*" in token else (base / token).exists():
            return True
    return "/" not in token and ((ROOT / "dbt_project/seeds" / token).exists() or token in names)


def _missing(text: str, names: set[str]) -> list[str]:
    """The paths of ``text`` that name nothing, row by row (a row's first cell gives its bases)."""
    out = []
    for line in text.splitlines():
        cells = line.split("|")[1:] if line.startswith("|") else [line]
        bases = [
            (ROOT / b).parent if (ROOT / b).is_file() else ROOT / b.rstrip("/")
            for b in _paths(cells[0])
            if "*" not in b and (ROOT / b.rstrip("/")).exists()
        ]
        out += [p for p in _paths(line) if not _exists(p, names, bases)]
    return out


SECTIONS = [
    ("README.md", "## Repository map"),
    ("docs/CONTRACTS.md", "## Where each rule lives"),
]


@pytest.mark.parametrize(("doc", "heading"), SECTIONS)
def test_every_path_named_exists(doc: str, heading: str) -> None:
    names = {Path(p).name for p in _tracked()}
    paths = _paths(_section(ROOT / doc, heading))
    assert len(paths) > 20, paths  # the section is there and names paths
    assert _missing(_section(ROOT / doc, heading), names) == []


def test_every_top_level_entry_is_on_the_map() -> None:
    top = {p.split("/")[0] for p in _tracked()} - UNMAPPED
    mapped = {p.split("/")[0] for p in _paths(_section(ROOT / "README.md", "## Repository map"))}
    mapped |= set(re.findall(r"`([^`/\s]+)`", _section(ROOT / "README.md", "## Repository map")))
    assert sorted(top - mapped) == []
