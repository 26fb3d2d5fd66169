"""Target phrases → comparator readings (CONTRACTS §1 vocabulary, pipelines.rules.comparators).

Every way the plans write a target becomes one :class:`Reading`: ``≥82`` and ``82岁以上`` are
``ge 82``; ``<7`` is ``lt 7``; ``103-107`` / ``3—5个`` are ``range``; ``28左右`` is ``about``
(tolerance :data:`~pipelines.rules.comparators.DEFAULT_ABOUT_TOLERANCE_PCT`); ``比2015年降低10％``
is ``reduce_by_pct 10`` relative to 2015; ``全覆盖`` is ``eq 100``; ``持续改善`` is ``improve``;
``保持较好控制水平`` is ``maintain``; a bare number takes its side from the indicator's direction.
A phrase with two sensible readings (``下降3—5个百分点``: points, not percent) is returned with
``alternative`` set and a low confidence, so a reviewer decides; it is never guessed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TypedDict

from pipelines.rules.comparators import (
    COMPARATORS,
    DEFAULT_ABOUT_TOLERANCE_PCT,
    RELATIVE_COMPARATORS,
)

__all__ = ["Reading", "Span", "find_reading", "parse_cell", "qualitative_reading"]

NUM = r"\d+(?:\.\d+)?"
DASH = r"[—–\-~～至]"
#: Units a target number may carry, longest first (the number's own unit, not the indicator's).
UNIT_TOKENS = (
    "个百分点",
    "微克/立方米",
    "μg/m3",
    "μg/m³",
    "平方公里",
    "平方米",
    "万人次",
    "人次",
    "万人",
    "万张",
    "万元",
    "亿元",
    "元/人",
    "1/10万",
    "/10万",
    "/千人口",
    "课时",
    "小时",
    "分钟",
    "公里",
    "元",
    "‰",
    "%",
    "％",
    "岁",
    "张",
    "人",
    "名",
    "个",
    "家",
    "所",
    "条",
    "项",
    "级",
    "次",
    "天",
    "辆",
    "大",
    "座",
    "支",
)
QUALIFIERS = ("及以上", "以上", "以下", "以内", "之内", "左右")
_UNIT_RE = "|".join(re.escape(u) for u in UNIT_TOKENS)
_QUAL_RE = "|".join(QUALIFIERS)
#: A number (or range) with its unit and qualifier; a year ("2020年") is never a value.
VALUE_RE = re.compile(
    rf"(?P<sign>[≥≤><＞＜])?\s*(?P<v>{NUM})(?:\s*(?P<u1>{_UNIT_RE}))?"
    rf"(?:\s*{DASH}\s*(?P<up>{NUM}))?\s*(?P<unit>{_UNIT_RE})?\s*(?:(?P<qual>{_QUAL_RE}))?"
)
YEAR_AFTER = re.compile(r"^\s*年")
BEFORE_WORDS: tuple[tuple[str, str], ...] = (
    ("不少于", "ge"),
    ("不低于", "ge"),
    ("至少", "ge"),
    ("不超过", "le"),
    ("不高于", "le"),
    ("超过", "gt"),
    ("高于", "gt"),
    ("大于", "gt"),
    ("低于", "lt"),
    ("小于", "lt"),
)
SIGNS = {"≥": "ge", "≤": "le", ">": "gt", "＞": "gt", "<": "lt", "＜": "lt"}
FALL = ("下降", "降低", "减少")
RISE = ("提高", "增长", "增加", "上升", "提升")
FULL_COVERAGE = ("全覆盖", "全面覆盖", "全部覆盖", "覆盖全人口", "覆盖全部")
IMPROVE_WORDS = (
    "持续改善",
    "明显改善",
    "显著改善",
    "逐年提高",
    "逐年提升",
    "不断提高",
    "不断提升",
    "逐步提高",
    "显著提高",
    "明显提高",
    "进一步提升",
    "进一步提高",
    "持续提高",
    "持续下降",
    "逐年降低",
    "逐年下降",
    "显著下降",
    "明显下降",
    "稳中有降",
    "明显放缓",
    "大幅提高",
    "大幅提升",
    "显著提升",
    "明显提升",
)
MAINTAIN_RE = re.compile(r"(保持|维持)[在于]?(较高|较低|低流行|较好控制|稳定|较好)水平|保持稳定")


@dataclass(frozen=True)
class Reading:
    """One target reading; offsets are relative to the text it was read from."""

    comparator: str
    value: float | None = None
    upper: float | None = None
    tolerance_pct: float | None = None
    relative_to_year: int | None = None
    unit_token: str | None = None
    start: int = 0
    end: int = 0
    confidence: float = 0.9
    reason: str = ""
    alternative: str | None = None

    def __post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise ValueError(f"unknown comparator {self.comparator!r}")


class Span(TypedDict):
    """Where a reading was found and the unit its number carries (keyword arguments of
    :class:`Reading`)."""

    start: int
    end: int
    unit_token: str | None


def _side(direction: str) -> str:
    return {"higher_is_better": "ge", "lower_is_better": "le"}.get(direction, "about")


def _bare(value: float, unit: str | None, direction: str) -> tuple[str, str, float]:
    """Comparator of a number with no sign or qualifier, from the indicator's direction."""
    if value == 100 and unit and unit[-1] in "%％" and direction == "higher_is_better":
        return "eq", "100% is full coverage (eq 100)", 0.8
    if value == 0 and direction == "lower_is_better":
        return "eq", "0 on a lower-is-better indicator (eq 0)", 0.75
    side = _side(direction)
    if side == "about":
        return "about", f"bare number on a {direction or 'unknown'}-direction indicator", 0.5
    return side, f"bare number; {direction} → {side}", 0.75


