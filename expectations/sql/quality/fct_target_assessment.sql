-- Frame of the quality__fct_target_assessment suite: every assessment row, current or not.
-- Template: the columns placeholder becomes the columns the suite reads
-- (quality_suites.ASSESSMENT_COLUMNS, aliased o.), or o.* when they are not known.
-- No ORDER BY (2 M rows at national scale): the failing rows are sorted by the key instead.
select {columns}
from marts.fct_target_assessment as o
