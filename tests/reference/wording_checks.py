"""Checks that a target's comparator matches the kind of statement it is quoted from.

- A 保持 / 稳定 / 维持 statement without a number (保持国家卫生城市全覆盖, 饮用水水源地水质稳定达标)
  asks to keep a level already reached: ``maintain`` (or a normal range, 保持自然平衡), never an
  exact value (``eq``).
- Every phrase of a class the curated frameworks once missed (service circles, skills per
  adolescent, named groups, percentage points) is either quoted by a target of its plan or
  listed in :data:`NOT_TARGETS` with the reason it states no measurable requirement.
"""

from __future__ import annotations

import re

from seed_tables import Seeds

HOLD_WORDS = ("保持", "稳定", "维持")
#: Phrase classes that must each be accounted for (issue 19, "the last gaps").
PHRASE_CLASSES: dict[str, re.Pattern[str]] = {
    "service circle": re.compile(r"\d+\s*(?:分钟|小时)[^，。；、\s]{0,12}?圈"),
    "skills per adolescent": re.compile(
        r"青少年[^，。；]{0,6}掌握[^，。；]{0,6}项以上体育运动技能"
    ),
    "named groups": re.compile(r"建档立卡[^，。；、]{0,8}"),
    "percentage points": re.compile(r"\d+\s*[—\-~～]?\s*\d*\s*个百分点"),
}
#: (plan_id, phrase) that state no measurable requirement, with the reason (docs/reference-data.md).
NOT_TARGETS: dict[tuple[str, str], str] = {
    (
        "jy_action_2018",
        "10分钟体育健身圈",
    ): "优化…建设内涵: improves the circle's content, no coverage",
    ("jy_fyp14", "15分钟健康服务圈"): "提质增效 / 完善: quality of an existing circle, no coverage",
    ("nantong_2030", "建档立卡低收入人口"): "加大保障力度: more support, no measurable level",
}


def check_hold_statements_not_exact(seeds: Seeds) -> list[str]:
    """A 保持/稳定/维持 quote without a number is not typed as an exact value (eq)."""
    return [
        f"{t['target_id']}: {t['source_quote']!r} keeps a level (保持/稳定/维持, no number) "
        f"but is typed eq {t['target_value']}; use maintain"
        for t in seeds.rows("plan_targets")
        if t["comparator"] == "eq"
        and any(w in t["source_quote"] for w in HOLD_WORDS)
        and not re.search(r"\d", t["source_quote"])
    ]


def check_phrase_classes_accounted(seeds: Seeds) -> list[str]:
    """Every service circle, skills-per-adolescent, named-group and percentage-point phrase of
    a plan text lies inside a target's quote of that plan, or is listed in NOT_TARGETS."""
    problems = []
    for plan in seeds.rows("plans"):
        text = seeds.texts.get(plan["source_file"])
        if text is None:
            continue
        quotes = [t["source_quote"] for t in seeds.rows("plan_targets")
                  if t["plan_id"] == plan["plan_id"]]  # fmt: skip
        spans = [
            (m.start(), m.start() + len(q)) for q in quotes for m in re.finditer(re.escape(q), text)
        ]
        for name, pattern in PHRASE_CLASSES.items():
            for m in pattern.finditer(text):
                if any(a <= m.start() and m.end() <= b for a, b in spans):
                    continue
                if any(p == plan["plan_id"] and phrase in m.group(0)
                       for p, phrase in NOT_TARGETS):  # fmt: skip
                    continue
                problems.append(
                    f"{plan['plan_id']}: {name} phrase {m.group(0)!r} is in no target's quote "
                    f"and not listed in NOT_TARGETS"
                )
    return problems


WORDING_CHECKS = (check_hold_statements_not_exact, check_phrase_classes_accounted)