def _relative_year(text: str) -> int | None:
    m = re.search(r"(?:较|比|在|与)\s*(\d{4})\s*年(?:底|末)?(?:基础上|相比)?", text)
    return int(m.group(1)) if m else None


def _points(
    m: re.Match[str], tail: str, before: str, value: float, upper: float | None, span: Span
) -> Reading:
    """A change in percentage points: a fall is ``reduce_by_points`` (下降3—5个百分点 → 3, upper
    5, vs the year named); a rise has no comparator and is flagged with both readings."""
    if any(w in tail for w in FALL):  # 下降3—5个百分点: at least 3 points below the reference
        return Reading(
            "reduce_by_points",
            value,
            upper,
            relative_to_year=_relative_year(before),
            reason=f"下降 {m.group(0).strip()} → reduce_by_points (an absolute fall)",
            confidence=0.8,
            **span,
        )
    return Reading(  # a rise in points: no comparator says it; the reviewer restates it
        "improve",
        confidence=0.3,
        reason=f"上升 {m.group(0).strip()}: a rise in percentage points",
        alternative=f"an absolute rise of {m.group(0).strip()} from the baseline "
        "(no comparator for a rise in points; a reviewer may restate it as a level)",
        **span,
    )


def _numeric(
    m: re.Match[str], before: str, direction: str, offset: int, unit: str | None = None
) -> Reading | None:
    """The reading of one VALUE_RE match, given the text just before it (``unit``: the unit the
    context states when the number carries none, e.g. a table's unit column)."""
    value = float(m.group("v"))
    upper = float(m.group("up")) if m.group("up") else None
    unit = m.group("unit") or m.group("u1") or unit
    qual = m.group("qual") or ""
    span: Span = {"start": offset + m.start(), "end": offset + m.end(), "unit_token": unit}
    tail = before[-8:]
    if unit == "个百分点":
        return _points(m, tail, before, value, upper, span)
    if upper is not None and upper > value:
        return Reading("range", value, upper, reason="range a—b", confidence=0.85, **span)
    relative = re.search(r"(下降|降低|减少|提高|增长|增加|上升|提升)(幅度)?(控制在)?\s*$", tail)
    if relative and unit in ("%", "％") and not re.search(r"[到至]\s*$", tail):
        fall = relative.group(1) in FALL
        capped = bool(relative.group(3)) and qual in ("以内", "之内")
        comp = "reduce_by_pct" if fall != capped else "increase_by_pct"
        if capped:  # 上升幅度控制在5%以内: reduce_by_pct −5 (a rise capped at 5 %)
            comp, value = ("reduce_by_pct", -value) if not fall else ("increase_by_pct", -value)
        return Reading(
            comp,
            value,
            relative_to_year=_relative_year(before),
            reason=f"relative change {relative.group(0)}{m.group(0).strip()}",
            confidence=0.8,
            **span,
        )
    if m.group("sign"):
        comp = SIGNS[m.group("sign")]
        return Reading(comp, value, reason=f"sign {m.group('sign')}", confidence=0.95, **span)
    for word, comp in BEFORE_WORDS:
        if tail.endswith(word) or tail.rstrip().endswith(word):
            return Reading(comp, value, reason=f"{word} → {comp}", confidence=0.9, **span)
    if qual in ("以上", "及以上"):
        return Reading("ge", value, reason=f"{qual} → ge", confidence=0.9, **span)
    if qual in ("以下", "以内", "之内"):
        return Reading("le", value, reason=f"{qual} → le", confidence=0.9, **span)
    if qual == "左右":
        return Reading(
            "about",
            value,
            tolerance_pct=DEFAULT_ABOUT_TOLERANCE_PCT,
            reason="左右 → about (default tolerance)",
            confidence=0.9,
            **span,
        )
    comp, why, conf = _bare(value, unit, direction)
    tol = DEFAULT_ABOUT_TOLERANCE_PCT if comp == "about" else None
    return Reading(comp, value, tolerance_pct=tol, reason=why, confidence=conf, **span)


#: 自然平衡 of a target-range ratio (出生人口性别比实现自然平衡): the normal range the plans print
#: for it (plan 004's table: 103—107), flagged for review by its confidence.
NATURAL_BALANCE = ("自然平衡", 103.0, 107.0)


