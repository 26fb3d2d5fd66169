"""Data-quality suites: structure, plausibility, completeness and consistency.

Each suite validates one frame read from the warehouse; the frame's SQL is
``expectations/sql/quality/<suite>.sql`` (loaded by :func:`expectations.frames.read_sql`), named
after the suite so the frame and its rules are reviewed together. Expectations whose meta says ``structural: true`` guard the shape of
the data (required columns, non-null and unique keys): a failure there means downstream marts must
not be published. The rest are findings with a severity.

Rules are generated from the reference data: plausible ranges from `indicators.plausible_min/max`,
unit ranges from each indicator's canonical unit, completeness from the targets' years.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from expectations.frames import read_sql
from expectations.suite_ids import ensure_gx_context, suite_with_stable_ids

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://healthplan.local/expectations/quality")

#: Related indicators whose definitions imply an order for the same region and year:
#: (larger, smaller, why). Deaths under 5 include deaths under 1, which include deaths in 28 days,
#: and all three share the live-births denominator.
CONSISTENCY_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "under5_mortality_rate",
        "infant_mortality_rate",
        "under-5 deaths include infant deaths (same live-births denominator)",
    ),
    (
        "infant_mortality_rate",
        "neonatal_mortality_rate",
        "infant deaths include neonatal deaths (same live-births denominator)",
    ),
)

# The staging key, defined once by dbt (macro observations_at_revision → observation_key):
# region × indicator × period × data nature × source × data status. Publications of one figure by
# different sources or with another data status (预计 vs final) are distinct rows, resolved later
# in dbt (int_observation_duplicates); source may be blank, so GX checks the key column itself.
# (GX compound uniqueness needs two columns; region_id is inside the key, so adds nothing.)
STG_OBSERVATION_KEY = ["observation_key", "region_id"]
STG_OBSERVATION_COLUMNS = [
    "observation_key",
    "region_id",
    "indicator_code",
    "period",
    "year",
    "value",
    "unit",
    "data_nature",
    "source",
    "data_status",
    "file_path",
    "ingested_at",
]
ASSESSMENT_KEY = ["target_id", "region_id", "assessment_year"]
ASSESSMENT_COLUMNS = [
    "target_id",
    "plan_id",
    "indicator_code",
    "region_id",
    "assessment_year",
    "is_latest",
    "target_year",
    "comparator",
    "required_lower",
    "required_lower_inclusive",
    "required_upper",
    "required_upper_inclusive",
    "latest_year",
    "latest_value",
    "latest_is_illustrative",
    "verdict_value",
    "threshold_met",
    "status",
    "nature",
    "severity",
    "lead_department",
    "source_quote",
]


@dataclass
class QualitySpec:
    """A data-quality suite and the frame it validates.

    With ``reads`` set, ``sql`` is a template whose ``{columns}`` becomes the columns of
    ``columns`` that the relation ``reads`` has (see :meth:`query`): the frame then holds only
    what the suite's expectations and failing-row lists use. A required column the relation lacks
    is simply not selected, so its ``expect_column_to_exist`` fails as it would on ``select *``.
    """

    suite_name: str
    asset: str  # the warehouse relation the suite guards (Dagster asset check target)
    sql: str
    index_columns: list[str]
    build: Callable[[pd.DataFrame], list[Any]] = field(repr=False)
    reads: str | None = None
    columns: tuple[str, ...] = ()
    #: Sort each expectation's failing rows by these columns (for a frame read without ORDER BY).
    failure_order: tuple[str, ...] = ()
    #: Every row belongs to one region (``region_id``) and no rule compares two regions' rows (a
    #: uniqueness key holds the region): a scoped run validates the affected regions only.
    region_local: bool = False
    #: Text keys GX validates as exact integer codes (``SuiteJob.key_codes``): only existence,
    #: not-null and uniqueness read them, and those read only equality.
    key_codes: tuple[str, ...] = ()

    def query(self, existing: Sequence[str] | None) -> str:
        """The SQL to run, given the columns ``reads`` has (None: not known → all columns)."""
        if self.reads is None:
            return self.sql
        names = [c for c in self.columns if existing is not None and c in set(existing)]
        # The template aliases the relation as ``o``; nothing known or nothing required → all.
        picked = ", ".join(f'o."{c}"' for c in names) if names else "o.*"
        # ``{opt_<column>}`` (a column the template reads outside the select list, e.g. in a
        # join) is that column, or null when the relation lacks it: the frame is still read, and
        # the missing column is reported by its expect_column_to_exist.
        present = set(names) if names else set(self.columns)
        optional = {f"opt_{c}": f'o."{c}"' if c in present else "null" for c in self.columns}
        return self.sql.format(columns=picked, **optional)


def _meta(rule: str, severity: str, structural: bool, **extra: Any) -> dict[str, Any]:
    return {"rule": rule, "severity": severity, "structural": structural, **extra}


def _structure(suite: str, columns: list[str], key: list[str], where_latest: bool) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity
    from great_expectations.expectations.row_conditions import Column

    out: list[Any] = []
    for col in columns:
        out.append(
            gxe.ExpectColumnToExist(
                column=col,
                severity=FailureSeverity.CRITICAL,
                meta=_meta("required_column", "critical", True, column=col),
            )
        )
    for col in key:
        out.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=col,
                severity=FailureSeverity.CRITICAL,
                meta=_meta("key_not_null", "critical", True, column=col),
            )
        )
    kwargs: dict[str, Any] = {}
    if where_latest:
        kwargs["row_condition"] = Column("is_latest") == True  # noqa: E712 (GX condition DSL)
    out.append(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=key,
            severity=FailureSeverity.CRITICAL,
            meta=_meta("unique_key", "critical", True, columns=key),
            **kwargs,
        )
    )
    return out


def _pair_at_least(column_a: str, column_b: str, rule: str, **meta: Any) -> Any:
    """Critical, row by row: ``column_a ≥ column_b`` where both are known (a missing bound, e.g.
    no ``unit_max`` for a unit that is not a share, checks nothing)."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column_a,
        column_B=column_b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        severity=FailureSeverity.CRITICAL,
        meta=_meta(rule, "critical", False, **meta),
    )


