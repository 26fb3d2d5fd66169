"""The plans' own figures: quoted verbatim, resolvable, and shipped as official rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.generate.reported import (
    REPORTED,
    REPORTED_COUNTS,
    collapse_ws,
    quote_is_verbatim,
    seed_text,
)
from pipelines.generate.sample_files import write_reported
from pipelines.generate.sample_seeds import load_seeds, resolve_reported

#: Figures deliberately not loaded: their definition is narrower than any catalogue indicator.
NOT_LOADED = {"每千人口医院床位数"}


@pytest.mark.parametrize("fig", REPORTED, ids=lambda f: f"{f.plan_id}-{f.year}-{f.label}")
def test_quote_is_in_the_seed_and_states_the_value(fig) -> None:
    text = seed_text(fig.plan_id)
    assert quote_is_verbatim(fig.quote, text), f"{fig.quote!r} is not in {fig.plan_id}'s seed"
    assert fig.value in collapse_ws(fig.quote), f"{fig.value} is not stated by {fig.quote!r}"


@pytest.mark.parametrize("row", REPORTED_COUNTS, ids=lambda r: f"{r[1]}-{r[2]}-{r[3]}")
def test_reported_counts_are_quoted(row) -> None:
    plan, _region, _year, _measure, value, quote = row
    assert quote_is_verbatim(quote, seed_text(plan))
    digits = quote.replace("万", "")
    assert str(value) in digits or f"{value / 10_000:g}" in digits


def test_quote_check_rejects_paraphrase() -> None:
    text = seed_text("jy_fyp14")
    assert not quote_is_verbatim("全市居民平均期望寿命提高到82.41岁", text)
    assert not quote_is_verbatim("人均预期寿命 岁 83.40", text)  # a table row that is not there


def test_every_reported_figure_resolves_to_an_indicator_and_unit() -> None:
    resolved, unresolved = resolve_reported(load_seeds())
    assert {f.label for f in unresolved} <= NOT_LOADED
    assert len(resolved) == len(REPORTED) - len(unresolved)
    by_key = {(r.figure.region_id, r.code, r.figure.year): r for r in resolved}
    # the printed ‰ of Changjiang's maternal mortality is converted, not relabelled
    mmr = by_key[("changjiang", "maternal_mortality_ratio", 2018)]
    assert mmr.unit_written == "‰" and mmr.canonical_value == pytest.approx(61.0)
    assert by_key[("jiangyin", "life_expectancy", 2020)].canonical_value == pytest.approx(82.4)


def test_reported_files_are_official_and_quote_every_row(tmp_path: Path) -> None:
    resolved, _ = resolve_reported(load_seeds())
    files = write_reported(tmp_path, resolved)
    long_files = [f for f in files if f.name != "official_counts.csv"]
    frame = pl.concat([pl.read_csv(f, infer_schema=False) for f in long_files])
    assert frame.height == len(resolved)
    assert set(frame["data_nature"]) == {"official"}
    assert frame["source_quote"].null_count() == 0
    counts = pl.read_csv(tmp_path / "reported" / "official_counts.csv", infer_schema=False)
    assert set(counts["data_nature"]) == {"official"}


def test_shipped_reported_files_are_current(tmp_path: Path) -> None:
    """raw/reported is exactly what the generator writes (re-run ``--sample`` after edits)."""
    resolved, _ = resolve_reported(load_seeds())
    for path in write_reported(tmp_path, resolved):
        shipped = PROJECT_ROOT / "raw" / path.relative_to(tmp_path)
        assert shipped.exists(), f"{shipped} missing: run healthplan generate --sample --out raw"
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped} is stale"
