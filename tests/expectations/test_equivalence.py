"""The fast validation path persists exactly the rows of the plain one, and loses no check or row.

A fixture warehouse has planted failures of every quality rule (duplicate and null keys,
out-of-range units, implausible values, a missing figure, inconsistent mortality rates, duplicate
and double-latest assessments, an unassessed target, a missing reference) plus more failing rows
than Data Docs keep (:data:`expectations.gx_context.DOCS_ROW_LIMIT`).

1. **Before/after**: the same validations run in *plain* mode — every frame read with
   ``.df()`` from ``select *`` (text as ``str``, not ``category``), GX validating the
   observation key as text (not as its integer codes, ``SuiteJob.key_codes``), GX building
   each failing row's dict itself (``unexpected_index_column_names``, the target batch holding
   the key columns for it), each target expectation selecting its rows with a GX row condition
   on `target_id` and reading `verdict_value` (not its own column of a spread batch,
   :func:`expectations.target_suites.target_batch`), the failure details converted from
   the whole frame — and in the normal (fast) mode, where GX lists failing rows by label and the
   runner reads their columns (:mod:`expectations.failing_rows`). The persisted `monitoring.validation_results`
   rows must be identical (every column but `validated_at`).
2. **Oracle**: each rule's failing rows are recomputed in SQL from the fixture tables and must
   equal the persisted element rows of that rule, and every suite must persist one row per
   expectation it defines. Dropping a check, or losing a failing row in either mode, fails here.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from gx_factory import INDICATORS, build_warehouse, target
from gx_plain_mode import plain_mode
from gx_scenarios import EDGE_TARGETS, RA, RB, clean_observations, edge_assessment, observations

from expectations import gx_context
from expectations import quality_suites as qs
from expectations.outcomes import SuiteResult
from expectations.results_store import ResultRow
from expectations.runner import run_quality_validation, run_target_validation

N_NEGATIVE = gx_context.DOCS_ROW_LIMIT + 50  # more failing rows than the Data Docs copy keeps
UNASSESSED = "edge__smoking_rate__2025"
COMPARED = [c for c in ResultRow.__dataclass_fields__ if c != "validated_at"]


def _planted_observations() -> pd.DataFrame:
    obs = clean_observations()
    obs = obs[
        ~((obs.region_id == RA) & (obs.indicator_code == "smoking_rate") & (obs.year == 2019))
    ]
    obs.loc[
        (obs.region_id == RA)
        & (obs.indicator_code == "under5_mortality_rate")
        & (obs.year == 2018),
        "value",
    ] = 3.0
    planted = [
        (RB, "health_literacy_rate", 2021, 101.0, "percent"),  # duplicate key, > 100 %
        (RA, "life_expectancy", 2022, 120.0, "years"),  # above the plausible maximum
        (None, "life_expectancy", 2023, 70.0, "years"),  # null key
        (RA, "health_literacy_rate", 2023, -0.5, "percent"),  # below 0 %
    ] + [
        (f"neg_{i:03d}", "sex_ratio_at_birth", 2020, -1.0 - i, "sex_ratio")  # < 0 and < min
        for i in range(N_NEGATIVE)
    ]
    frame = pd.concat([obs, observations(planted)], ignore_index=True)
    # A nullable integer column (year) and an all-null text column in the frames GX reads.
    frame["year"] = frame["year"].astype("Int32")
    frame.loc[frame.index[-1], "year"] = pd.NA
    frame["file_path"] = frame["file_path"].astype(object)
    return frame


def _planted_assessment() -> pd.DataFrame:
    rows = edge_assessment()
    dup = rows[rows.target_id == "edge__life_expectancy__2020"].head(1)  # same key twice
    second_latest = rows[rows.target_id == "edge__smoking_rate__2020"].head(1).copy()
    second_latest["assessment_year"] = 2020  # a second current row for one target × region
    second_latest["assessment_key"] = second_latest["assessment_key"] + "|b"
    return pd.concat([rows, dup, second_latest], ignore_index=True)


@pytest.fixture(scope="module")
def planted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    targets = [
        *EDGE_TARGETS,
        target(UNASSESSED, "edge", "smoking_rate", "le", 18.0, year=2025),  # no assessment row
    ]
    path = tmp_path_factory.mktemp("planted") / "planted.duckdb"
    return build_warehouse(path, targets, _planted_assessment(), _planted_observations())


def _expectation_keys(runs: tuple) -> dict[str, tuple]:
    """Each expectation id → (suite, its target (None in a quality suite), its position among
    the suite's expectations of that target).

    GX gives the expectations of a suite first registered in a fresh GX store new random ids
    (both modes alike), so ids are compared by the expectation they belong to. GX orders a
    suite's results by its own metric graph, which is not the same for expectations with a row
    condition and for those reading their own column (the column-pair ones move), so a
    target's expectation is known by its target, not by its place in the list.
    """
    keys: dict[str, tuple] = {}
    for run in runs:
        for s in run.suites:
            seen: Counter = Counter()
            for e in s.expectations:
                target_id = e.meta.get("target_id") if s.kind == "targets" else None
                keys[e.expectation_id] = (s.suite_name, target_id, seen[target_id])
                seen[target_id] += 1
    return keys


def _persisted(db: Path, run_id: str, runs: tuple) -> list[tuple]:
    """The run's rows, each expectation id replaced by its key (:func:`_expectation_keys`)."""
    position = _expectation_keys(runs)
    at = COMPARED.index("expectation_id")
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            f"select {', '.join(COMPARED)} from monitoring.validation_results where run_id = ?",
            [run_id],
        ).fetchall()
    out = [(*r[:at], position.get(r[at], r[at]), *r[at + 1 :]) for r in rows]
    return sorted(out, key=repr)