def _plausibility(suite: str, indicators: pd.DataFrame) -> list[Any]:
    """Unit ranges and each indicator's plausible range, vectorised over all observations.

    The frame carries the bounds as columns (expectations/sql/quality/stg_observations.sql):
    `plausible_min`/`plausible_max` joined from `reference.indicators`, and `unit_max`, the upper
    end of a share's scale (100 for a unit of kind `proportion` in the `units` seed, else null).
    Column-pair expectations then cover every row in one pass each and each failing row names
    its indicator; a GX `row_condition` would instead run a pandas query over the whole frame
    for every metric of the expectation (≈ 40 s per validation at M).
    """
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    return [
        # every value is a non-negative magnitude (a share included) …
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0.0,
            severity=FailureSeverity.CRITICAL,
            meta=_meta("unit_range", "critical", False, unit="any", threshold="≥ 0"),
        ),
        # … and a share is at most its whole
        _pair_at_least("unit_max", "value", "unit_range", unit="proportion", threshold="≤ 100"),
        _pair_at_least("value", "plausible_min", "plausible_range", threshold="≥ plausible_min"),
        _pair_at_least("plausible_max", "value", "plausible_range", threshold="≤ plausible_max"),
    ]


def _stg_observations(indicators: pd.DataFrame) -> list[Any]:
    suite = "quality__stg_observations"
    return _structure(suite, STG_OBSERVATION_COLUMNS, STG_OBSERVATION_KEY, False) + _plausibility(
        suite, indicators
    )


def _assessment(_: pd.DataFrame) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity
    from great_expectations.expectations.row_conditions import Column

    suite = "quality__fct_target_assessment"
    out = _structure(suite, ASSESSMENT_COLUMNS, ASSESSMENT_KEY, False)
    # One current assessment per target × region (the GX target suites read only these rows).
    out.append(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["target_id", "region_id"],
            row_condition=Column("is_latest") == True,  # noqa: E712
            severity=FailureSeverity.CRITICAL,
            meta=_meta("unique_latest", "critical", True, columns=["target_id", "region_id"]),
        )
    )
    # A reference-dependent target whose reference year has no figure cannot be judged.
    out.append(
        gxe.ExpectColumnValuesToNotBeInSet(
            column="status",
            value_set=["reference_missing"],
            row_condition=Column("is_latest") == True,  # noqa: E712
            severity=FailureSeverity.WARNING,
            meta=_meta("reference_missing", "warning", False),
        )
    )
    return out


def _coverage(_: pd.DataFrame) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    return [
        gxe.ExpectColumnValuesToBeBetween(
            column="n_assessments",
            min_value=1,
            severity=FailureSeverity.CRITICAL,
            meta=_meta("target_assessed", "critical", False, threshold="≥ 1 current assessment"),
        )
    ]


