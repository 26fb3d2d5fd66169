{#- WHO SDG 3.4.1 (assessment-methods §A3): from 5-year age-specific death rates M_x of the four
    NCD groups for x = 30, 35, …, 65: 5q_x = 5·M_x / (1 + 2.5·M_x), 40q30 = 1 − Π(1 − 5q_x).
    Check value: M = (.001, .0015, .0025, .004, .006, .009, .013, .019) → 0.2443. -#}
{%- macro sdg341_5qx(m) -%}
    (5.0 * {{ m }} / (1 + 2.5 * {{ m }}))
{%- endmacro %}

{#- Delta-method variance of 5q_x given deaths D and population P (Var(M) = D / P²):
    (dq/dM)² · Var(M) with dq/dM = 5 / (1 + 2.5·M)². -#}
{%- macro sdg341_var_5qx(deaths, population) -%}
    (pow(5.0 / pow(1 + 2.5 * ({{ deaths }} / {{ population }}), 2), 2) * {{ deaths }} / pow({{ population }}, 2))
{%- endmacro %}
