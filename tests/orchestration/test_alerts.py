"""Alerts: a row in monitoring.alerts, a log line, notifiers; spooled while another run writes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb
import pytest
from orch_helpers import hold_lock

from pipelines.alerts import Alert, flush_pending, record_alert, spool_path
from pipelines.locking import writer_lock


def _alerts(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select run_id, job_name, step_key, error_type, message from monitoring.alerts "
            "order by raised_at"
        ).fetchall()
    finally:
        con.close()


def test_alert_is_recorded_logged_and_notified(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "wh.duckdb"
    seen: list[Alert] = []
    with caplog.at_level(logging.ERROR, logger="healthplan.alerts"):
        record_alert(
            db,
            Alert("run-1", "full_refresh", "dbt_models", "DbtCliError", "model x failed\ntrace"),
            notifiers=[seen.append],
        )
    assert _alerts(db) == [
        ("run-1", "full_refresh", "dbt_models", "DbtCliError", "model x failed\ntrace")
    ]
    assert seen and seen[0].step_key == "dbt_models"
    assert "run=run-1" in caplog.text and "step=dbt_models" in caplog.text


def test_broken_notifier_does_not_lose_the_alert(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"

    def broken(alert: Alert) -> None:
        raise ConnectionError("chat is down")

    record_alert(db, Alert("r", "j", "s", "E", "m"), notifiers=[broken])
    assert len(_alerts(db)) == 1


def test_alert_is_spooled_while_another_run_writes_then_flushed(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    lock = db.with_suffix(".writer.lock")
    holder = hold_lock(lock, 30)
    try:
        record_alert(db, Alert("r1", "j", "s", "E", "first"), notifiers=[], lock_timeout=0.2)
    finally:
        holder.kill()
        holder.wait()
    assert spool_path(db).exists() and not db.exists()
    record_alert(db, Alert("r2", "j", "s", "E", "second"), notifiers=[])
    # the holder was killed (SIGKILL) holding the lock: that is an alert of its own
    assert [(a[0], a[3]) for a in _alerts(db)] == [
        ("r1", "E"),
        ("r2", "E"),
        (None, "RunInterrupted"),
    ]
    assert not spool_path(db).exists()


def test_spool_is_flushed_without_a_new_alert(tmp_path: Path) -> None:
    """flush_pending (start of every run, `healthplan status`) writes what was spooled."""
    db = tmp_path / "wh.duckdb"
    lock = db.with_suffix(".writer.lock")
    holder = hold_lock(lock, 30)
    try:
        record_alert(db, Alert("r1", "j", "s", "E", "spooled"), notifiers=[], lock_timeout=0.2)
        assert flush_pending(db, lock_file=lock, notifiers=[], lock_timeout=0.2) == []  # busy
    finally:
        holder.terminate()  # SIGTERM: the holder's `with` does not run either: still a death
        holder.wait()
    flushed = flush_pending(db, lock_file=lock, notifiers=[])
    assert sorted(a.error_type for a in flushed) == ["E", "RunInterrupted"]
    assert not spool_path(db).exists()
    assert flush_pending(db, lock_file=lock, notifiers=[]) == []  # nothing twice
    assert len(_alerts(db)) == 2


def test_writer_killed_holding_the_lock_is_alerted_once_with_what_it_was_doing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "wh.duckdb"
    lock = db.with_suffix(".writer.lock")
    holder = hold_lock(lock, 30, purpose="healthplan ingest")
    holder.kill()  # kill -9
    holder.wait()
    seen: list[Alert] = []
    flushed = flush_pending(db, lock_file=lock, notifiers=[seen.append])
    assert [a.error_type for a in flushed] == ["RunInterrupted"]
    assert f"pid {holder.pid}" in flushed[0].message
    assert "healthplan ingest" in flushed[0].message  # what it was doing
    assert seen == flushed  # delivered to the notifiers, too
    assert flush_pending(db, lock_file=lock, notifiers=[]) == []
    # a writer that finishes normally leaves nothing to alert
    with writer_lock(lock, purpose="clean"):
        pass
    assert flush_pending(db, lock_file=lock, notifiers=[]) == []
    assert len(_alerts(db)) == 1


def test_notifiers_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pipelines import alerts

    monkeypatch.setenv(alerts.NOTIFIERS_ENV, "logging:getLogger")
    assert alerts.configured_notifiers() == [logging.getLogger]
    monkeypatch.setenv(alerts.NOTIFIERS_ENV, "no-colon")
    with pytest.raises(ValueError, match="module:callable"):
        alerts.configured_notifiers()


def test_terminal_colours_are_stripped_from_stored_messages(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    record_alert(db, Alert("r", "j", "s", "E", "\x1b[31mFAIL 7\x1b[0m in test"), notifiers=[])
    assert _alerts(db)[0][4] == "FAIL 7 in test"


def test_run_failure_outside_steps_is_alerted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.alerting import alert_for_run_failure

    db = tmp_path / "wh.duckdb"
    monkeypatch.setenv("HEALTHPLAN_WAREHOUSE", str(db))
    monkeypatch.setenv("HEALTHPLAN_ALERT_NOTIFIERS", "")
    # Step failures were already alerted by the failure hook: nothing more.
    assert alert_for_run_failure("r1", "full_refresh", [object()], "boom") is None  # type: ignore[list-item]
    assert not db.exists()
    alert = alert_for_run_failure("r2", "full_refresh", [], "lock timeout")
    assert alert is not None and alert.error_type == "RunFailure"
    assert _alerts(db) == [("r2", "full_refresh", None, "RunFailure", "lock timeout")]


def test_healthplan_status_flushes_the_spool_and_lists_the_alerts(tmp_path: Path) -> None:
    """`healthplan status` after real failures no longer says "latest alerts: none"."""
    import os
    import subprocess
    import sys

    db = tmp_path / "wh" / "healthplan.duckdb"
    db.parent.mkdir()
    lock = db.with_suffix(".writer.lock")
    holder = hold_lock(lock, 30, purpose="healthplan run")
    try:
        record_alert(
            db, Alert("r1", "j", "s", "DbtCliError", "spooled"), notifiers=[], lock_timeout=0.2
        )
    finally:
        holder.kill()
        holder.wait()
    assert spool_path(db).exists()
    env = {
        **os.environ,
        "HEALTHPLAN_WAREHOUSE": str(db),
        "HEALTHPLAN_RAW": str(tmp_path / "raw"),
        "HEALTHPLAN_PUBLISHED": str(tmp_path / "pub" / "healthplan.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "HEALTHPLAN_ALERT_NOTIFIERS": "",
    }
    exe = str(Path(sys.executable).parent / "healthplan")
    out = subprocess.run(
        [exe, "status"], env=env, capture_output=True, text=True, timeout=300, check=True
    ).stdout
    assert "alerts flushed now:  2" in out
    assert "storage format:      v1.5.0+ (current)" in out  # the spool's flush made the file
    assert "latest alerts (working warehouse): 2" in out
    assert "DbtCliError: spooled" in out and "RunInterrupted" in out
    assert not spool_path(db).exists()


def test_a_lock_record_from_before_the_upgrade_is_not_an_interruption(tmp_path: Path) -> None:
    """Records written before finished_at existed carry no "format": how they ended is unknown,
    so the first run after an upgrade raises no RunInterrupted alert for them."""
    db = tmp_path / "wh.duckdb"
    lock = db.with_suffix(".writer.lock")
    legacy = {"pid": 4242, "host": "h", "purpose": "healthplan run", "started_at": "2026-01-01"}
    lock.write_text(json.dumps(legacy), encoding="utf-8")
    assert flush_pending(db, lock_file=lock, notifiers=[]) == []
    assert not db.exists() or _alerts(db) == []
