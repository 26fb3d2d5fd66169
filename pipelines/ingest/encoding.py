"""Text encoding of a CSV, decided per line (issue 20): never mojibake, never a silent guess.

- A file that is valid UTF-8 (with or without BOM) is UTF-8; one whose non-ASCII lines all
  decode as GB18030 (GBK is a subset) and none as UTF-8 is GB18030.
- A **mixed** file — some non-ASCII lines valid UTF-8, others only GB18030, or lines that decode
  as neither — is read in its majority encoding (UTF-8 on a tie), and every line of another
  encoding is **quarantined** (reason ``encoding_error``) with its line number and the byte
  offset and column of its first byte that the majority encoding cannot read. Decoding each
  line by what it looks like is not safe (many GB18030 byte runs are valid UTF-8 and vice
  versa), so no line is re-decoded by guess and no file is re-decoded whole.
- A file that decodes as nothing (no non-ASCII line is UTF-8 or GB18030) is rejected, naming the
  first bad byte's line and column.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest.errors import FileRejectedError

#: bytes per chunk when validating a whole file as UTF-8 (no per-line work on the common path).
CHUNK = 1 << 20
UTF8, UTF8_SIG, GB18030 = "utf-8", "utf-8-sig", "gb18030"


@dataclass(frozen=True)
class BadLine:
    """A physical line that is not in the file's encoding (quarantined, never loaded)."""

    line: int  # 1-based physical line number (the spreadsheet row a person sees)
    offset: int  # 0-based byte offset in the file of the first byte the encoding cannot read
    column: int  # 1-based byte column of that byte in its line
    encoding: str  # what the line is: utf-8, gb18030 or unknown
    text: str  # the line, undecodable bytes shown as \xNN

    def message(self, file_encoding: str) -> str:
        """Quarantine message naming the line, byte position and both encodings."""
        what = "encoded as GB18030/GBK" if self.encoding == GB18030 else f"{self.encoding} text"
        if self.encoding == "unknown":
            what = "neither UTF-8 nor GB18030/GBK"
        return (
            f"line {self.line} is {what} in a {file_encoding} file: first byte not in "
            f"{file_encoding} at byte {self.offset} (line {self.line}, column {self.column}); "
            "not loaded, "
            "re-save the file in one encoding"
        )


@dataclass
class DecodedText:
    """A CSV's text: its encoding, and (for non-UTF-8 files) the UTF-8 bytes to parse."""

    encoding: str
    utf8: bytes | None = None  # None: the file itself is the UTF-8 text to read
    bad_lines: list[BadLine] = field(default_factory=list)


def _valid_utf8(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _first_bad(line: bytes, encoding: str) -> int | None:
    """Index of the first byte of ``line`` that ``encoding`` cannot decode (None: decodes)."""
    try:
        line.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _check_head(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise FileRejectedError("file is empty")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejectedError("file is UTF-16 text: save it as UTF-8 or GB18030 CSV")
    if b"\x00" in head:
        raise FileRejectedError("file is binary (NUL bytes), not a text table")
    return head


def decode_text(path: Path) -> DecodedText:
    """Decide a CSV's encoding per line (module docstring). Raises FileRejectedError."""
    head = _check_head(path)
    if head.startswith(codecs.BOM_UTF8):
        if _valid_utf8(path, UTF8_SIG):
            return DecodedText(UTF8_SIG)
    elif _valid_utf8(path, UTF8):
        return DecodedText(UTF8)
    data = path.read_bytes()
    bom = data.startswith(codecs.BOM_UTF8)
    lines = (data[3:] if bom else data).splitlines(keepends=True)
    kinds = [_kind(line) for line in lines]
    n_utf8, n_gb = kinds.count(UTF8), kinds.count(GB18030)
    if n_utf8 == 0 and n_gb == 0 and "unknown" in kinds:
        line_no = kinds.index("unknown") + 1
        bad = _first_bad(lines[line_no - 1], UTF8) or 0
        offset = 3 * bom + sum(len(x) for x in lines[: line_no - 1]) + bad
        raise FileRejectedError(
            f"file is neither UTF-8 nor GB18030/GBK text: first unreadable byte "
            f"{lines[line_no - 1][bad : bad + 1]!r} at byte {offset} (row {line_no}, "
            f"column {bad + 1})"
        )
    # majority wins (UTF-8 on a tie); only `either` lines: GB18030, as UTF-8 would have passed
    encoding = GB18030 if n_gb > n_utf8 or n_utf8 == n_gb == 0 else UTF8
    return _split(lines, kinds, encoding, 3 if bom else 0)


def _kind(line: bytes) -> str:
    """``ascii``, ``utf-8``, ``gb18030``, ``either`` or ``unknown`` for one physical line.

    Short GB18030 runs are often valid UTF-8 by accident (女 = C5 AE = "Ů"), and such accidents
    decode to Latin/Greek/Cyrillic letters below U+0800, while Chinese UTF-8 text decodes to
    characters above it (CJK, full-width punctuation, ‰). So a line valid in both encodings that
    decodes as UTF-8 only to characters below U+0800 is ``either``: it follows the file's
    encoding; every other line valid as UTF-8 is UTF-8.
    """
    if line.isascii():
        return "ascii"
    if _first_bad(line, UTF8) is None:
        text = line.decode(UTF8)
        if _first_bad(line, GB18030) is None and all(ord(c) < 0x800 for c in text):
            return "either"
        return UTF8
    if _first_bad(line, GB18030) is None:
        return GB18030
    return "unknown"


def _split(lines: list[bytes], kinds: list[str], encoding: str, offset: int) -> DecodedText:
    """UTF-8 text of the lines in ``encoding``; the others blanked (line numbers kept).

    ``offset``: bytes before the first line (a UTF-8 BOM, not part of the text).
    """
    out: list[bytes] = []
    bad: list[BadLine] = []
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind in ("ascii", "either", encoding):
            out.append(line if encoding == UTF8 else line.decode(GB18030).encode(UTF8))
        else:
            col = _first_bad(line, encoding)
            if col is None:  # decodes, but only as the other encoding's mojibake
                col = next(j for j, byte in enumerate(line) if byte >= 0x80)
            text = line.rstrip(b"\r\n").decode(UTF8, errors="backslashreplace")
            if kind == GB18030:
                text = line.rstrip(b"\r\n").decode(GB18030)
            bad.append(BadLine(i + 1, offset + col, col + 1, kind, text))
            out.append(b"\n")  # a blank line: the rows below keep their numbers
        offset += len(line)
    return DecodedText(encoding, b"".join(out), bad)


def encoding_quarantine(decoded: DecodedText, file_path: str) -> pl.DataFrame:
    """``raw.quarantine`` rows (reason ``encoding_error``) for the lines not in the encoding."""
    return pl.DataFrame(
        {
            "sheet": [None] * len(decoded.bad_lines),
            "source_row": [b.line for b in decoded.bad_lines],
            "column_name": [None] * len(decoded.bad_lines),
            "reason_code": ["encoding_error"] * len(decoded.bad_lines),
            "message": [
                f"{file_path}: row {b.line}: {b.message(decoded.encoding)}"
                for b in decoded.bad_lines
            ],
            "original_row": [b.text for b in decoded.bad_lines],
        },
        schema={
            "sheet": pl.String,
            "source_row": pl.Int32,
            "column_name": pl.String,
            "reason_code": pl.String,
            "message": pl.String,
            "original_row": pl.String,
        },
    )
