"""Read a plan document into text: ``.txt``, ``.docx``, ``.pdf`` (text layer), ``.html``.

Text files are UTF-8 (with or without BOM) or GB18030 (which covers GBK and GB2312). Tables
become one row per line with ``|``-separated cells, the layout :mod:`pipelines.extract.tables`
reads; paragraphs become lines. Every quote the extractor writes is a substring of the text this
module returns, so a reviewer can search for it in the same conversion.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["DocumentError", "decode_text", "read_document"]

SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")


class DocumentError(ValueError):
    """The document cannot be read (unknown type, undecodable text, no text layer)."""


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (BOM optional) else GB18030; a clear error naming the file otherwise."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{name}: neither UTF-8 nor GB18030 text")


def _docx(path: Path) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = [c.text.replace("\n", "") for c in row.cells]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    if not text.strip():
        raise DocumentError(f"{path}: the PDF has no text layer (scanned?); OCR it first")
    return text


class _HtmlText(HTMLParser):
    """Paragraph and table text of an HTML page (scripts and styles dropped)."""

    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self._flush()
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(re.sub(r"\s+", "", "".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.lines.append("| " + " | ".join(self.row) + " |")
            self.row = None
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.current.append(data)

    def _flush(self) -> None:
        text = "".join(self.current).strip()
        if text:
            self.lines.append(re.sub(r"[ \t\r\n]+", " ", text))
        self.current = []


def _html(path: Path) -> str:
    raw = decode_text(path.read_bytes(), str(path))
    m = re.search(r"charset=[\"']?(gb2312|gbk|gb18030)", raw[:2000], re.I)
    if m:
        raw = path.read_bytes().decode("gb18030")
    parser = _HtmlText()
    parser.feed(raw)
    parser.close()
    parser._flush()
    return html.unescape("\n".join(parser.lines))


def read_document(path: Path) -> str:
    """The text of a plan document, by file type."""
    path = Path(path)
    if not path.exists():
        raise DocumentError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return decode_text(path.read_bytes(), str(path))
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix in (".html", ".htm"):
        return _html(path)
    raise DocumentError(f"{path}: unsupported type {suffix!r} (use one of {', '.join(SUFFIXES)})")
