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
from pipelines.rules.units import Unit, conversion, load_units

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
#: Unit kinds whose values must convert to their indicator's unit (see Vocabulary.compatible).
STRICT_KINDS = frozenset(
    {"proportion", "rate_per_population", "duration", "money_cny", "length", "area", "years"}
)
#: "A、B<tail>" with CJK words on both sides of the 、 (see Vocabulary.coordinated).
COORDINATED = re.compile(r"([\u4e00-\u9fff]{1,16}?)[、和及与]([\u4e00-\u9fff]{2,20})")
#: Items listed right before a mention, each ending in a list separator ("A、B和" of "A、B和C的…").
LIST_BEFORE = re.compile(r"(?:[\u4e00-\u9fff]{2,14}[、和及与])+$")
#: Characters the running-text matcher ignores on both sides (的 comes and goes in plan wording).
PARTICLES = "的"
#: Words a catalogue name starts with that the text writes before the count instead.
LEADING_WORDS = ("新增", "新建")
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
    def of(cls, text: str, base: int = 0, skip: str = "") -> NormalisedText:
        """Normalise ``text`` (offsets counted from ``base``), also dropping ``skip`` characters."""
        chars: list[str] = []
        offsets: list[int] = []
        for i, ch in enumerate(text):
            for out in unicodedata.normalize("NFKC", ch).casefold():
                if unicodedata.category(out)[0] not in _DROP and out not in skip:
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
    units: dict[str, Unit]
    region_keys: dict[str, str] = field(default_factory=dict)
    prefixes: frozenset[str] = frozenset()

    def resolve(self, label: str) -> str | None:
        """The indicator_code a label names (exact normalised name/alias), else None."""
        key = normalise_label(label)
        return self.keys.get(key) or self.text_keys.get(_no_particles(key))

    def find(self, text: str, base: int = 0) -> list[Match]:
        """Indicator mentions in ``text``: longest match first, left to right, no overlaps;
        a coordinated phrase (:meth:`coordinated`) replaces the mentions inside it."""
        direct = self._direct(text, base)
        pairs = self.coordinated(text, base)
        covered = [(p.start, p.end) for p in pairs]
        for m in direct:
            if not any(a < m.end and m.start < b for a, b in covered):
                pairs += self.listed(text, base, m)
        if not pairs:
            return direct
        spans = [(p.start, p.end) for p in pairs]
        kept = [m for m in direct if not any(a < m.end and m.start < b for a, b in spans)]
        return sorted(kept + pairs, key=lambda m: (m.start, m.key))

    def _direct(self, text: str, base: int = 0) -> list[Match]:
        norm = NormalisedText.of(text, base, skip=PARTICLES)
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

    def coordinated(self, text: str, base: int = 0) -> list[Match]:
        """Two indicators written as one phrase with a shared head and tail:
        "适龄妇女宫颈癌、乳腺癌免费筛查" names 适龄妇女宫颈癌免费筛查 and 适龄妇女乳腺癌免费筛查
        (both mentions span the whole phrase)."""
        out: list[Match] = []
        for m in COORDINATED.finditer(text):
            left, right = m.group(1), m.group(2)
            found = self._expand(left, right)
            if found:
                start, end, c1, c2 = found
                s0 = base + m.start(1) + start
                e0 = base + m.start(2) + end
                out += [Match(c1, s0, e0, "coordinated"), Match(c2, s0, e0, "coordinated")]
        return out

    def listed(self, text: str, base: int, m: Match) -> list[Match]:
        """Groups listed before a mention that share its tail: "建档立卡的农村贫困人口、残疾人口和
        计划生育特殊家庭的签约服务" names three coverage indicators, one per group. Every listed
        item must name an indicator with the mention's tail (never some of them); all mentions
        span the whole list."""
        lst = LIST_BEFORE.search(text, 0, m.start - base)
        if lst is None:
            return []
        items = [i for i in re.split(r"[、和及与]", lst.group(0)) if i]
        mention = text[m.start - base : m.end - base]
        for k in range(1, len(mention) - 1):
            tail = mention[k:]
            codes = [
                self.text_keys.get(_no_particles(normalise_label(item + tail))) for item in items
            ]
            if all(codes) and len({*codes, m.code}) == len(codes) + 1:
                start = base + lst.start()
                return [Match(c, start, m.end, "listed") for c in codes if c] + [
                    Match(m.code, start, m.end, "listed")
                ]
        return []

    def _expand(self, left: str, right: str) -> tuple[int, int, str, str] | None:
        """(start in left, end in right, code A, code B) of the longest shared-tail reading."""
        best = None
        for i in range(1, min(6, len(left)) + 1):
            first = left[len(left) - i :]
            for p in range(0, min(12, len(left) - i) + 1):
                head = left[len(left) - i - p : len(left) - i]
                if _no_particles(head + first) not in self.prefixes:
                    continue
                for j in range(1, min(6, len(right) - 1) + 1):
                    if _no_particles(head + right[:j]) not in self.prefixes:
                        continue
                    for t in range(min(14, len(right) - j), 0, -1):
                        tail = right[j : j + t]
                        c1 = self.text_keys.get(_no_particles(normalise_label(head + first + tail)))
                        c2 = self.text_keys.get(
                            _no_particles(normalise_label(head + right[:j] + tail))
                        )
                        if c1 and c2 and c1 != c2:
                            span = (len(left) - i - p, j + t, c1, c2)
                            if best is None or span[1] - span[0] > best[1] - best[0]:
                                best = span
                            break
        return best

    def unit_of(self, token: str) -> str | None:
        """The canonical unit id a unit spelling names (``unit_aliases.csv``), else None."""
        return self.unit_lookup.get(normalise_unit(token))

    def compatible(self, token: str | None, code: str) -> bool:
        """Whether a value written with unit ``token`` can be a value of ``code`` under the one
        conversion rule (:func:`pipelines.rules.units.conversion`): "占比均达25%" is not a
        number of beds per 1000, "15分钟" is not a coverage. A counting word (人, 张, 个) never
        disqualifies a value: it counts the numerator of a rate or names the counted thing."""
        unit = self.unit_of(token) if token else None
        if unit is None or unit not in self.units:
            return True
        conv = conversion(unit, self.indicators[code].canonical_unit, self.units)
        return conv.factor is not None or self.units[unit].kind not in STRICT_KINDS

    def convert(self, value: float, unit: str | None, code: str) -> tuple[float, str | None]:
        """``value`` in ``unit`` converted to ``code``'s canonical unit, and a note if it was.

        By :func:`pipelines.rules.units.conversion` (the project's one conversion rule); a
        label or a clash of kinds leaves the value as written (a clash shows in the review).
        """
        target = self.indicators[code].canonical_unit
        if unit is None or unit == target:
            return value, None
        conv = conversion(unit, target, self.units)
        if conv.factor is None or conv.is_label or conv.factor == 1.0:
            return value, None
        converted = round(value * conv.factor, 10)
        return converted, f"converted {value:g} {unit} to {converted:g} {target}"


