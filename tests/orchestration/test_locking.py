"""The one-writer lock: refusal naming the holder, waiting, re-entrancy, crash release."""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from orch_helpers import PYTHON, hold_lock

from pipelines.locking import (
    WarehouseLockedError,
    is_locked,
    lock_timeout_from_env,
    read_holder,
    writer_lock,
)


def test_second_writer_is_refused_naming_the_holder(tmp_path: Path) -> None:
    lock = tmp_path / "wh.writer.lock"
    holder = hold_lock(lock, 30, purpose="healthplan run")
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError) as info:
            with writer_lock(lock, timeout=0.5):
                pytest.fail("acquired a lock another process holds")
        assert time.monotonic() - started >= 0.5
        message = str(info.value)
        assert f"pid {holder.pid}" in message
        assert "healthplan run" in message and "started" in message
        assert is_locked(lock)
    finally:
        holder.kill()
        holder.wait()


def test_waiting_writer_gets_the_lock_when_the_holder_finishes(tmp_path: Path) -> None:
    lock = tmp_path / "wh.writer.lock"
    holder = hold_lock(lock, 1.0)
    started = time.monotonic()
    with writer_lock(lock, timeout=20) as me:
        waited = time.monotonic() - started
        assert me["pid"] == os.getpid()
        assert read_holder(lock)["pid"] == os.getpid()
    holder.wait()
    assert 0.3 < waited < 15
    assert not is_locked(lock)


def test_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    lock = tmp_path / "wh.writer.lock"
    with writer_lock(lock, timeout=0):
        with writer_lock(lock, timeout=0):
            assert is_locked(lock)
        assert is_locked(lock)
    assert not is_locked(lock)


def test_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    lock = tmp_path / "wh.writer.lock"
    holder = hold_lock(lock, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with writer_lock(lock, timeout=2):
        assert read_holder(lock)["pid"] == os.getpid()


def test_timeout_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHPLAN_LOCK_TIMEOUT", "7.5")
    assert lock_timeout_from_env() == 7.5
    monkeypatch.setenv("HEALTHPLAN_LOCK_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="HEALTHPLAN_LOCK_TIMEOUT"):
        lock_timeout_from_env()


WRITER = textwrap.dedent(
    """
    import sys, time, duckdb
    from pipelines.locking import writer_lock
    db, lock, name = sys.argv[1:4]
    with writer_lock(lock, timeout=60, purpose=name):
        con = duckdb.connect(db)
        con.execute("create table if not exists log (who varchar, ts double, phase varchar)")
        con.execute("insert into log values (?, ?, 'start')", [name, time.time()])
        for i in range(20):
            con.execute("insert into log values (?, ?, 'row')", [name, time.time()])
            time.sleep(0.02)
        con.execute("insert into log values (?, ?, 'end')", [name, time.time()])
        con.close()
    """
)


def test_two_contending_writer_processes_never_overlap(tmp_path: Path) -> None:
    db, lock = tmp_path / "wh.duckdb", tmp_path / "wh.writer.lock"
    procs = [
        subprocess.Popen([PYTHON, "-c", WRITER, str(db), str(lock), name], stderr=subprocess.PIPE)
        for name in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    con = duckdb.connect(str(db), read_only=True)
    spans = con.execute(
        "select who, min(ts), max(ts), count(*) filter (where phase = 'row') "
        "from log group by who order by 2"
    ).fetchall()
    con.close()
    assert [s[3] for s in spans] == [20, 20]
    (_, _, first_end, _), (_, second_start, _, _) = spans
    assert first_end <= second_start  # the second writer started only after the first finished