def qualitative_reading(text: str, direction: str, offset: int = 0) -> Reading | None:
    """全覆盖 / 持续改善 / 保持…水平 / 自然平衡 in ``text`` (first one wins), else None."""
    hits: list[Reading] = []
    word, low, high = NATURAL_BALANCE
    i = text.find(word)
    if i >= 0 and direction == "target_range":
        hits.append(
            Reading("range", low, high, start=offset + i, end=offset + i + len(word),
                    reason=f"{word} → the normal range {low:g}–{high:g}", confidence=0.6)
        )  # fmt: skip
    for word in FULL_COVERAGE:
        i = text.find(word)
        if i >= 0:
            hits.append(
                Reading("eq", 100.0, start=offset + i, end=offset + i + len(word),
                        reason=f"{word} → eq 100", confidence=0.8)
            )  # fmt: skip
    for word in IMPROVE_WORDS:
        i = text.find(word)
        if i >= 0:
            hits.append(
                Reading("improve", start=offset + i, end=offset + i + len(word),
                        reason=f"{word} → improve", confidence=0.6)
            )  # fmt: skip
    m = MAINTAIN_RE.search(text)
    if m:
        hits.append(
            Reading("maintain", start=offset + m.start(), end=offset + m.end(),
                    reason=f"{m.group(0)} → maintain", confidence=0.6)
        )  # fmt: skip
    return min(hits, key=lambda r: r.start) if hits else None


#: Chinese numerals of one character after a target verb, before a level or count word ("达到四级",
#: "有一所"); "公立二级医院" is a kind of hospital, not a value. Replaced by
#: digits of the same length so offsets stay those of the original text.
CN_DIGIT = re.compile(
    r"(?<=[达到为有])[一两二三四五六七八九](?=\s*(?:级(?![甲乙丙])|所|个|家|项|名))"
)
CN_VALUE = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"两": "2"}


#: "急救车辆按1辆/5万人的标准配置": n per m (ten-thousand / thousand) people.
RATIO = re.compile(
    rf"(?P<n>{NUM})\s*(?:辆|张|人|名|个|所)\s*/\s*(?P<m>{NUM})?\s*(?P<scale>万|千)\s*(?:常住)?(?:人口|人)"
)


def _ratio(m: re.Match[str], direction: str, offset: int) -> Reading:
    """n per m·10⁴ people → a value per 10 000 (or per 1000) people, side from the direction."""
    per = float(m.group("m") or 1)
    value = round(float(m.group("n")) / per, 6)
    unit = "每万人口" if m.group("scale") == "万" else "每千人口"
    side = _side(direction)
    return Reading(
        side if side != "about" else "ge", value, start=offset + m.start(), end=offset + m.end(),
        unit_token=unit, confidence=0.6,
        reason=f"{m.group(0)} → {value:g} {unit} ({side})",
    )  # fmt: skip


def find_reading(text: str, direction: str, offset: int = 0) -> Reading | None:
    """The first target expression in a running-text scope (numbers before words)."""
    text = CN_DIGIT.sub(lambda m: CN_VALUE[m.group(0)], text)
    ratio = RATIO.search(text)
    for m in VALUE_RE.finditer(text):
        if ratio is not None and ratio.start() <= m.start() < ratio.end():
            return _ratio(ratio, direction, offset)
        if YEAR_AFTER.match(text[m.end("v") :]) or not m.group(0).strip():
            continue  # a year, not a value
        before = text[: m.start()]
        if re.search(r"(较|比)\s*$", before) or re.search(r"[每第前]\s*$", before):
            continue  # 每18—50平方公里 / 第3 … are not the target value
        if not (m.group("unit") or m.group("u1") or m.group("qual") or m.group("sign")):
            # a bare number in running text is a target only after a target verb
            if not re.search(r"(达到|达|提高到|增加到|降低到|降至|提升到|为|在)\s*$", before):
                continue
        return _numeric(m, before, direction, offset)
    return qualitative_reading(text, direction, offset)


def parse_cell(cell: str, direction: str, unit: str | None = None) -> Reading | None:
    """A table cell's reading: ``≥82``, ``<7``, ``103-107``, ``28左右``, ``比2015年降低10％``,
    ``保持较好控制水平``, ``持续改善``, a bare number, or ``none`` for ``-`` / ``—``."""
    text = cell.strip()
    if text in ("", "-", "—", "–", "/", "--"):
        return Reading("none", reason=f"cell {text or 'blank'}: no threshold", confidence=0.7)
    m = next((v for v in VALUE_RE.finditer(text) if not YEAR_AFTER.match(text[v.end("v") :])), None)
    if m and m.group("v"):
        reading = _numeric(m, text[: m.start()], direction, 0, unit)
        if reading is not None and reading.comparator in RELATIVE_COMPARATORS:
            return replace(reading, relative_to_year=_relative_year(text))
        return reading
    return qualitative_reading(text, direction)
