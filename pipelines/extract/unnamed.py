"""Targets whose subject the catalogue does not name as written: "续签率达到60%以上".

A clause "<subject><target verb><value>" with no catalogue mention is resolved in two steps:

1. **Elliptical subject**: plans drop a subject stated just before ("家庭医生签约…，续签率达到60%以上").
   The catalogue names ending with the subject ("家庭医生签约续签率") are the candidates; one
   candidate is taken; several are ranked by how much of the rest of their name the paragraph
   says, and every candidate sharing the top rank is kept ("高血压、糖尿病患者规范管理率" →
   both), flagged for review with the other readings.
2. Otherwise the subject is **proposed as a new indicator** (unit from the value, direction from
   the verb), flagged for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipelines.extract.phrases import Reading, find_reading
from pipelines.extract.vocabulary import Vocabulary
from pipelines.reference import normalise_label

__all__ = ["Unnamed", "find_unnamed"]

VERBS = (
    "达到|达|提高到|提升到|增加到|降低到|下降到|降至|控制在|不少于|不低于|不超过|低于|高于|超过|"
    "保持在|稳定在|维持在|小于|大于|配置|下降|降低|减少|提高|增长|完成|应为"
)
CLAUSE = re.compile(
    rf"(?P<subj>[^，,；;。：:、“”（）()]{{2,30}}?)(?P<verb>{VERBS})(?=\s*[≥≤<>]?\s*[\d一两二三四五六七八九])"
)
FILLER = re.compile(
    r"^(?:(?:到|至|在)?\s*\d{4}\s*年(?:底|末|前)?|全市|全区|全县|我市|我区|力争|确保|努力|"
    r"实现|基本|进一步|要|并|且|使|让|其中|以上|计划|每年|的|，)+"
)
FALL_VERBS = (
    "降低到",
    "下降到",
    "降至",
    "控制在",
    "不超过",
    "低于",
    "小于",
    "下降",
    "降低",
    "减少",
)
UNIT_OF = {"%": "percent", "％": "percent", "‰": "per_mille", "人": "persons", "名": "persons"}
#: Shortest subject kept (two characters say too little).
MIN_SUBJECT = 3
#: Share of a candidate name's other characters the paragraph must say to choose between names.
MIN_CONTEXT = 0.8
#: Character-set similarity for a subject written in other words than the catalogue's name, the
#: lead the best name needs over the next, the suffixes ignored, and the shortest subject compared.
SIMILAR = 0.75
SIMILAR_MARGIN = 0.1
SIMILAR_SUFFIXES = ("覆盖率", "比例", "占比", "率", "数")
MIN_SIMILAR_CHARS = 5
COVERAGE = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{4,30}?)(?P<full>(?:实现|基本实现)?(?:全覆盖|全面覆盖))"
)
SHARE_BEFORE = re.compile(
    r"(?<![\d.])(?P<v>\d+(?:\.\d+)?)\s*[%％](?P<qual>以上)?的?(?P<subj>[\u4e00-\u9fff][^，,；;。：:]{3,30})"
)
RATE_VALUE = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()\d]{3,30}?率)\s*(?P<v>\d+(?:\.\d+)?)\s*[%％](?P<qual>以上)?"
)
#: Likeness enough for a clause whose form states a target (全覆盖, 每个…设置1个, 达标, 人人…),
#: when the best name leads the next by STRUCTURED_MARGIN.
STRUCTURED_SIMILAR = 0.4
STRUCTURED_MARGIN = 0.15
#: "向社会全面开放", "生活垃圾处理全面无害化": the subject's state reached in full.
FULLY = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{4,30}?)(?P<full>(?:全面|全部)(?P<verb>开放|无害化))"
)
#: "X覆盖(全市)? N%以上 Y" / "X覆盖全(部)Y".
COVERS = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{2,30}?)(?P<cov>覆盖)(?:全市|全区)?\s*"
    r"(?:(?P<v>\d+(?:\.\d+)?)\s*[%％](?P<qual>以上)?|全部|全|所有)\s*"
    r"(?P<obj>[\u4e00-\u9fff（）()]{1,12}?)(?=[，,；;。]|$)"
)
#: "急救半径3-5公里": a radius as a range of kilometres.
RADIUS = re.compile(
    r"(?P<subj>[\u4e00-\u9fff]{2,8}半径)\s*(?:应为|为)?\s*(?P<v>\d+(?:\.\d+)?)\s*[—–\-~～]\s*"
    r"(?P<up>\d+(?:\.\d+)?)\s*公里"
)
#: "至少有一所医院达到三级甲等水平": at least n units reach a grade.
AT_LEAST = re.compile(
    r"至少有\s*(?P<v>\d+|[一两二三四五六七八九])\s*(?:所|家|个)(?P<subj>[\u4e00-\u9fff]{1,8}?)"
    r"达到(?P<y>[\u4e00-\u9fff]{2,8}?)(?:水平|标准)"
)
CN_COUNT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"两": "2"}
#: An epidemic kept low or falling, and the catalogue names of a disease's incidence/prevalence.
EPIDEMIC = re.compile(r"疫情(?:保持在低流行水平|保持低流行水平|持续下降|明显下降|逐年下降)")
RATE_OF_DISEASE = re.compile(
    r"^(?P<disease>[\u4e00-\u9fff]{2,6}?)(?:全人群|报告)?(?:感染率|发病率|患病率)$"
)
#: "县级妇幼保健院达到三级妇幼保健院建设标准": compliance with a named standard (eq 100).
STANDARD = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{4,20}?)(?P<full>(?:全面|基本)?达到(?P<std>[^，,；;。\d%]{1,16}?)标准)(?![^，,；;。]{0,8}比例)"
)
#: "以镇（街道）为单位，建立精神障碍社区康复机构": one per town is full coverage.
EACH_UNIT = re.compile(
    r"(?P<full>以(?:乡[（(]?)?镇[（(、]?[^为]{0,6}为单位[，,]?\s*(?:建立|建成|设立|设置))"
    r"(?P<subj>[^，,；;。：:]{4,20})"
)
#: "基本实现“污水零直排”", "实现“人人享有康复服务”的目标": a named goal reached in full.
QUOTED_GOAL = re.compile(r"(?P<full>(?:基本)?实现)[“\"](?P<subj>[^”\"]{2,20})[”\"]")
#: "全域实现无暴露垃圾": none left (eq 0).
NONE_LEFT = re.compile(r"(?P<full>实现无)(?P<subj>[\u4e00-\u9fff]{2,10})")
#: "全区农村居民基本都能用上无害化卫生厕所": everyone can — full coverage of what follows.
ALL_CAN = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{2,20}?)(?P<full>(?:基本)?都(?:能够|能|可以))(?P<y>[^，,；;。：:]{2,20})"
)
#: "人人拥有规范化的电子健康档案", "所有基层医疗卫生机构都能够提供中医药服务": everyone / every unit.
UNIVERSAL = re.compile(r"(?P<full>人人(?:拥有|享有)|所有)(?P<subj>[^，,；;。：:“”（）()和]{4,30})")
#: "饮用水水源地水质稳定达标": compliance of the subject is full (eq 100).
COMPLIANT = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{4,30}?)(?P<full>(?:稳定|全面|基本)?达标)(?!率)"
)
#: "每个行政村设置 1 个村卫生室": one per unit is full coverage of the units.
EVERY = re.compile(
    r"每个(?P<subj>[\u4e00-\u9fff]{1,8}?)(?:或[^，,；;。]{0,15}?)?"
    r"(?P<full>(?:设置|办好|建成|建有|设立)\s*1\s*(?:个|所|家))(?P<y>[^，,；;。\d]{2,20})"
)
#: "领军人才1人", "拔尖人才8人及以上": a noun directly followed by its count.
COUNT_VALUE = re.compile(
    r"(?P<subj>[\u4e00-\u9fff]{3,12}?)(?P<v>\d+)\s*(?P<unit>人|名|个|家|所|项)(?:及以上|以上)?"
)
NOUN_AFTER = re.compile(r"[\u4e00-\u9fff]{2,16}")
IMPROVING = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{4,30}?)"
    r"(?P<full>明显放缓|显著提高|明显提高|持续下降|显著下降|明显下降|持续改善|明显改善|稳中有降)"
)
#: Shortest tail of a subject matched against the end of a catalogue name.
MIN_SUFFIX = 4


@dataclass(frozen=True)
class Unnamed:
    """A target whose subject is resolved by suffix (``codes``) or proposed (``codes`` empty)."""

    subject: str
    subject_start: int
    reading: Reading
    codes: tuple[str, ...]
    alternatives: tuple[str, ...]
    proposed_unit: str
    proposed_direction: str


def _suffix_codes(vocab: Vocabulary, subject: str, context: str) -> tuple[list[str], list[str]]:
    """Catalogue indicators whose name ends with ``subject``: (best, all), ranked by context."""
    full = normalise_label(subject)
    if len(full) < MIN_SUBJECT:
        return [], []
    names: dict[str, str] = {}
    # "…队伍中40岁及以下人员占比": the subject may carry words the catalogue's name lacks at its
    # start; try shorter tails, down to half the subject (never below MIN_SUFFIX characters).
    for cut in range(0, max(1, len(full) - max(MIN_SUFFIX, len(full) // 2) + 1)):
        key = full[cut:]
        for name, code in vocab.keys.items():
            if name.endswith(key) and not name.isascii():
                names.setdefault(code, name)
        if names:
            break
    if not names:
        return [], []
    ctx = set(normalise_label(context))

    def score(code: str) -> float:
        # share of the rest of the name ("高血压患者" of 高血压患者规范管理率) the paragraph says
        rest = names[code][: -len(key)] if names[code].endswith(key) else names[code]
        return sum(ch in ctx for ch in rest) / len(rest) if rest else 1.0

    ranked = sorted(names, key=lambda c: (-score(c), c))
    top = score(ranked[0])
    if len(ranked) > 1 and top < MIN_CONTEXT:
        return [], ranked  # several names end so, nothing in the text chooses: propose
    return [c for c in ranked if score(c) == top], ranked


def _similar_codes(
    vocab: Vocabulary, subject: str, least: float | None = None, margin: float | None = None
) -> list[str]:
    """The one catalogue indicator whose name uses nearly the same characters as ``subject``
    ("社区居家养老和养老机构的医疗卫生服务" ~ 养老机构和社区居家养老医疗卫生服务覆盖率): character-set
    Jaccard ≥ SIMILAR, the best clearly ahead of the next (else none: never a guess)."""
    subj = set(normalise_label(subject))
    structured = least is not None and least < SIMILAR
    if len(subj) < (MIN_SIMILAR_CHARS - 1 if structured else MIN_SIMILAR_CHARS):
        return []
    scored: dict[str, float] = {}
    for name, code in vocab.keys.items():
        if name.isascii():
            continue
        stem = set(re.sub(f"({'|'.join(SIMILAR_SUFFIXES)})$", "", name))
        score = len(subj & stem) / len(subj | stem)
        scored[code] = max(score, scored.get(code, 0.0))
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    least = SIMILAR if least is None else least
    margin = SIMILAR_MARGIN if margin is None else margin
    if not ranked or ranked[0][1] < least:
        return []
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - margin:
        return []
    return [ranked[0][0]]


def _coverage(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]]
) -> list[Unnamed]:
    """ "实现社区居家养老和养老机构的医疗卫生服务全覆盖" (eq 100) and "商业健康保险赔付支出占医疗
    卫生总费用比重显著提高" (improve): a clause whose subject is a catalogue indicator written in
    other words (see :func:`_similar_codes`)."""
    out = []
    patterns = (
        (COVERAGE, "eq", 100.0),
        (UNIVERSAL, "eq", 100.0),
        (ALL_CAN, "eq", 100.0),
        (QUOTED_GOAL, "eq", 100.0),
        (NONE_LEFT, "eq", 0.0),
        (EVERY, "eq", 100.0),
        (COMPLIANT, "eq", 100.0),
        (FULLY, "eq", 100.0),
        (STANDARD, "eq", 100.0),
        (EACH_UNIT, "eq", 100.0),
        (IMPROVING, "improve", None),
    )
    for pattern, comparator, value in patterns:
        for m in pattern.finditer(doc, start, end):
            if any(a < m.end() and m.start() < b for a, b in used):
                continue
            subject = FILLER.sub("", m.group("subj")).strip() + (m.groupdict().get("y") or "")
            if pattern is COMPLIANT:
                subject += "达标"
            elif pattern is FULLY:
                subject += m.group("verb")
            elif pattern is STANDARD:
                subject += "达到" + m.group("std") + "标准"
            # the clause itself says it is a target; only its name is in other words, so a
            # looser likeness will do when the best name is far ahead of the next
            loose = comparator != "improve"
            # "人人拥有规范化的电子健康档案和功能完备的健康卡": each part its own indicator
            parts = [subject] + (subject.split("和") if pattern is UNIVERSAL else [])
            codes = []
            for part in parts:
                found = (
                    _similar_codes(vocab, part, STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
                    if loose
                    else _similar_codes(vocab, part)
                )
                codes += [c for c in found if c not in codes]
                if found and part is subject:
                    break
            if pattern is NONE_LEFT:  # none left only makes sense of something to get rid of
                codes = [c for c in codes if vocab.indicators[c].direction == "lower_is_better"]
            if not codes:
                continue
            reading = Reading(
                comparator, value, start=m.start("full"), end=m.end("full"), confidence=0.4,
                reason=f"{m.group('full')} → {comparator}; subject in other words than the "
                "catalogue's",
            )  # fmt: skip
            subj_start = m.start("subj") + m.group("subj").find(subject)
            out.append(Unnamed(subject, subj_start, reading, tuple(codes), (), "percent", ""))
    return out


def _shares(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]], para: int
) -> list[Unnamed]:
    """ "95%以上的基层医疗卫生机构具备中医药服务能力" (a share before its subject) and
    "现场排查率 100%" (a rate and its value, no verb), when the subject names a catalogue
    indicator in other words; never proposed (too little says it is a target)."""
    out = []
    for pattern in (SHARE_BEFORE, RATE_VALUE):
        for m in pattern.finditer(doc, start, end):
            if any(a < m.end() and m.start() < b for a, b in used):
                continue
            subject = FILLER.sub("", m.group("subj")).strip()
            codes, _ = _suffix_codes(vocab, subject, doc[para : m.start()])
            if len(codes) != 1:
                codes = _similar_codes(vocab, subject, STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
            if not codes or not vocab.compatible("%", codes[0]):
                continue
            value = float(m.group("v"))
            comp = "ge" if m.group("qual") or value != 100 else "eq"
            reading = Reading(
                comp, value, start=m.start(), end=m.end(), unit_token="%", confidence=0.4,
                reason=f"{m.group(0).strip()} → {comp} {value:g}; subject in other words",
            )  # fmt: skip
            subj_start = m.start("subj") + m.group("subj").find(subject)
            out.append(Unnamed(subject, subj_start, reading, tuple(codes), (), "percent", ""))
    return out


def _counts(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]], para: int
) -> list[Unnamed]:
    """ "领军人才1人，重点高层次人才2人及以上": a noun and its count, no verb, when the noun is the end
    of one catalogue name (…领军人才数), chosen by the paragraph; never proposed."""
    out = []
    for m in COUNT_VALUE.finditer(doc, start, end):
        if any(a < m.end() and m.start() < b for a, b in used):
            continue
        subject = FILLER.sub("", m.group("subj")).strip()
        context = doc[para : m.start()]
        codes = (
            _suffix_codes(vocab, subject + "数", context)[0]
            or _suffix_codes(vocab, subject, context)[0]
        )
        if len(codes) != 1:
            continue
        value = float(m.group("v"))
        reading = Reading(
            "ge", value, start=m.start("v"), end=m.end(), unit_token=m.group("unit"),
            confidence=0.4, reason=f"{m.group(0).strip()} → ge {value:g}; noun is the end of "
            f"the catalogue's name",
        )  # fmt: skip
        subj_start = m.start("subj") + m.group("subj").find(subject)
        out.append(Unnamed(subject, subj_start, reading, tuple(codes), (), "persons", ""))
    return out


def _measures(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]]
) -> list[Unnamed]:
    """ "急救半径3-5公里" (range), "至少有一所医院达到三级甲等水平" (ge 1): a measure or a count
    whose noun names a catalogue indicator in other words."""
    out = []
    for pattern in (RADIUS, AT_LEAST):
        for m in pattern.finditer(doc, start, end):
            if any(a < m.end() and m.start() < b for a, b in used):
                continue
            subject = m.group("subj") + (m.groupdict().get("y") or "")
            codes: list[str] = []
            # "实现主城区急救半径": the measured thing is the end of the words before 半径
            for cut in range(0, max(1, len(subject) - 3)):
                codes = _similar_codes(vocab, subject[cut:], STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
                if codes or pattern is not RADIUS:
                    break
            if not codes:
                continue
            if pattern is RADIUS:
                low, up = float(m.group("v")), float(m.group("up"))
                reading = Reading("range", low, up, start=m.start("v"), end=m.end(), confidence=0.4,
                                  unit_token="公里", reason=f"{m.group(0)} → range")  # fmt: skip
            else:
                n = float(CN_COUNT.get(m.group("v"), m.group("v")))
                reading = Reading("ge", n, start=m.start(), end=m.end(), confidence=0.4,
                                  reason=f"{m.group(0)} → at least {n:g}")  # fmt: skip
            out.append(Unnamed(subject, m.start("subj"), reading, tuple(codes), (), "", ""))
    return out


def _covers(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]]
) -> list[Unnamed]:
    """ "五大数据库覆盖全市 80%以上人口" (ge 80), "远程会诊等覆盖全部基层医疗机构" (eq 100): what
    covers what, named through the catalogue's likeness of subject + 覆盖 + object."""
    out = []
    for m in COVERS.finditer(doc, start, end):
        if any(a < m.end() and m.start() < b for a, b in used):
            continue
        subject = FILLER.sub("", m.group("subj")).strip()
        # the covering thing may be the last of several words ("…面向基层的远程医疗")
        last = re.split(r"[的和、及与]", subject.rstrip("等"))[-1]
        codes = []
        for subj in (subject, last):
            whole = f"{subj}覆盖{m.group('obj')}"
            codes = _similar_codes(vocab, whole, STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
            if codes:
                break
        if not codes:
            continue
        value = float(m.group("v")) if m.group("v") else 100.0
        comp = "eq" if value == 100 and not m.group("qual") else "ge"
        reading = Reading(
            comp, value, start=m.start("cov"), end=m.end(), confidence=0.4, unit_token="%",
            reason=f"{m.group(0).strip()} → {comp} {value:g}; subject in other words",
        )  # fmt: skip
        subj_start = m.start("subj") + m.group("subj").find(subject)
        out.append(Unnamed(subject, subj_start, reading, tuple(codes), (), "percent", ""))
    return out


def _epidemics(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]]
) -> list[Unnamed]:
    """ "加强艾滋病检测…，疫情保持在低流行水平", "肺结核疫情持续下降": the epidemic of the disease
    named last before it, measured by the catalogue's incidence or prevalence of that disease."""
    out = []
    diseases: dict[str, str] = {}
    for code, ind in vocab.indicators.items():
        m = RATE_OF_DISEASE.match(ind.name_zh)
        if m:
            diseases.setdefault(m.group("disease"), code)
    for m in EPIDEMIC.finditer(doc, start, end):
        if any(a < m.end() and m.start() < b for a, b in used):
            continue
        before = doc[start : m.start()]
        named = [(before.rfind(d), d) for d in diseases if d in before]
        if not named:
            continue
        pos, disease = max(named)
        comparator = "maintain" if "流行水平" in m.group(0) else "improve"
        reading = Reading(
            comparator, start=m.start(), end=m.end(), confidence=0.4,
            reason=f"{m.group(0)}: the epidemic of {disease} named before it → {comparator}",
        )  # fmt: skip
        subject = doc[start + pos : m.start()]
        out.append(Unnamed(subject, start + pos, reading, (diseases[disease],), (), "", ""))
    return out


