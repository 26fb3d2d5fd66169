"""Old failure-report run folders are deleted: only the newest ``keep`` stay, ``latest/`` and
anything that is not a run folder are left alone (pipelines/report/retention.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_data import RUN_ID

from pipelines.config import REPORTS_KEEP_DEFAULT, load_settings
from pipelines.report import build_failure_report
from pipelines.report.retention import RUN_FOLDER, folder_name, prune_run_folders, run_folders

OLDER = ["2026-01-01_0600_schedule", "2026-01-02_0600_schedule", "2026-01-02_0931_sensor"]


def _landing(root: Path) -> Path:
    """A reports folder with three older run folders, ``latest/`` and two things of a user's."""
    reports = root / "failure_report"
    for name in OLDER:
        (reports / name).mkdir(parents=True)
        (reports / name / "failure_report.html").write_text(name, encoding="utf-8")
    (reports / "latest").mkdir()
    (reports / "archive_2025").mkdir()  # not a run folder's name
    (reports / "2026-01-01_0600_schedule.zip").write_bytes(b"a user's archive")
    return reports


def test_a_report_keeps_the_newest_run_folders_and_nothing_else_is_touched(
    report_db: Path, tmp_path: Path
) -> None:
    reports = _landing(tmp_path)
    paths = build_failure_report(report_db, RUN_ID, tmp_path, trigger="schedule", keep=2)

    assert paths.folders_pruned == 2
    assert [p.name for p in run_folders(reports)] == [OLDER[-1], paths.html.parent.name]
    assert (reports / "archive_2025").is_dir()
    assert (reports / "2026-01-01_0600_schedule.zip").read_bytes() == b"a user's archive"
    # latest/ is the new run's files themselves (hard links), readable after the pruning
    latest = reports / "latest" / "failure_report.html"
    assert latest.read_text(encoding="utf-8") == paths.html.read_text(encoding="utf-8")
    assert latest.stat().st_ino == paths.html.stat().st_ino


def test_keep_zero_keeps_every_run_folder(report_db: Path, tmp_path: Path) -> None:
    reports = _landing(tmp_path)
    paths = build_failure_report(report_db, RUN_ID, tmp_path, trigger="sensor", keep=0)
    assert paths.folders_pruned == 0
    assert [p.name for p in run_folders(reports)] == [*OLDER, paths.html.parent.name]


def test_the_folder_just_written_is_never_deleted(tmp_path: Path) -> None:
    reports = _landing(tmp_path)
    current = reports / OLDER[0]  # an older validation reported after newer ones
    removed = prune_run_folders(reports, 1, current=current)
    assert [p.name for p in removed] == [OLDER[1]]
    assert [p.name for p in run_folders(reports)] == [OLDER[0], OLDER[2]]


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEALTHPLAN_REPORTS_KEEP", raising=False)
    assert load_settings().reports_keep == REPORTS_KEEP_DEFAULT
    monkeypatch.setenv("HEALTHPLAN_REPORTS_KEEP", "7")
    assert load_settings().reports_keep == 7
    monkeypatch.setenv("HEALTHPLAN_REPORTS_KEEP", "0")
    assert load_settings().reports_keep == 0
    for bad in ("-1", "thirty"):
        monkeypatch.setenv("HEALTHPLAN_REPORTS_KEEP", bad)
        with pytest.raises(ValueError, match="HEALTHPLAN_REPORTS_KEEP"):
            load_settings()


@pytest.mark.parametrize("trigger", ["schedule", "sensor", "manual", "", "手动 run/1"])
def test_every_name_a_validated_report_gets_is_a_run_folder(trigger: str) -> None:
    name = folder_name("2026-12-05 22:00:00", trigger)
    assert name.startswith("2026-12-06_0600_")  # Beijing time
    assert RUN_FOLDER.match(name), name
    # a report without a validation is rewritten in place, never pruned
    assert not RUN_FOLDER.match(folder_name("", trigger))
