"""The project's own vocabularies, as the extractor reads them (no model, only seeds).

Indicators are recognised in a plan's text through ``indicators.csv`` names and
``indicator_aliases.csv`` aliases, matched with :func:`pipelines.reference.normalise_label` (the
one label-matching rule of the project). Units and their conversion come from
:func:`pipelines.reference.load_reference` (``units.csv`` + ``unit_aliases.csv``: a value in unit
``u`` becomes ``value * factor(u) / factor(U)`` in the indicator's canonical unit ``U``).

Text matching works on a *normalised view* of the text that remembers, for every normalised
character, where it came from, so a match can always be turned back into a verbatim slice.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipelines.config import SEEDS_DIR
from pipelines.reference import load_reference, normalise_label, normalise_unit

__all__ = [
    "Indicator",
    "Match",
    "NormalisedText",
    "Vocabulary",
    "load_vocabulary",
]

#: Shortest normalised alias the running-text matcher uses (two characters match too much).
MIN_TEXT_KEY = 3
#: Suffixes a catalogue name carries that running text drops ("体育公园数" → "建成体育公园32个").
DROPPABLE_SUFFIXES = ("数量", "数", "人数")
#: Coverage-rate suffixes whose stem the text writes with 全覆盖 / 达到100%.
COVERAGE_SUFFIXES = ("覆盖率", "普及率", "建设率", "参保率")
#: Per-population prefixes of a label.
PER_PREFIX = re.compile(r"^[每毎](千|万|百|十万)名?(常住|常驻|户籍)?(人口|人|居民)(拥有)?")
#: Shortest stem a variant may leave.
MIN_STEM = 4
_DROP = ("P", "S", "Z", "C")


@dataclass(frozen=True)
class Indicator:
    """One catalogue row the extractor needs."""

    code: str
    name_zh: str
    canonical_unit: str
    direction: str
    value_type: str


@dataclass(frozen=True)
class Match:
    """An indicator mention: ``text[start:end]`` (original offsets) names ``code``."""

    code: str
    start: int
    end: int
    key: str


@dataclass(frozen=True)
class NormalisedText:
    """``normalise_label`` applied character by character, with the original offset of each."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str, base: int = 0) -> NormalisedText:
        """Normalise ``text`` (offsets counted from ``base``)."""
        chars: list[str] = []
        offsets: list[int] = []
        for i, ch in enumerate(text):
            for out in unicodedata.normalize("NFKC", ch).casefold():
                if unicodedata.category(out)[0] not in _DROP:
                    chars.append(out)
                    offsets.append(base + i)
        return cls("".join(chars), tuple(offsets))


