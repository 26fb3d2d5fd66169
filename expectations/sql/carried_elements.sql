-- The failing elements of a suite's baseline run that stand for the regions a scoped run does not
-- re-validate (expectations/carry_forward.py): every element row (row kind 'element') with a
-- region outside the re-validated ones (a row without a region is always re-validated).
-- Template: the baseline placeholder is baseline_rows.sql; parameters: its own and the
-- re-validated regions (a list).
select *
from ({baseline}) as baseline
where region_id is not null and not list_contains($regions, region_id)
