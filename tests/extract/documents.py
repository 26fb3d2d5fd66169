"""Build .docx, .pdf and .html versions of a seed plan text (test fixtures, made on the fly).

The text is split into paragraphs and the indicator tables found by
:func:`pipelines.extract.tables.find_tables`; each writer renders paragraphs as paragraphs and
tables as real tables (docx, html) or as ``|`` rows (pdf, whose text layer has no tables).
The PDF is written by hand with the standard CJK font STSong-Light and the UniGB-UCS2-H CMap
(no font embedded), so its text layer is exactly the text.
"""

from __future__ import annotations

import html
from pathlib import Path

from pipelines.extract.tables import find_tables

Block = tuple[str, object]


def blocks(doc: str) -> list[Block]:
    """("p", line) and ("table", rows of cell texts) in document order."""
    tables = find_tables(doc)
    out: list[Block] = []
    pos = 0
    for t in tables:
        out += [("p", ln) for ln in doc[pos : t.start].split("\n") if ln.strip()]
        out.append(("table", [[c.text for c in t.header]] + [[c.text for c in r] for r in t.rows]))
        pos = t.end
    out += [("p", ln) for ln in doc[pos:].split("\n") if ln.strip()]
    return out


def write_docx(doc: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for kind, value in blocks(doc):
        if kind == "p":
            document.add_paragraph(value)
        else:
            rows = value
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, text in enumerate(row):
                    table.cell(i, j).text = text
    document.save(str(path))
    return path


def write_html(doc: str, path: Path, encoding: str = "utf-8") -> Path:
    parts = [f'<html><head><meta charset="{encoding}"><script>var x="<p>no</p>";</script>']
    parts.append("</head><body>")
    for kind, value in blocks(doc):
        if kind == "p":
            parts.append(f"<p>{html.escape(value)}</p>")
        else:
            parts.append("<table>")
            for row in value:
                cells = "".join(f"<td>{html.escape(c)}</td>" for c in row)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    path.write_bytes("\n".join(parts).encode(encoding))
    return path


def _pdf_bytes(pages: list[list[str]]) -> bytes:
    font = 3 + 2 * len(pages)
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(pages)))
        + b"] /Count %d >>" % len(pages),
    ]
    for i, lines in enumerate(pages):
        body = ["BT", "/F1 9 Tf", "11 TL", "30 810 Td"]
        body += [f"<{ln.encode('utf-16-be').hex().upper()}> Tj T*" for ln in lines]
        stream = "\n".join(body + ["ET"]).encode("ascii")
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, 4 + 2 * i)
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [%d 0 R] >>" % (font + 1)
    )
    objs.append(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor %d 0 R >>"
        % (font + 2)
    )
    objs.append(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def write_pdf(doc: str, path: Path, per_page: int = 70) -> Path:
    lines: list[str] = []
    for kind, value in blocks(doc):
        if kind == "p":
            lines.append(str(value))
        else:
            lines += ["| " + " | ".join(row) + " |" for row in value]
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    path.write_bytes(_pdf_bytes(pages))
    return path
