"""Writing the golden corpus's text files (``golden_corpus``)."""

from __future__ import annotations

from pathlib import Path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` in ``encoding`` (bytes as given: no newline translation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def csv_text(rows: list[list[str]]) -> str:
    """``rows`` as CSV text, quoting only the cells that need it."""

    def cell(v: str) -> str:
        return f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in ',"\n') else v

    return "".join(",".join(cell(v) for v in row) + "\n" for row in rows)
