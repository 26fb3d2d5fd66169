"""Each ingestion rule is written in one module (issue 18): a second copy of a quarantine
reason, a register bound or a period bound elsewhere in pipelines/ingest fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.config import PROJECT_ROOT

INGEST = PROJECT_ROOT / "pipelines" / "ingest"

#: what is written where: a regex over the source, and the only modules that may contain it.
ONE_PLACE = {
    # row checks of observation and count tables, with their reason codes
    r"\bmissing_value\b": {"rules.py"},
    r"\bunknown_indicator\b": {"rules.py"},
    r"\binvalid_period\b": {"rules.py"},
    r"\bunparsable_value\b": {"rules.py"},
    r"\bunconvertible_unit\b": {"rules.py"},
    r"\bimplausible_value\b": {"rules.py"},
    # unknown_region: the table rule and the register check (SQL) share the code
    r"\bunknown_region\b": {"rules.py", "register_sql.py"},
    r"\binvalid_record\b": {"register_sql.py"},
    r"\bconflicting_duplicate\b": {"quarantine.py"},
    r"\bencoding_error\b": {"encoding.py"},
    # register bounds and child-mortality thresholds
    r"\bage(_days)?\s*[<>]=?\s*\d": {"register_sql.py"},
    r"366\s*\*": {"register_sql.py"},
    r"\[A-Z\]\[0-9\]": {"register_sql.py"},
    r"\b130\b": {"register_sql.py"},
    # the years a period (or an event date) may have
    r"\b(1900|2100)\b": {"parsing.py"},
}


def _holders(pattern: str, root: Path = INGEST) -> set[str]:
    rx = re.compile(pattern)
    return {p.name for p in root.glob("*.py") if rx.search(p.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("pattern", sorted(ONE_PLACE))
def test_rule_is_written_in_one_module(pattern: str) -> None:
    assert _holders(pattern) == ONE_PLACE[pattern]


def test_a_second_copy_is_found(tmp_path: Path) -> None:
    for p in INGEST.glob("*.py"):
        (tmp_path / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "counts.py").open("a", encoding="utf-8") as fh:
        fh.write('\nIS_INFANT_AGAIN = "age < 1"\n')
    assert _holders(r"\bage(_days)?\s*[<>]=?\s*\d", tmp_path) == {"register_sql.py", "counts.py"}
