"""SQL rendering of the comparator rules (:mod:`pipelines.rules.comparators`) into the dbt macros
``dbt_project/macros/generated/comparator_bounds.sql``.

Every macro is rendered from the objects that the Python evaluation uses (rules, bound sides,
reference and target-point tables), so a rule has one definition; a test proves the committed
file equals a fresh render and another evaluates the macros in DuckDB against Python.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.config import DBT_PROJECT_DIR
from pipelines.rules.comparators import (
    AND_WORD,
    COMPARATORS,
    CONTINUOUS_COMPARATORS,
    DEFAULT_ABOUT_TOLERANCE_PCT,
    EQUALS_WORD,
    INPUTS,
    LOWER_SIDE,
    RANGE_DASH,
    REFERENCE_OF,
    RELATIVE_COMPARATORS,
    RULES,
    TARGET_POINTS,
    UPPER_SIDE,
    BoundSide,
    Rule,
    Side,
)

#: Committed output of :func:`render_dbt_macros`.
MACRO_PATH: Path = DBT_PROJECT_DIR / "macros" / "generated" / "comparator_bounds.sql"

#: SQL of :func:`pipelines.rules.comparators.format_number` (C ``%g``): the dbt macro
#: number_text (macros/cross_engine), which is DuckDB's format('{:g}') and its Spark equivalent.
_NUMBER = "{{{{ number_text({x}) }}}}"


def _threshold_met_macro() -> str:
    v, lo, lo_inc = "{{ value }}", "{{ lower }}", "{{ lower_inclusive }}"
    hi, hi_inc = "{{ upper }}", "{{ upper_inclusive }}"
    return (
        "{#- true iff value lies within the bounds; null when value or both bounds are null -#}\n"
        "{%- macro threshold_met(value, lower, lower_inclusive, upper, upper_inclusive) -%}\n"
        "    case\n"
        f"        when {v} is null or ({lo} is null and {hi} is null) then null\n"
        "        else\n"
        f"            {LOWER_SIDE.satisfied_sql(v, lo, lo_inc)}\n"
        f"            and {UPPER_SIDE.satisfied_sql(v, hi, hi_inc)}\n"
        "    end\n"
        "{%- endmacro %}\n"
    )


def _gap_macro() -> str:
    v, lo, hi = "{{ value }}", "{{ lower }}", "{{ upper }}"
    lower, upper = LOWER_SIDE.distance_sql(v, lo), UPPER_SIDE.distance_sql(v, hi)
    return (
        "{#- signed gap in the good direction: min(value - lower, upper - value) -#}\n"
        "{%- macro bounds_gap(value, lower, upper) -%}\n"
        "    case\n"
        f"        when {v} is null then null\n"
        f"        when {lo} is not null and {hi} is not null\n"
        f"            then least({lower}, {upper})\n"
        f"        when {lo} is not null then {lower}\n"
        f"        when {hi} is not null then {upper}\n"
        "    end\n"
        "{%- endmacro %}\n"
    )


def _symbol_sql(side: BoundSide, inclusive: str) -> str:
    return f"(case when {inclusive} then '{side.symbol(True)}' else '{side.symbol(False)}' end)"


def _requirement_text_macro() -> str:
    lo, lo_inc = "{{ lower }}", "{{ lower_inclusive }}"
    hi, hi_inc = "{{ upper }}", "{{ upper_inclusive }}"
    lo_num, hi_num = _NUMBER.format(x=lo.strip("{} ")), _NUMBER.format(x=hi.strip("{} "))
    lo_txt = f"{_symbol_sql(LOWER_SIDE, lo_inc)} || {lo_num}"
    hi_txt = f"{_symbol_sql(UPPER_SIDE, hi_inc)} || {hi_num}"
    return (
        "{#- threshold text such as '≥ 95', '103–107', '= 100' (numbers as C %g) -#}\n"
        "{%- macro requirement_text(lower, lower_inclusive, upper, upper_inclusive) -%}\n"
        "    case\n"
        f"        when {lo} is null and {hi} is null then null\n"
        f"        when {hi} is null\n"
        f"            then {lo_txt}\n"
        f"        when {lo} is null\n"
        f"            then {hi_txt}\n"
        f"        when {lo_inc} and {hi_inc} and {lo} = {hi}\n"
        f"            then '{EQUALS_WORD}' || {lo_num}\n"
        f"        when {lo_inc} and {hi_inc}\n"
        f"            then {lo_num} || '{RANGE_DASH}' || {hi_num}\n"
        "        else\n"
        f"            {lo_txt}\n"
        f"            || '{AND_WORD}'\n"
        f"            || {hi_txt}\n"
        "    end\n"
        "{%- endmacro %}\n"
    )


_MACRO_PARAMS = "comparator, target_value, target_upper, tolerance_pct, reference_value, direction"


def _ordered_rules() -> list[tuple[str, str | None, Rule]]:
    """Direction-specific rules before each comparator's fallback (SQL ``case`` order)."""
    ordered = sorted(RULES.items(), key=lambda item: item[0][1] is None)  # stable: keeps order
    return [(c, d, r) for (c, d), r in ordered]