def _validate_both(planted_db: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> tuple:
    fast_db, plain_db = tmp / "fast.duckdb", tmp / "plain.duckdb"
    shutil.copyfile(planted_db, fast_db)
    shutil.copyfile(planted_db, plain_db)
    fast_quality = run_quality_validation(fast_db, "eq", tmp / "fast" / "docs")
    with plain_mode(monkeypatch):
        plain_quality = run_quality_validation(plain_db, "eq", tmp / "plain" / "docs")
    # A duplicate assessment key is a structural failure that stops the job before the target
    # validation (which needs unique keys); drop the exact duplicate for the target runs.
    for db in (fast_db, plain_db):
        with duckdb.connect(str(db)) as con:
            con.execute(
                "create or replace table marts.fct_target_assessment as "
                "select distinct * from marts.fct_target_assessment"
            )
    fast_targets = run_target_validation(fast_db, "eq", tmp / "fast" / "docs")
    with plain_mode(monkeypatch):
        plain_targets = run_target_validation(plain_db, "eq", tmp / "plain" / "docs")
    return fast_db, plain_db, (fast_quality, fast_targets), (plain_quality, plain_targets)


@pytest.fixture(scope="module")
def both(planted_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _validate_both(planted_db, tmp_path_factory.mktemp("both"), monkeypatch)


def test_fast_and_plain_runs_persist_identical_rows(both: tuple) -> None:
    fast_db, plain_db, fast, plain = both
    fast_rows, plain_rows = _persisted(fast_db, "eq", fast), _persisted(plain_db, "eq", plain)
    assert len(fast_rows) > N_NEGATIVE * 2  # the planted failures are there
    assert fast_rows == plain_rows
    # The in-memory results agree too, each expectation's failures in order (the asset checks
    # list the first failures).
    keys = _expectation_keys(fast) | _expectation_keys(plain)
    for f, p in zip(fast, plain, strict=True):
        assert [s.suite_name for s in f.suites] == [s.suite_name for s in p.suites]
        for fs, ps in zip(f.suites, p.suites, strict=True):
            assert _by_expectation(fs, keys) == _by_expectation(ps, keys), fs.suite_name
            listed = [keys[e.expectation_id] for e in fs.expectations]
            if fs.kind == "quality":
                assert listed == [keys[e.expectation_id] for e in ps.expectations]
            else:  # each target's failures together, in the order its expectation is listed
                failing = [keys[x.expectation_id] for x in fs.failures]
                assert failing == sorted(failing, key=listed.index), fs.suite_name


def _by_expectation(suite: SuiteResult, keys: dict[str, tuple]) -> dict[tuple, tuple]:
    """Each expectation of ``suite`` by its key: rows judged, rows failing, and its failures
    (message, observed value) in the order the suite lists them."""
    return {
        keys[e.expectation_id]: (
            e.element_count,
            e.unexpected_count,
            [
                (x.message, x.observed_value)
                for x in suite.failures
                if x.expectation_id == e.expectation_id
            ],
        )
        for e in suite.expectations
    }


def _elements(db: Path, suite: str) -> Counter:
    """Persisted failing rows of a suite as (rule, region, indicator, year, observed)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select message, region_id, indicator_code, year, observed_value, target_id "
            "from monitoring.validation_results where run_id = 'eq' and row_kind = 'element' "
            "and suite_name = ?",
            [suite],
        ).fetchall()
    return Counter((m.split(":")[0], *rest) for m, *rest in rows)


def _oracle(db: Path, sql: str) -> Counter:
    with duckdb.connect(str(db), read_only=True) as con:
        return Counter(tuple(r) for r in con.execute(sql).fetchall())


STG = "staging.stg_observations"
OBS_FIELDS = "region_id, indicator_code, year, value, null"
STG_ORACLE = f"""
with o as (
    select s.*, i.plausible_min, i.plausible_max
    from {STG} as s left join reference.indicators as i using (indicator_code)
)
select 'key_not_null', {OBS_FIELDS} from o where region_id is null
union all select 'key_not_null', {OBS_FIELDS} from o where indicator_code is null
union all select 'key_not_null', {OBS_FIELDS} from o where period is null
union all select 'key_not_null', {OBS_FIELDS} from o where data_nature is null
union all select 'unique_key', {OBS_FIELDS} from o
    qualify count(*) over (partition by region_id, indicator_code, period, data_nature) > 1
union all select 'unit_range', {OBS_FIELDS} from o
    where unit = 'percent' and (value < 0 or value > 100)
union all select 'unit_range', {OBS_FIELDS} from o
    where (unit is null or unit <> 'percent') and value < 0
union all select 'plausible_range', {OBS_FIELDS} from o where value < plausible_min
union all select 'plausible_range', {OBS_FIELDS} from o where value > plausible_max
"""
ASSESSMENT_ORACLE = """
with a as (select * from marts.fct_target_assessment)
select 'unique_key', region_id, indicator_code, assessment_year, null::double, target_id from a
    qualify count(*) over (partition by target_id, region_id, assessment_year) > 1
union all select 'unique_latest', region_id, indicator_code, assessment_year, null, target_id
    from a where is_latest qualify count(*) over (partition by target_id, region_id) > 1
union all select 'reference_missing', region_id, indicator_code, assessment_year, null, target_id
    from a where is_latest and status = 'reference_missing'
"""


def test_every_planted_quality_failure_is_persisted_once(planted_db: Path, both: tuple) -> None:
    fast_db, plain_db, *_ = both
    for db in (fast_db, plain_db):
        stg = _oracle(planted_db, STG_ORACLE)
        assert sum(1 for k in stg if k[0] == "unit_range") >= N_NEGATIVE
        assert _elements(db, "quality__stg_observations") == stg
        assessment = _oracle(planted_db, ASSESSMENT_ORACLE)  # before the target runs' dedupe
        assert {k[0] for k in assessment} == {"unique_key", "unique_latest", "reference_missing"}
        assert _elements(db, "quality__fct_target_assessment") == assessment
        coverage = _oracle(
            db,
            "select 'target_assessed', region_id, indicator_code, null::integer, null::double, "
            f"target_id "
            f"from ({qs.COVERAGE_SQL}) where n_assessments < 1",
        )
        unassessed = ("target_assessed", "jiangyin", "smoking_rate", None, None, UNASSESSED)
        assert coverage == Counter({unassessed: 1})
        assert _elements(db, "quality__target_coverage") == coverage
        completeness = _oracle(
            db,
            "select 'required_figure_present', region_id, indicator_code, year, null::double, "
            "null "
            f"from ({qs.COMPLETENESS_SQL}) where n_values < 1",
        )
        assert ("required_figure_present", RA, "smoking_rate", 2019, None, None) in completeness
        assert _elements(db, "quality__completeness") == completeness
        with duckdb.connect(str(db), read_only=True) as con:
            indicators = con.execute("select * from reference.indicators").df()
        wide = qs.consistency_sql(indicators)
        consistency = Counter()
        known = set(indicators["indicator_code"])
        for larger, smaller, _ in qs.CONSISTENCY_RULES:
            if not {larger, smaller} <= known:
                continue
            consistency += _oracle(
                db,
                f"select 'consistency', region_id, '{larger}', year, {larger}, null from ({wide}) "
                f"where {larger} < {smaller}",
            )
        assert sum(consistency.values()) == 1
        assert _elements(db, "quality__consistency") == consistency


def _expectation_rows(db: Path) -> Counter:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select suite_name, expectation_type from monitoring.validation_results "
            "where run_id = 'eq' and row_kind = 'expectation'"
        ).fetchall()
    return Counter(rows)


def test_every_check_runs(both: tuple) -> None:
    fast_db, plain_db, fast, _ = both
    stg, fct = "quality__stg_observations", "quality__fct_target_assessment"
    expected = Counter(
        {
            (stg, "expect_column_to_exist"): len(qs.STG_OBSERVATION_COLUMNS),
            (stg, "expect_column_values_to_not_be_null"): len(qs.STG_OBSERVATION_KEY),
            (stg, "expect_compound_columns_to_be_unique"): 1,
            (stg, "expect_column_values_to_be_between"): 1,  # every unit ≥ 0
            # a share ≤ 100 (unit_max), plausible min/max
            (stg, "expect_column_pair_values_a_to_be_greater_than_b"): 3,
            (fct, "expect_column_to_exist"): len(qs.ASSESSMENT_COLUMNS),
            (fct, "expect_column_values_to_not_be_null"): len(qs.ASSESSMENT_KEY),
            (fct, "expect_compound_columns_to_be_unique"): 2,  # key, one latest row
            (fct, "expect_column_values_to_not_be_in_set"): 1,  # reference_missing
            ("quality__target_coverage", "expect_column_values_to_be_between"): 1,
            ("quality__completeness", "expect_column_values_to_be_between"): 1,
            ("quality__consistency", "expect_column_pair_values_a_to_be_greater_than_b"): sum(
                {a, b} <= set(INDICATORS["indicator_code"]) for a, b, _ in qs.CONSISTENCY_RULES
            ),
        }
    )
    with duckdb.connect(str(fast_db), read_only=True) as con:
        n_rules = con.execute(
            "select count(*) from reference.plan_targets where comparator <> 'none'"
        ).fetchone()[0]
        n_pair = con.execute(
            "select count(*) from reference.plan_targets where comparator in "
            "('reduce_by_pct', 'increase_by_pct', 'maintain', 'improve')"
        ).fetchone()[0]
    targets = Counter(
        {
            ("targets__edge", "expect_column_values_to_be_between"): 7 + 1,  # + UNASSESSED
            ("targets__edge", "expect_column_pair_values_a_to_be_greater_than_b"): 2,
            ("targets__other", "expect_column_values_to_be_between"): 1,
            ("targets__other", "expect_column_pair_values_a_to_be_greater_than_b"): 1,
        }
    )
    assert sum(targets.values()) == n_rules and n_pair == 3  # one expectation per target side
    for db in (fast_db, plain_db):
        assert _expectation_rows(db) == expected + targets
    # Every target expectation saw every current row of its target (none skipped).
    stg_run = fast[0].suite(stg)
    unique = next(e for e in stg_run.expectations if e.meta["rule"] == "unique_key")
    with duckdb.connect(str(fast_db), read_only=True) as con:
        assert unique.element_count == con.execute(f"select count(*) from {STG}").fetchone()[0]


def test_missed_targets_are_exactly_the_marts_misses(both: tuple) -> None:
    fast_db, _, fast, _ = both
    with duckdb.connect(str(fast_db), read_only=True) as con:
        missed = Counter(
            con.execute(
                "select target_id, region_id from marts.fct_target_assessment "
                "where is_latest and threshold_met = false"
            ).fetchall()
        )
    failing = Counter((f.target_id, f.region_id) for s in fast[1].suites for f in s.failures)
    assert failing == missed and len(missed) >= 10


def test_data_docs_copy_is_bounded_but_results_are_complete(both: tuple) -> None:
    _, _, fast, _ = both
    stg = fast[0].suite("quality__stg_observations")
    negative = [f for f in stg.failures if (f.region_id or "").startswith("neg_")]
    assert len(negative) == 2 * N_NEGATIVE  # unit range and plausible minimum
    docs = fast[0].data_docs_index.parent
    assert docs.parent.name == "fast"  # each mode has its own GX store (next to its docs)
    context = gx_context.make_context(docs)
    store = context.validation_results_store
    key = gx_context.stored_result_key(context, "quality__stg_observations", "eq")
    stored = store.get(key)
    lengths = [len((r.result or {}).get("unexpected_index_list") or []) for r in stored.results]
    assert max(lengths) == gx_context.DOCS_ROW_LIMIT


def test_completeness_frame_equals_its_string_agg_formulation(planted_db: Path) -> None:
    """``target_ids`` via list_sort(list_distinct(list(…))) = string_agg(distinct … order by …)."""
    current = "array_to_string(list_sort(list_distinct(list(target_id))), ';') as target_ids"
    assert current in qs.COMPLETENESS_SQL
    plain = qs.COMPLETENESS_SQL.replace(
        current, "string_agg(distinct target_id, ';' order by target_id) as target_ids"
    )
    with duckdb.connect(str(planted_db), read_only=True) as con:
        rows = con.execute(qs.COMPLETENESS_SQL).fetchall()
        assert Counter(rows) == Counter(con.execute(plain).fetchall())
    assert any(";" in r[3] for r in rows)  # a figure needed by two targets lists both
