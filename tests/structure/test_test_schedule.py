"""The schedule of tests/xdist_schedule.py names only groups that exist (a renamed file would silently
lose its place at the front of the queue)."""

from __future__ import annotations

from pathlib import Path

from xdist_schedule import LONGEST_FIRST, SAME_WORKER

TESTS_DIR = Path(__file__).resolve().parents[1]


def test_every_longest_first_group_is_a_test_file_or_a_same_worker_group() -> None:
    missing = [
        g for g in LONGEST_FIRST if g not in SAME_WORKER.values() and not (TESTS_DIR / g).is_file()
    ]
    assert not missing, missing
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)


def test_every_same_worker_folder_exists() -> None:
    assert all((TESTS_DIR / folder).is_dir() for folder in SAME_WORKER)