def _no_particles(key: str) -> str:
    return "".join(ch for ch in key if ch not in PARTICLES)


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
    # "劣Ⅴ类水质断面（水体）数": the bracket names an alternative to the words before it
    m = re.search(r"[（(]([^（()）]+)[）)]", label)
    if m:
        alt = m.group(1)
        for k in (len(alt), len(alt) + 2):
            if k < m.start():
                bases.add(normalise_label(label[: m.start() - k] + alt + label[m.end() :]))
    for base in list(bases):
        for lead in LEADING_WORDS:  # "新增急救点数" is written "新增5个急救点"
            if base.startswith(lead) and len(base) - len(lead) >= MIN_STEM:
                bases.add(base[len(lead) :])
    for base in list(bases):
        m = PER_PREFIX.match(base)
        if m and len(base) - m.end() >= MIN_STEM:
            bases.add(base[m.end() :])
    out = [key, *sorted(bases - {key})]
    for base in sorted(bases):
        # a name that lost its leading 新增 may keep a three-character stem (新增急救点数 → 急救点)
        shortest = MIN_TEXT_KEY if any(key.startswith(w) for w in LEADING_WORDS) else MIN_STEM
        for suffix in DROPPABLE_SUFFIXES + COVERAGE_SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= shortest:
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
    labels += [
        (r["alias"], r["indicator_code"]) for r in _read(seeds_dir / "indicator_aliases.csv")
    ]
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
    # the running-text matcher reads without the particle 的 (高水平的健康社区 = 高水平健康社区)
    collapsed: dict[str, set[str]] = {}
    for k, c in text_keys.items():
        collapsed.setdefault(_no_particles(k), set()).add(c)
    text_keys = {k: next(iter(cs)) for k, cs in collapsed.items() if len(cs) == 1}
    ref = load_reference(seeds_dir)
    unit_lookup = dict(zip(ref.unit_lookup["key"], ref.unit_lookup["value"], strict=True))
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
        units=load_units(seeds_dir),
        region_keys=region_keys,
        prefixes=frozenset(k[:n] for k in text_keys for n in range(1, len(k) + 1)),
    )
