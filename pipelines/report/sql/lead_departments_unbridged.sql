-- Each target's lead department as the assessment names it, for a warehouse without the bridge
-- marts.dim_target_department (one department per target; $no_lead where the plan names none).
select distinct
    target_id,
    coalesce(lead_department, $no_lead) as department
from marts.fct_target_assessment
