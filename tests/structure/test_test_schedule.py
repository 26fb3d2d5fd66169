"""The schedule of tests/xdist_schedule.py names only groups that exist (a renamed file would
silently lose its place at the front of the queue)."""

from __future__ import annotations

from pathlib import Path

from xdist_schedule import LONGEST_FIRST, SAME_WORKER, group_of

ROOT = Path(__file__).resolve().parents[2]


def test_every_longest_first_group_is_a_test_file_or_a_same_worker_group() -> None:
    missing = [
        g for g in LONGEST_FIRST if g not in SAME_WORKER.values() and not (ROOT / g).is_file()
    ]
    assert not missing, missing
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)


def test_every_same_worker_folder_exists_and_groups_its_files() -> None:
    for folder, group in SAME_WORKER.items():
        files = sorted((ROOT / folder).glob("test_*.py"))
        assert len(files) >= 1, folder
        assert {group_of(f"{f.relative_to(ROOT).as_posix()}::t") for f in files} == {group}


def test_any_other_test_is_grouped_by_its_file() -> None:
    assert (
        group_of("tests/dbt/test_incremental.py::test_x[a::b]") == "tests/dbt/test_incremental.py"
    )
