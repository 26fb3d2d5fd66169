"""Every document type reads to the same targets as the seed text it was made from."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents import write_docx, write_html, write_pdf

from pipelines.extract.evaluate import SHARED_SEEDS_DIR, target_key
from pipelines.extract.framework import extract_text
from pipelines.extract.readers import DocumentError, read_document

#: Two plans with both kinds of table layout and much running text.
PLANS = ("003_4c826d7c3469937e.txt", "002_5016c072d5ffe20f.txt")


def _keys(path: Path) -> tuple[set, str]:
    doc = read_document(path)
    draft = extract_text(doc, path.name if path.suffix == ".txt" else path.stem + ".txt")
    for row in draft.targets + draft.domains:
        assert row["source_quote"] in doc, f"{path.name}: {row['source_quote']!r} not verbatim"
    return {target_key(r) for r in draft.targets}, doc


@pytest.fixture(scope="module", params=PLANS)
def seed_plan(request) -> Path:
    path = SHARED_SEEDS_DIR / request.param
    if not path.is_file():
        pytest.fail(f"seed plan {path} missing (clone beside shared/)")
    return path


@pytest.mark.parametrize("writer", [write_docx, write_html, write_pdf], ids=["docx", "html", "pdf"])
def test_converted_document_gives_the_same_targets(seed_plan: Path, writer, tmp_path) -> None:
    expected, _ = _keys(seed_plan)
    suffix = {"write_docx": ".docx", "write_html": ".html", "write_pdf": ".pdf"}[writer.__name__]
    converted = writer(seed_plan.read_text(encoding="utf-8"), tmp_path / (seed_plan.stem + suffix))
    got, text = _keys(converted)
    assert "|" in text  # the table came through as a table
    assert got == expected, (sorted(expected - got)[:5], sorted(got - expected)[:5])


def test_gb18030_text_and_html(tmp_path, seed_plan: Path) -> None:
    doc = seed_plan.read_text(encoding="utf-8")
    gb = tmp_path / seed_plan.name
    gb.write_bytes(doc.encode("gb18030"))
    assert read_document(gb) == doc
    page = write_html(doc, tmp_path / "plan.html", encoding="gb18030")
    assert "人均预期寿命" in read_document(page)


def test_unreadable_documents_say_why(tmp_path) -> None:
    bad = tmp_path / "plan.txt"
    bad.write_bytes(b"\xff\xfe\xfa\x80\x81")
    with pytest.raises(DocumentError, match="plan.txt"):
        read_document(bad)
    rtf = tmp_path / "plan.rtf"
    rtf.write_text("x", encoding="utf-8")
    with pytest.raises(DocumentError, match="unsupported"):
        read_document(rtf)
    empty = write_pdf("", tmp_path / "empty.pdf")
    with pytest.raises(DocumentError, match="no text layer"):
        read_document(empty)
