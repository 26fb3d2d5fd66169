"""The report's rows: one missed target × region, and everything the renderers need.

A row is one missed target × region from a GX target validation run
(`monitoring.validation_results`, `row_kind = 'element'`), enriched from the latest
`marts.fct_target_assessment` row (gap, status, trend, projection, data year …), the lead
departments (`marts.dim_target_department`, one per joint lead), the validation history ("failing
since", `pipelines.history`), the reference tables (plan title, region and indicator names, unit
label) and the indicator's yearly values for the region with each point's source and data nature
(`marts.fct_indicator_observation`) for the trend chart.

Read by :func:`pipelines.report.load.load_report_data`; the queries are in
:mod:`pipelines.report.queries`, one row is built by :mod:`pipelines.report.row_builder`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

#: Statuses whose verdict is a projection to the target year (the target year is still ahead).
PROJECTED_STATUSES = ("on_track", "off_track")


@dataclass
class ReportRow:
    """One missed target in one region."""

    plan_id: str
    plan_title: str
    lead_department: str  # every lead department, joined with "；"
    nature: str
    severity: str
    target_id: str
    indicator_code: str
    indicator_name: str
    unit: str  # the unit's Chinese label
    comparator: str
    target_year: int | None
    target_text: str
    source_quote: str
    source_section: str
    region_id: str
    region_name: str
    assessment_year: int | None
    latest_year: int | None
    latest_value: float | None
    verdict_value: float | None
    verdict_basis: str  # "observed" or "projected"
    threshold: str
    required_lower: float | None
    required_upper: float | None
    gap: float | None
    status: str
    trend: str
    illustrative: bool
    data_nature: str
    unit_code: str = ""
    gap_pct: float | None = None  # gap as % of the required level
    target_value: float | None = None
    projected_value: float | None = None
    projection_method: str = ""
    projected_lower: float | None = None  # interval of the projection, where the method gives one
    projected_upper: float | None = None
    trend_method: str = ""
    progress_class: str = ""  # open-sdg / ESCAP progress-ratio class, where computed
    latest_ci_lower: float | None = None
    latest_ci_upper: float | None = None
    latest_source: str = ""
    data_age_years: int | None = None
    failing_since: str = ""  # ISO timestamp (UTC) of the first failing validation of the streak
    failing_validations: int = 0
    is_new: bool = False
    co_departments: str = ""
    departments: list[str] = field(default_factory=list)
    trend_years: list[int] = field(default_factory=list)
    trend_values: list[float] = field(default_factory=list)
    trend_sources: list[str] = field(default_factory=list)
    trend_natures: list[str] = field(default_factory=list)
    suite_name: str = ""
    expectation_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (same as ``dataclasses.asdict``, without its deep copy of
        every value: ~30 s for a national report's 74,000 rows)."""
        # a dataclass's __init__ sets every field in declaration order: its __dict__ is the row
        out = dict(self.__dict__)
        for name in LIST_FIELDS:
            out[name] = list(getattr(self, name))
        return out


#: Field names of :class:`ReportRow`, in declaration order.
ROW_FIELDS = [f.name for f in fields(ReportRow)]
LIST_FIELDS = ["departments", "trend_years", "trend_values", "trend_sources", "trend_natures"]


@dataclass
class ReportData:
    """Everything the renderers need."""

    run_id: str
    validated_at: str
    rows: list[ReportRow]
    n_expectations: int
    n_targets_checked: int
    n_assessment_missed: int
    quality: list[dict[str, Any]]
    status_counts: list[dict[str, Any]] = field(default_factory=list)
    plan_titles: dict[str, str] = field(default_factory=dict)
    #: The same rows field by field (ROW_FIELDS order, one list each), as the loader built them:
    #: the CSV and JSON writers read these (reading 69,000 rows back attribute by attribute
    #: costs a second).
    columns: dict[str, list[Any]] = field(default_factory=dict)

    def n_binding(self) -> int:
        """Rows of binding targets (severity ``critical``), counted in the severity column."""
        return self.field_columns()["severity"].count("critical")

    def field_columns(self) -> dict[str, list[Any]]:
        """:attr:`columns`, or, for rows put together without them, the same read from ``rows``."""
        if self.columns or not self.rows:
            return self.columns or {name: [] for name in ROW_FIELDS}
        return {name: [getattr(r, name) for r in self.rows] for name in ROW_FIELDS}


def sort_key(row: ReportRow) -> tuple:
    """Per plan, per lead department, binding (critical) first, then how far off (gap as % of
    the target, largest first; rows without a gap last), then region."""
    far = abs(row.gap_pct) if row.gap_pct is not None else -1.0
    return (
        row.plan_id,
        row.lead_department,
        0 if row.severity == "critical" else 1,
        -far,
        row.region_name,
        row.target_id,
    )