@dataclass
class Vocabulary:
    """Indicator catalogue, label keys and units, read from a seeds directory."""

    indicators: dict[str, Indicator]
    keys: dict[str, str]
    text_keys: dict[str, str]
    key_lengths: tuple[int, ...]
    unit_lookup: dict[str, str]
    unit_factors: dict[str, tuple[str, float]]
    region_keys: dict[str, str] = field(default_factory=dict)

    def resolve(self, label: str) -> str | None:
        """The indicator_code a label names (exact normalised name/alias), else None."""
        key = normalise_label(label)
        return self.keys.get(key) or self.text_keys.get(key)

    def find(self, text: str, base: int = 0) -> list[Match]:
        """Indicator mentions in ``text``: longest match first, left to right, no overlaps."""
        norm = NormalisedText.of(text, base)
        found: list[Match] = []
        i, n = 0, len(norm.text)
        while i < n:
            for length in self.key_lengths:
                if i + length > n:
                    continue
                key = norm.text[i : i + length]
                code = self.text_keys.get(key)
                if code is not None:
                    start = norm.offsets[i]
                    end = norm.offsets[i + length - 1] + 1
                    found.append(Match(code, start, end, key))
                    i += length
                    break
            else:
                i += 1
        return found

    def unit_of(self, token: str) -> str | None:
        """The canonical unit id a unit spelling names (``unit_aliases.csv``), else None."""
        return self.unit_lookup.get(normalise_unit(token))

    def convert(self, value: float, unit: str | None, code: str) -> tuple[float, str | None]:
        """``value`` in ``unit`` converted to ``code``'s canonical unit, and a note if it was.

        Only between units of one dimension (``units.csv``); otherwise the value is returned
        unchanged (a count written "个" is already in the canonical count unit).
        """
        target = self.indicators[code].canonical_unit
        if unit is None or unit == target:
            return value, None
        src, dst = self.unit_factors.get(unit), self.unit_factors.get(target)
        if src is None or dst is None or src[0] != dst[0]:
            return value, None
        converted = round(value * src[1] / dst[1], 10)
        return converted, f"converted {value:g} {unit} to {converted:g} {target}"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _variants(label: str) -> list[str]:
    """Keys under which running text may write a catalogue label.

    The label itself; without a bracketed qualifier ("劣Ⅴ类水质断面（水体）数"); without a
    per-population prefix the text states once for a list ("每千常住人口中医床位数达到0.75张、
    中医执业（助理）医师数达到0.4人"); without a trailing 数; and a coverage rate's stem, which
    the text writes as "远程医疗服务全覆盖".
    """
    key = normalise_label(label)
    bases = {key, normalise_label(re.sub(r"[（(][^（()）]*[）)]", "", label))}
    for base in list(bases):
        m = PER_PREFIX.match(base)
        if m and len(base) - m.end() >= MIN_STEM:
            bases.add(base[m.end() :])
    out = [key, *sorted(bases - {key})]
    for base in sorted(bases):
        for suffix in DROPPABLE_SUFFIXES + COVERAGE_SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= MIN_STEM:
                out.append(base[: -len(suffix)])
    return out


@lru_cache(maxsize=4)
def load_vocabulary(seeds_dir: Path = SEEDS_DIR) -> Vocabulary:
    """Read the catalogue, aliases, units and region aliases from ``seeds_dir``."""
    indicators = {
        r["indicator_code"]: Indicator(
            r["indicator_code"], r["name_zh"], r["canonical_unit"], r["direction"], r["value_type"]
        )
        for r in _read(seeds_dir / "indicators.csv")
    }
    labels = [(r["name_zh"], r["indicator_code"]) for r in _read(seeds_dir / "indicators.csv")]
    labels += [(r["alias"], r["indicator_code"]) for r in _read(seeds_dir / "indicator_aliases.csv")]
    keys: dict[str, str] = {}
    for label, code in labels:
        keys.setdefault(normalise_label(label), code)
    # Variants (a name without its trailing 数) only where they name one indicator.
    variant_codes: dict[str, set[str]] = {}
    for label, code in labels:
        for key in _variants(label)[1:]:
            variant_codes.setdefault(key, set()).add(code)
    text_keys = {
        k: c
        for k, c in keys.items()
        if len(k) >= MIN_TEXT_KEY and not k.isascii()  # codes and English names are not text
    }
    for key, codes in variant_codes.items():
        if len(codes) == 1 and key not in keys:
            text_keys[key] = next(iter(codes))
    ref = load_reference(seeds_dir)
    unit_lookup = dict(zip(ref.unit_lookup["key"], ref.unit_lookup["value"], strict=True))
    unit_factors = {
        u: (d, float(f))
        for u, d, f in ref.units.select("unit", "dimension", "factor_to_base").iter_rows()
    }
    region_keys = {
        normalise_label(r["alias"]): r["region_id"]
        for r in _read(seeds_dir / "region_aliases.csv")
        if not r["alias"].isascii()
    }
    return Vocabulary(
        indicators=indicators,
        keys=keys,
        text_keys=text_keys,
        key_lengths=tuple(sorted({len(k) for k in text_keys}, reverse=True)),
        unit_lookup=unit_lookup,
        unit_factors=unit_factors,
        region_keys=region_keys,
    )