def _case(part: str) -> str:
    """SQL ``case`` expression (jinja placeholders for the inputs) for one bound part."""
    args = {name: "{{ " + name + " }}" for name in INPUTS}
    side_name, attr = part.split("_", 1) if "_" in part else (part, "value")
    lines = ["case"]
    for comparator, direction, rule in _ordered_rules():
        side: Side | None = getattr(rule, side_name)
        cond = f"{{{{ comparator }}}} = '{comparator}'"
        if direction is not None:
            cond += f" and {{{{ direction }}}} = '{direction}'"
        if side is None:
            expr = "null"
        elif attr == "value":
            expr = side.expr.sql(args)
        else:
            flag = "true" if side.inclusive else "false"
            expr = f"case when {side.expr.sql(args)} is null then null else {flag} end"
        lines.append(f"        when {cond} then {expr}")
    lines.append("    end")
    return "\n".join(lines)


def render_dbt_macros() -> str:
    """Text of ``dbt_project/macros/generated/comparator_bounds.sql`` (do not edit that file)."""
    parts = ("lower", "lower_inclusive", "upper", "upper_inclusive")
    bodies = []
    for part in parts:
        bodies.append(
            f"{{%- macro comparator_{part}({_MACRO_PARAMS}) -%}}\n"
            f"    {_case(part)}\n"
            "{%- endmacro %}\n"
        )
    header = (
        "{#- GENERATED by `python -m pipelines.rules.render` from pipelines/rules/comparators.py.\n"
        "    Do not edit: change the rules there and re-render (a test checks this file is current).\n"
        "    Each macro takes SQL expressions and returns one part of the required bounds. -#}\n"
    )
    tolerance = (
        "{%- macro default_about_tolerance_pct() -%}\n"
        f"    {DEFAULT_ABOUT_TOLERANCE_PCT!r}\n"
        "{%- endmacro %}\n"
    )
    met = _threshold_met_macro()
    gap_macro = _gap_macro()
    text_macro = _requirement_text_macro()
    return "\n".join(
        [header, tolerance, *bodies, met, gap_macro, text_macro, *_classification_macros()]
    )


def _in_list(names: frozenset[str] | set[str]) -> str:
    return ", ".join(f"'{n}'" for n in sorted(names))


def _classification_macros() -> list[str]:
    """Macros for which comparators are relative / continuous, which value a reference-based
    comparator is measured against, and the point a target aims at — so no model re-lists them."""
    sets = [
        (
            "{#- true for comparators measured against the value in relative_to_year -#}\n"
            "{%- macro comparator_is_relative(comparator) -%}\n"
            f"    ({{{{ comparator }}}} in ({_in_list(RELATIVE_COMPARATORS)}))\n"
            "{%- endmacro %}\n"
        ),
        (
            "{#- true for comparators judged continuously (maintain, improve): never projected -#}\n"
            "{%- macro comparator_is_continuous(comparator) -%}\n"
            f"    ({{{{ comparator }}}} in ({_in_list(CONTINUOUS_COMPARATORS)}))\n"
            "{%- endmacro %}\n"
        ),
    ]
    ref_params = sorted(set(REFERENCE_OF.values()))
    ref_lines = ["case"]
    for ref in ref_params:
        comps = {c for c, r in REFERENCE_OF.items() if r == ref}
        ref_lines.append(
            f"        when {{{{ comparator }}}} in ({_in_list(comps)}) then {{{{ {ref} }}}}"
        )
    ref_lines.append("    end")
    reference = (
        "{#- the value a reference-based comparator is measured against (REFERENCE_OF) -#}\n"
        f"{{%- macro comparator_reference_value(comparator, {', '.join(ref_params)}) -%}}\n"
        f"    {chr(10).join(ref_lines)}\n"
        "{%- endmacro %}\n"
    )
    args = {name: "{{ " + name + " }}" for name in (*INPUTS, "baseline_value")}
    point_lines = ["case"]
    for comparator in COMPARATORS:
        expr = TARGET_POINTS[comparator]
        if expr is not None:
            point_lines.append(
                f"        when {{{{ comparator }}}} = '{comparator}' then {expr.sql(args)}"
            )
    point_lines.append("    end")
    point = (
        "{#- the value a target aims at, for PTCA (TARGET_POINTS): never a tolerance bound -#}\n"
        "{%- macro comparator_target_point(comparator, target_value, target_upper, "
        "reference_value, baseline_value) -%}\n"
        f"    {chr(10).join(point_lines)}\n"
        "{%- endmacro %}\n"
    )
    names = (
        "{#- every comparator (COMPARATORS): the accepted values the YAML tests read -#}\n"
        "{%- macro comparator_names() -%}\n"
        f"    {{{{ return({list(COMPARATORS)!r}) }}}}\n"
        "{%- endmacro %}\n"
    )
    return [*sets, reference, point, names]


def write_dbt_macros(path: Path = MACRO_PATH) -> Path:
    """Render :func:`render_dbt_macros` to ``path`` (default: the committed macro file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_dbt_macros(), encoding="utf-8")
    return path
