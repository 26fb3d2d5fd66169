"""Numbers as the report and the alerts show them: one precision per unit (seed unit_display)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from pipelines.config import SEEDS_DIR
from pipelines.translations import label

DEFAULT_DECIMALS = 2


@lru_cache(maxsize=2)
def unit_decimals(seeds_dir: Path = SEEDS_DIR) -> dict[str, int]:
    """unit code → decimals shown (``dbt_project/seeds/unit_display.csv``)."""
    with (Path(seeds_dir) / "unit_display.csv").open(encoding="utf-8", newline="") as fh:
        return {row["unit"]: int(row["decimals"]) for row in csv.DictReader(fh)}


def decimals_for(unit: str | None) -> int:
    """Decimals for ``unit`` (two for a unit the seed does not know)."""
    return unit_decimals().get(unit or "", DEFAULT_DECIMALS)


def number(value: float | None, unit: str | None, signed: bool = False) -> str:
    """``value`` with the unit's precision and thousands separators (``—`` for none)."""
    if value is None:
        return "—"
    text = f"{value:{'+' if signed else ''},.{decimals_for(unit)}f}"
    return "0" if text in ("-0", "+0") else text.replace("-", "−")


def with_unit(value: float | None, unit: str | None, unit_label: str, signed: bool = False) -> str:
    """``82.4 岁``; percent-like labels stick to the number (``25.0%``)."""
    if value is None:
        return "—"
    sep = "" if unit_label in ("%", "‰") else " "
    return f"{number(value, unit, signed)}{sep}{unit_label}".strip()  # 25.0%, 82.4 岁


def percent(share: float | None, signed: bool = False) -> str:
    """A share already in percent, one decimal (``6.4%``; ``−6.4%`` when ``signed``)."""
    if share is None:
        return "—"
    return f"{share:{'+' if signed else ''}.1f}%".replace("-", "−")


def requirement(threshold: str, unit_label: str) -> str:
    """A requirement text with its unit (``≤ 5‰``, ``≥ 80 岁``)."""
    sep = "" if unit_label in ("%", "‰") else " "
    return f"{threshold}{sep}{unit_label}".strip()


def gap_text(
    gap: float | None,
    gap_pct: float | None,
    value: float | None,
    required_upper: float | None,
    unit: str | None,
    unit_label: str,
) -> tuple[str, str]:
    """How far off, in words a reader does not have to decode (``超出要求 1.25‰`` /
    ``低于要求 1.6%``) and as a share of the required level (``占目标值 20.8%``)."""
    if gap is None:
        return "—", ""
    above = required_upper is not None and (value or 0) > required_upper
    words = label("report", "gap_above" if above else "gap_below")
    share = "" if gap_pct is None else f"{label('report', 'of_target')} {percent(abs(gap_pct))}"
    return f"{words} {with_unit(abs(gap), unit, unit_label)}", share
