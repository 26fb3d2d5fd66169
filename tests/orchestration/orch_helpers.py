"""Helpers for orchestration tests: subprocess lock holders and published-file readers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PYTHON = sys.executable


def hold_lock(lock_file: Path, seconds: float, purpose: str = "test holder") -> subprocess.Popen:
    """Start a process that takes the writer lock, prints ``locked`` and holds it ``seconds``."""
    code = textwrap.dedent(
        f"""
        import signal, sys, time
        # die of SIGTERM as a real writer would, whatever the test worker's signal state
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
        from pipelines.locking import writer_lock
        with writer_lock({str(lock_file)!r}, timeout=30, purpose={purpose!r}):
            print("locked", flush=True)
            time.sleep({seconds})
        """
    )
    proc = subprocess.Popen([PYTHON, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def start_reader(db_path: Path, sql: str) -> subprocess.Popen:
    """A separate process that opens ``db_path`` read-only and answers ``sql`` on request.

    Protocol (one line each): ``q`` → query on the open connection, ``r`` → reconnect then query,
    ``x`` → exit.  It prints ``ready <answer>`` once connected.
    """
    code = textwrap.dedent(
        f"""
        import sys, duckdb
        path, sql = {str(db_path)!r}, {sql!r}
        con = duckdb.connect(path, read_only=True)
        print("ready", con.execute(sql).fetchone()[0], flush=True)
        for line in sys.stdin:
            cmd = line.strip()
            if cmd == "x":
                break
            if cmd == "r":
                con.close()
                con = duckdb.connect(path, read_only=True)
            print(con.execute(sql).fetchone()[0], flush=True)
        """
    )
    return subprocess.Popen(
        [PYTHON, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def ask(reader: subprocess.Popen, command: str) -> str:
    """Send a command to a reader started by :func:`start_reader` and return its answer."""
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.write(command + "\n")
    reader.stdin.flush()
    return reader.stdout.readline().strip()
