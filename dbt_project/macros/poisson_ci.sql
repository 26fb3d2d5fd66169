{#- 95 % confidence limit of a Poisson count (assessment-methods §A3; pipelines/rules/poisson.py):
    exact (Garwood) limits from the seed poisson_exact_limits for counts below 10, Byar's
    approximation from 10 on. `bound` is 'lower' or 'upper'; the result is a count — divide by the
    denominator (and convert the unit) to get rate limits. -#}
{%- macro poisson_ci(observed, bound) -%}
    {%- if bound not in ('lower', 'upper') -%}
        {{ exceptions.raise_compiler_error("poisson_ci: bound must be 'lower' or 'upper', got " ~ bound) }}
    {%- endif -%}
    case
        when {{ observed }} is null or {{ observed }} < 0 then null
        {# uncorrelated lookup: a correlated subquery could capture a column named like the seed's #}
        when {{ observed }} < 10
            then {{ list_item(
                '(select ' ~ ordered_list('pel.' ~ bound, 'pel.observed') ~ ' from ' ~ ref('poisson_exact_limits') ~ ' as pel)',
                'cast(round(' ~ observed ~ ') as integer) + 1'
            ) }}
        {%- if bound == 'lower' %}
        else {{ observed }} * pow(1 - 1 / (9.0 * {{ observed }}) - {{ z_95() }} / (3 * sqrt({{ observed }})), 3)
        {%- else %}
        else ({{ observed }} + 1)
            * pow(1 - 1 / (9.0 * ({{ observed }} + 1)) + {{ z_95() }} / (3 * sqrt({{ observed }} + 1)), 3)
        {%- endif %}
    end
{%- endmacro %}

{#- Two-sided 95 % standard-normal quantile (scipy.stats.norm.ppf(0.975)). -#}
{%- macro z_95() -%}1.959963984540054{%- endmacro %}
