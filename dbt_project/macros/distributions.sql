{#- Distribution functions in portable SQL (exp, sqrt, abs only), for the assessment's
    prediction intervals and probabilities (docs/verdicts.md#progress). tests/rules checks them
    against scipy. -#}

{#- Standard normal CDF, Abramowitz & Stegun 26.2.17 (absolute error < 7.5e-8). -#}
{%- macro normal_cdf(z) -%}
    (case
        when {{ z }} is null then null
        else 0.5 + sign({{ z }}) * (0.5 - exp(-0.5 * ({{ z }}) * ({{ z }})) / 2.5066282746310002
            * (0.319381530 * {{ _as_t(z) }}
                - 0.356563782 * pow({{ _as_t(z) }}, 2)
                + 1.781477937 * pow({{ _as_t(z) }}, 3)
                - 1.821255978 * pow({{ _as_t(z) }}, 4)
                + 1.330274429 * pow({{ _as_t(z) }}, 5)))
    end)
{%- endmacro %}

{%- macro _as_t(z) -%}(1.0 / (1.0 + 0.2316419 * abs({{ z }}))){%- endmacro %}

{#- Student t CDF with df degrees of freedom: exact for df = 1 (Cauchy) and df = 2; from df = 3
    through the normal deviate z = t (1 − 1/(4 df)) / sqrt(1 + t²/(2 df)) (Abramowitz & Stegun
    26.7.8 family; within 0.015 of the exact CDF at df = 3, 0.005 at df = 5, 0.001 at df = 10). -#}
{%- macro t_cdf(t, df) -%}
    (case
        when {{ df }} = 1 then 0.5 + atan({{ t }}) / pi()
        when {{ df }} = 2 then 0.5 + ({{ t }}) / (2 * sqrt(2 + ({{ t }}) * ({{ t }})))
        else {{ normal_cdf('((' ~ t ~ ') * (1 - 1.0 / (4 * (' ~ df ~ '))) / sqrt(1 + (' ~ t ~ ') * (' ~ t ~ ') / (2.0 * (' ~ df ~ '))))') }}
    end)
{%- endmacro %}

{#- Two-sided 95 % quantile of Student's t (t(0.975; df)), exact to 3 decimals for df 1–30,
    the normal quantile above. -#}
{%- macro t_975(df) -%}
    {%- set q = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042] -%}
    cast(case
        {%- for v in q %}
        when {{ df }} = {{ loop.index }} then {{ v }}
        {%- endfor %}
        when {{ df }} > {{ q | length }} then {{ z_95() }}
    end as double)
{%- endmacro %}