def find_unnamed(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]], para: int
) -> list[Unnamed]:
    """Targets in ``doc[start:end]`` outside the ``used`` spans (see the module docstring)."""
    mentioned = list(used)
    out = _coverage(doc, start, end, vocab, used) + _shares(doc, start, end, vocab, used, para)
    out += _epidemics(doc, start, end, vocab, used) + _covers(doc, start, end, vocab, used)
    out += _measures(doc, start, end, vocab, used)
    out += _counts(
        doc, start, end, vocab, used + [(u.subject_start, u.reading.end) for u in out], para
    )
    used = used + [(u.subject_start, u.reading.end) for u in out]
    for m in CLAUSE.finditer(doc, start, end):
        if any(a < m.end() and m.start() < b for a, b in used):
            continue
        subject = FILLER.sub("", m.group("subj")).strip()
        if len(normalise_label(subject)) < MIN_SUBJECT or re.search(r"\d{4}", subject):
            continue
        subj_start = m.start("subj") + m.group("subj").find(subject)
        direction = "lower_is_better" if m.group("verb") in FALL_VERBS else "higher_is_better"
        reading = find_reading(doc[m.start("verb") : end], direction, m.start("verb"))
        if reading is None or reading.value is None or reading.start - m.end("verb") > 3:
            continue
        codes, ranked = _suffix_codes(vocab, subject, doc[para:subj_start])
        if not codes:
            # the catalogue's name may include the verb (完成率), the unit (培训人次) or the noun
            # after the value ("镇卫生院每万常住人口配置15~18名医疗卫生技术人员")
            after = NOUN_AFTER.match(doc, reading.end, end)
            for extra in ("", m.group("verb"), reading.unit_token or "", after and after.group(0)):
                codes = _similar_codes(vocab, subject + (extra or ""))
                if codes:
                    break
        others = tuple(c for c in ranked if c not in codes)
        if codes:
            dirs = {vocab.indicators[c].direction for c in codes}
            if len(dirs) == 1 and next(iter(dirs)) != direction:
                reading = find_reading(doc[m.start("verb") : end], dirs.pop(), m.start("verb"))
                if reading is None or reading.value is None:
                    continue
        reading = replace(reading, confidence=min(reading.confidence, 0.5))
        out.append(
            Unnamed(
                subject=subject,
                subject_start=subj_start,
                reading=reading,
                codes=tuple(codes),
                alternatives=others,
                proposed_unit=UNIT_OF.get(reading.unit_token or "", "count"),
                proposed_direction=direction,
            )
        )
    # a value a catalogue mention already read is that mention's, whatever precedes it
    return [
        u for u in out if not any(a < u.reading.end and u.reading.start < b for a, b in mentioned)
    ]
