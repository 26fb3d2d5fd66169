"""Clauses whose form states a target, naming their indicator in the plan's own words.

"…全覆盖", "每个行政村设置1个村卫生室", "…稳定达标", "人人拥有…", "实现“污水零直排”", "实现无暴露垃圾",
"X覆盖全市80%以上人口", "至少有一所医院达到三级甲等水平", "急救半径3-5公里", "95%以上的…",
"…率 100%", "领军人才1人", "艾滋病…疫情保持在低流行水平": the form says what the target is; the
indicator is the catalogue name the subject is most like (:mod:`pipelines.extract.likeness`),
flagged for review. Nothing here proposes a new indicator.
"""

from __future__ import annotations

import re

from pipelines.extract.likeness import (
    FILLER,
    STRUCTURED_MARGIN,
    STRUCTURED_SIMILAR,
    Unnamed,
    similar_codes,
    suffix_codes,
)
from pipelines.extract.phrases import Reading
from pipelines.extract.vocabulary import Vocabulary

__all__ = ["structured_targets"]

COVERAGE = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()]{4,30}?)(?P<full>(?:实现|基本实现)?(?:全覆盖|全面覆盖))"
)
SHARE_BEFORE = re.compile(
    r"(?<![\d.])(?P<v>\d+(?:\.\d+)?)\s*[%％](?P<qual>以上)?的?(?P<subj>[\u4e00-\u9fff][^，,；;。：:]{3,30})"
)
RATE_VALUE = re.compile(
    r"(?P<subj>[^，,；;。：:“”（）()\d]{3,30}?率)\s*(?P<v>\d+(?:\.\d+)?)\s*[%％](?P<qual>以上)?"
)
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


#: The clause shapes :func:`_coverage` reads, with the comparator and value each one means.
_COVERAGE_PATTERNS = (
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


def _coverage_subject(pattern: re.Pattern[str], m: re.Match[str]) -> str:
    """The subject of a coverage clause, with the words its pattern folds into the name."""
    subject = FILLER.sub("", m.group("subj")).strip() + (m.groupdict().get("y") or "")
    if pattern is COMPLIANT:
        subject += "达标"
    elif pattern is FULLY:
        subject += m.group("verb")
    elif pattern is STANDARD:
        subject += "达到" + m.group("std") + "标准"
    return subject


def _coverage_codes(
    pattern: re.Pattern[str], subject: str, loose: bool, vocab: Vocabulary
) -> list[str]:
    """The catalogue indicators ``subject`` names in other words."""
    # "人人拥有规范化的电子健康档案和功能完备的健康卡": each part its own indicator
    parts = [subject] + (subject.split("和") if pattern is UNIVERSAL else [])
    codes: list[str] = []
    for part in parts:
        found = (
            similar_codes(vocab, part, STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
            if loose
            else similar_codes(vocab, part)
        )
        codes += [c for c in found if c not in codes]
        if found and part is subject:
            break
    if pattern is NONE_LEFT:  # none left only makes sense of something to get rid of
        codes = [c for c in codes if vocab.indicators[c].direction == "lower_is_better"]
    return codes


def _coverage(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]]
) -> list[Unnamed]:
    """ "实现社区居家养老和养老机构的医疗卫生服务全覆盖" (eq 100) and "商业健康保险赔付支出占医疗
    卫生总费用比重显著提高" (improve): a clause whose subject is a catalogue indicator written in
    other words (see :func:`_similar_codes`)."""
    out = []
    for pattern, comparator, value in _COVERAGE_PATTERNS:
        for m in pattern.finditer(doc, start, end):
            if any(a < m.end() and m.start() < b for a, b in used):
                continue
            subject = _coverage_subject(pattern, m)
            # the clause itself says it is a target; only its name is in other words, so a
            # looser likeness will do when the best name is far ahead of the next
            codes = _coverage_codes(pattern, subject, comparator != "improve", vocab)
            if not codes:
                continue
            comp, val = comparator, value
            if pattern is COMPLIANT and m.group("full").startswith("稳定"):
                comp, val = "maintain", None  # 稳定达标: keep compliance (保持/稳定)
            reading = Reading(
                comp, val, start=m.start("full"), end=m.end("full"), confidence=0.4,
                reason=f"{m.group('full')} → {comp}; subject in other words than the "
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
            codes, _ = suffix_codes(vocab, subject, doc[para : m.start()])
            if len(codes) != 1:
                codes = similar_codes(vocab, subject, STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
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
            suffix_codes(vocab, subject + "数", context)[0]
            or suffix_codes(vocab, subject, context)[0]
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
                codes = similar_codes(vocab, subject[cut:], STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
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
            codes = similar_codes(vocab, whole, STRUCTURED_SIMILAR, STRUCTURED_MARGIN)
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


def structured_targets(
    doc: str, start: int, end: int, vocab: Vocabulary, used: list[tuple[int, int]], para: int
) -> list[Unnamed]:
    """Every clause of ``doc[start:end]`` whose form states a target, outside ``used``."""
    out = _coverage(doc, start, end, vocab, used) + _shares(doc, start, end, vocab, used, para)
    out += _epidemics(doc, start, end, vocab, used) + _covers(doc, start, end, vocab, used)
    out += _measures(doc, start, end, vocab, used)
    claimed = used + [(u.subject_start, u.reading.end) for u in out]
    return out + _counts(doc, start, end, vocab, claimed, para)
