"""Readings found around a catalogue mention rather than after it.

A count before its noun ("建成1个国家级重点专科"), 消除 before listed counts, a change verb with no
number ("降低重大慢性病过早死亡率"), and values listed in the order of their indicators
("基本养老保险、基本医疗保险参保率稳定在96.50%、98%以上").
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.extract.phrases import CN_VALUE, Reading, Span, find_reading
from pipelines.extract.vocabulary import Match, Vocabulary

__all__ = ["COUNT_BEFORE", "count_before", "eliminated", "respectively", "verb_before"]

#: A count written before its indicator: "建成1个…", "、8个…", "100%的…", "1—2个…".
COUNT_BEFORE = re.compile(
    r"(?P<v>\d+(?:\.\d+)?|[一两二三四五六七八九])(?:\s*[—–\-~～]\s*(?P<up>\d+(?:\.\d+)?))?\s*"
    r"(?P<unit>个|所|家|名|大|项|支|条|%|％)(?P<qual>以上|及以上)?(?:的)?\s*$"
)
ELIMINATE = re.compile(r"(全面|基本)?(消除|无)\s*$")
CHANGE_BEFORE = re.compile(
    r"((逐步|逐年|不断|持续|进一步|努力|有效)(降低|减少|减小|提高|提升)|降低|减少|减小)\s*$"
)
_ITEM = r"\d+(?:\.\d+)?\s*(?:%|％|‰|项|个|人|名|张|家|所|级)?"
ITEM = re.compile(_ITEM)
#: "96.50%、98%以上", "100%、30%", "15项和8项": one value per listed indicator.
VALUE_LIST = re.compile(
    rf"(?P<items>{_ITEM}(?:\s*[、和及与]\s*{_ITEM})+)\s*(?P<qual>以上|及以上|以下|以内|左右)?"
)


def count_before(doc: str, lo: int, m: Match, direction: str) -> Reading | None:
    """A count or share written before the mention ``m`` in ``doc[lo:m.start]``: "1个" → ge 1,
    "1—2个" → range, "100%的" → eq 100, "95%以上的" → ge 95; "消除" → eq 0 (lower is better)."""
    pre = doc[lo : m.start]
    c = COUNT_BEFORE.search(pre)
    if c:
        value = float(CN_VALUE.get(c.group("v"), c.group("v")))  # 一项以上 = 1
        span: Span = {"start": lo + c.start(), "end": m.end, "unit_token": c.group("unit")}
        if c.group("up"):
            return Reading("range", value, float(c.group("up")), reason="range before", **span)
        if c.group("unit") in ("%", "％"):
            comp = "eq" if value == 100 and not c.group("qual") else "ge"
            return Reading(comp, value, reason=f"{c.group(0).strip()}… → {comp}", **span)
        return Reading("ge", value, reason=f"count {c.group(0).strip()} → ge", **span)
    e = ELIMINATE.search(pre)
    if e and direction != "higher_is_better":
        return Reading("eq", 0.0, start=lo + e.start(), end=m.end, reason="消除 → eq 0")
    return None


def eliminated(doc: str, lo: int, group: list[Match], vocab: Vocabulary) -> Reading | None:
    """ "消除黑臭河道和劣Ⅴ类水质断面": eq 0 for every listed lower-is-better count."""
    e = ELIMINATE.search(doc[lo : group[0].start])
    if e is None or any(vocab.indicators[m.code].direction != "lower_is_better" for m in group):
        return None
    return Reading("eq", 0.0, start=lo + e.start(), end=group[-1].end, reason="消除 → eq 0")


def verb_before(doc: str, lo: int, m: Match, direction: str) -> Reading | None:
    """A direction without a number: "降低重大慢性病过早死亡率", "逐步提高…的比例"."""
    v = CHANGE_BEFORE.search(doc[lo : m.start])
    if v is None:
        return None
    fall = any(w in v.group(0) for w in ("降低", "减少", "减小", "下降"))
    wanted = "lower_is_better" if fall else "higher_is_better"
    if direction and direction != wanted and direction != "target_range":
        return None
    return Reading(
        "improve", start=lo + v.start(), end=m.end, confidence=0.5,
        reason=f"{v.group(0).strip()}… without a number → improve",
    )  # fmt: skip


def respectively(doc: str, first: Reading, n: int, direction: str) -> list[Reading] | None:
    """n mentions, n values in order: "基本养老保险、基本医疗保险参保率稳定在96.50%、98%以上".

    The qualifier after the last value (以上) applies to each; the verb before the first too.
    """
    if n < 2 or first.value is None:
        return None
    m = VALUE_LIST.match(doc, first.start)
    if m is None:
        return None
    items = list(ITEM.finditer(m.group("items")))
    if len(items) != n:
        return None
    verb = doc[max(0, first.start - 4) : first.start]
    qual = m.group("qual") or ""
    out = []
    for item in items:
        text = verb + item.group(0).strip() + qual
        r = find_reading(text, direction)
        if r is None or r.value is None:
            return None
        start = m.start("items") + item.start()
        out.append(
            replace(r, start=start, end=m.end(), confidence=min(r.confidence, 0.8),
                    reason=f"{r.reason}; values listed in the order of the indicators")
        )  # fmt: skip
    return out