def _completeness(_: pd.DataFrame) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    return [
        gxe.ExpectColumnValuesToBeBetween(
            column="n_values",
            min_value=1,
            severity=FailureSeverity.WARNING,
            meta=_meta("required_figure_present", "warning", False, threshold="≥ 1 value"),
        )
    ]


def _consistency(indicators: pd.DataFrame) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    known = set(indicators["indicator_code"])
    out = []
    for larger, smaller, why in CONSISTENCY_RULES:
        if larger not in known or smaller not in known:
            continue
        out.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=larger,
                column_B=smaller,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=FailureSeverity.WARNING,
                meta=_meta(
                    "consistency",
                    "warning",
                    False,
                    indicator_code=larger,
                    compared_with=smaller,
                    threshold=f"{larger} ≥ {smaller}",
                    why=why,
                ),
            )
        )
    return out


def consistency_sql(indicators: pd.DataFrame) -> str:
    """Wide frame (region × year) of the indicators named in :data:`CONSISTENCY_RULES`."""
    known = set(indicators["indicator_code"])
    codes = sorted({c for rule in CONSISTENCY_RULES for c in rule[:2] if c in known})
    cols = (
        ",\n    ".join(f"max(value) filter (where indicator_code = '{c}') as {c}" for c in codes)
        or "null as none"
    )
    return read_sql("quality/consistency").format(columns=cols)


#: The frames of the suites, one ``expectations/sql/quality/<suite>.sql`` each (what each reads
#: and why is written at the top of its file). The observation and assessment frames are
#: templates whose ``{columns}`` :meth:`QualitySpec.query` fills in.
STG_OBSERVATIONS_SQL = read_sql("quality/stg_observations")
ASSESSMENT_SQL = read_sql("quality/fct_target_assessment")
COVERAGE_SQL = read_sql("quality/target_coverage")
COMPLETENESS_SQL = read_sql("quality/completeness")

#: Order of the observation suite's failing rows: the key, then the rest of the row as listed.
STG_FAILURE_ORDER = ("region_id", "indicator_code", "period", "year", "value", "unit", "file_path")


def quality_specs(indicators: pd.DataFrame) -> list[QualitySpec]:
    """The data-quality suites in run order (structure first)."""
    return [
        QualitySpec(
            "quality__stg_observations",
            "staging.stg_observations",
            STG_OBSERVATIONS_SQL,
            ["region_id", "indicator_code", "period", "year", "value", "unit", "file_path"],
            _stg_observations,
            reads="staging.stg_observations",
            columns=tuple(STG_OBSERVATION_COLUMNS),
            failure_order=STG_FAILURE_ORDER,
            region_local=True,
            # 6.3 M distinct texts at M: GX would hash, factorise and copy them (≈ 60 s)
            key_codes=("observation_key",),
        ),
        QualitySpec(
            "quality__fct_target_assessment",
            "marts.fct_target_assessment",
            ASSESSMENT_SQL,
            ["target_id", "region_id", "assessment_year", "indicator_code", "status"],
            _assessment,
            reads="marts.fct_target_assessment",
            columns=tuple(ASSESSMENT_COLUMNS),
            failure_order=("target_id", "region_id", "assessment_year", "indicator_code", "status"),
            region_local=True,
        ),
        QualitySpec(
            "quality__target_coverage",
            "marts.fct_target_assessment",
            COVERAGE_SQL,
            ["target_id", "plan_id", "indicator_code", "region_id"],
            _coverage,
        ),
        QualitySpec(
            "quality__completeness",
            "marts.fct_indicator_observation",
            COMPLETENESS_SQL,
            ["region_id", "indicator_code", "year", "target_ids"],
            _completeness,
            failure_order=("region_id", "indicator_code", "year", "target_ids"),
            region_local=True,
        ),
        QualitySpec(
            "quality__consistency",
            "marts.fct_indicator_observation",
            consistency_sql(indicators),
            ["region_id", "year"],
            _consistency,
            region_local=True,
        ),
    ]


def build_quality_suite(spec: QualitySpec, indicators: pd.DataFrame) -> Any:
    """Materialise a spec's expectations into a GX suite (deterministic ids).

    Built in one constructor call (:func:`~expectations.suite_ids.suite_with_stable_ids`), not by
    ``add_expectation``: once a suite with this (deterministic) id is in the context's store,
    ``add_expectation`` re-writes the stored suite after every expectation (≈ 4 s per run).
    """
    ensure_gx_context()
    return suite_with_stable_ids(
        spec.suite_name,
        str(uuid.uuid5(_NAMESPACE, f"suite:{spec.suite_name}")),
        {"kind": "quality", "asset": spec.asset, "generated_by": __name__},
        spec.build(indicators),
    )
