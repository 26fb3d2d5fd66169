"""Issue 18: no SQL written twice. Two .sql files never share a run of identical lines unless
the pair is listed, with why, in repeated_sql.py (the life table and 40q30 share a macro; the
progress mart reads the fact)."""

from __future__ import annotations

from pathlib import Path

import pytest
from repeated_sql import KNOWN_PAIRS, MIN_LINES, repeated_runs


@pytest.fixture(scope="module")
def pairs() -> dict[str, str]:
    return repeated_runs()


def test_no_two_sql_files_share_a_run_of_lines(pairs: dict[str, str]) -> None:
    new = [where for key, where in sorted(pairs.items()) if key not in KNOWN_PAIRS]
    assert new == [], (
        "write it once (a macro, an int_ model, or read the model that has it), "
        "see repeated_sql.py:\n" + "\n".join(new)
    )


def test_every_known_pair_still_repeats(pairs: dict[str, str]) -> None:
    stale = sorted(set(KNOWN_PAIRS) - set(pairs))
    assert stale == [], f"no longer repeated: delete from KNOWN_PAIRS: {stale}"


def test_every_known_pair_says_why() -> None:
    assert all(reason.strip() for reason in KNOWN_PAIRS.values())


def test_a_copied_cte_is_found_and_a_reworded_one_is_not(tmp_path: Path) -> None:
    cte = [
        "population as (",
        "    select",
        "        region_id,",
        "        year,",
        "        age_group,",
        "        value as population,",
        "        is_illustrative",
        "    from counts -- a comment does not count",
        "    where measure = 'population' and age_group != 'all'",
        "),",
    ]
    models = tmp_path / "dbt_project" / "models"
    models.mkdir(parents=True)
    (models / "a.sql").write_text("with " + "\n".join(cte) + "\nselect 1\n", encoding="utf-8")
    (models / "b.sql").write_text(
        "with x as (select 1),\n" + "\n".join(line.upper() for line in cte) + "\nselect 2\n",
        encoding="utf-8",
    )
    # one line in the middle said otherwise: no run of MIN_LINES identical lines is left
    assert len(cte) < 2 * MIN_LINES
    (models / "c.sql").write_text("\n".join(cte).replace("year,", "yr,"), encoding="utf-8")
    found = repeated_runs(tmp_path)
    assert list(found) == ["dbt_project/models/a.sql ~ dbt_project/models/b.sql"]
