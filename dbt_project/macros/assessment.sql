{#- Shorthands of the assessment models (int_assessment_*): the one requirement of a row is
    its required_* columns (from the generated comparator macros). -#}

{#- value meets the row's requirement (null when it cannot be judged) -#}
{%- macro meets_required(value) -%}
    {{ threshold_met(value, 'required_lower', 'required_lower_inclusive', 'required_upper', 'required_upper_inclusive') }}
{%- endmacro %}

{#- false when value lies beyond the row's lower bound / upper bound (an interval end clear of it) -#}
{%- macro clears_lower(value) -%}
    {{ threshold_met(value, 'required_lower', 'required_lower_inclusive', 'null', 'null') }}
{%- endmacro %}

{%- macro clears_upper(value) -%}
    {{ threshold_met(value, 'null', 'null', 'required_upper', 'required_upper_inclusive') }}
{%- endmacro %}

{#- how much better `a` is than `b` in the indicator's direction (closer to `center` for
    target_range); null for an unknown direction -#}
{%- macro better_by(a, b, center) -%}
    (case
        when direction = 'higher_is_better' then {{ a }} - {{ b }}
        when direction = 'lower_is_better' then {{ b }} - {{ a }}
        when direction = 'target_range' then abs({{ b }} - {{ center }}) - abs({{ a }} - {{ center }})
    end)
{%- endmacro %}

{#- standard error from a 95 % interval: (upper − lower) / (2 · 1.96) -#}
{%- macro se_from_ci(lower, upper) -%}
    (({{ upper }} - {{ lower }}) / (2 * {{ z_95() }}))
{%- endmacro %}

{#- Healthy People 2030's change status of `gain` (how much better, z its z score when both
    points have standard errors; else the no-SE fallback: a change of at least `pct` % of
    `relative_to`): improving | worsening | no_detectable_change | null -#}
{%- macro hp_change(gain, z, relative_to, pct) -%}
    (case
        when {{ gain }} is null then null
        when {{ z }} is not null
            then (case
                when {{ z }} > {{ var('trend_z', 1.645) }} then 'improving'
                when {{ z }} < -{{ var('trend_z', 1.645) }} then 'worsening'
                else 'no_detectable_change'
            end)
        when {{ relative_to }} is null or {{ relative_to }} = 0 then null
        when 100 * {{ gain }} / abs({{ relative_to }}) >= {{ pct }} then 'improving'
        when 100 * {{ gain }} / abs({{ relative_to }}) <= -{{ pct }} then 'worsening'
        else 'no_detectable_change'
    end)
{%- endmacro %}

{#- the better of two values in the indicator's direction (either when the other is null; null
    for target_range / unknown direction) -#}
{%- macro better_of(a, b) -%}
    (case
        when direction = 'higher_is_better' then greatest(coalesce({{ a }}, {{ b }}), coalesce({{ b }}, {{ a }}))
        when direction = 'lower_is_better' then least(coalesce({{ a }}, {{ b }}), coalesce({{ b }}, {{ a }}))
    end)
{%- endmacro %}
