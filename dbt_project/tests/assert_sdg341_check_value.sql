-- WHO's SDG 3.4.1 check value: M = (.001, .0015, .0025, .004, .006, .009, .013, .019) for
-- ages 30-34 … 65-69 gives 40q30 = 0.2443, through the same macro the model uses.
with rates as (
    select cast(v.m as double) as m
    from (values (0.001), (0.0015), (0.0025), (0.004), (0.006), (0.009), (0.013), (0.019)) as v (m)
),

result as (
    select 1 - {{ product_of('1 - ' ~ sdg341_5qx('m')) }} as q_40_30
    from rates
)

select q_40_30
from result
where round(q_40_30, 4) != 0.2443
