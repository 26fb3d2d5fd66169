"""Atomic publishing: readers are never blocked and see the new state only after the swap."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from orch_helpers import ask, start_reader

from pipelines import publish
from pipelines.publish import PublishError, publish_warehouse


def _working(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.t as select range as i from range(?)", [rows])
    con.close()


def _count(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select count(*) from marts.t").fetchone()[0]
    finally:
        con.close()


def test_publish_copies_a_readonly_complete_snapshot(tmp_path: Path) -> None:
    working, published = tmp_path / "wh.duckdb", tmp_path / "pub" / "wh.duckdb"
    _working(working, 3)
    result = publish_warehouse(working, published)
    assert result.published == published and result.tables == 1
    assert _count(published) == 3
    assert not (published.stat().st_mode & 0o222), "published copy must be read-only on disk"
    assert not Path(f"{working}.wal").exists()
    assert list(published.parent.iterdir()) == [published]


def test_reader_holding_the_published_file_sees_new_state_only_after_swap(tmp_path: Path) -> None:
    working, published = tmp_path / "wh.duckdb", tmp_path / "pub" / "wh.duckdb"
    _working(working, 3)
    publish_warehouse(working, published)
    reader = start_reader(published, "select count(*) from marts.t")
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().split() == ["ready", "3"]
        # While the reader holds the published file, the run writes the working file freely…
        _working(working, 5)
        assert ask(reader, "q") == "3"
        # …and publishing does not wait for the reader; the open connection keeps the old state.
        publish_warehouse(working, published)
        assert ask(reader, "q") == "3"
        assert ask(reader, "r") == "5"  # a new connection sees the new state
    finally:
        ask(reader, "x")
        reader.wait(timeout=30)


def test_same_process_sees_a_new_publish_only_after_closing_every_connection(
    tmp_path: Path,
) -> None:
    """README "For analysts": DuckDB shares one database instance per file among a process's
    open connections, so a second connection opened while the first is still open sees the old
    copy; close them all, reconnect, and the new publish is there."""
    working, published = tmp_path / "wh.duckdb", tmp_path / "pub" / "wh.duckdb"
    _working(working, 3)
    publish_warehouse(working, published)
    first = duckdb.connect(str(published), read_only=True)
    _working(working, 5)
    publish_warehouse(working, published)
    second = duckdb.connect(str(published), read_only=True)  # `first` is still open
    assert second.execute("select count(*) from marts.t").fetchone() == (3,)  # stale
    first.close()
    second.close()
    fresh = duckdb.connect(str(published), read_only=True)
    try:
        assert fresh.execute("select count(*) from marts.t").fetchone() == (5,)
    finally:
        fresh.close()


def test_failed_copy_leaves_published_untouched_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    working, published = tmp_path / "wh.duckdb", tmp_path / "pub" / "wh.duckdb"
    _working(working, 3)
    publish_warehouse(working, published)
    before = published.read_bytes()
    _working(working, 9)

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt("killed half way through the copy")

    monkeypatch.setattr(publish.shutil, "copyfile", killed)
    with pytest.raises(KeyboardInterrupt):
        publish_warehouse(working, published)
    assert published.read_bytes() == before
    assert list(published.parent.iterdir()) == [published]


def test_stale_temp_from_a_killed_publish_is_removed(tmp_path: Path) -> None:
    working, published = tmp_path / "wh.duckdb", tmp_path / "pub" / "wh.duckdb"
    _working(working, 2)
    published.parent.mkdir()
    stale = published.parent / f".publish-tmp-{published.name}abc"
    stale.write_bytes(b"half a file")
    publish_warehouse(working, published)
    assert not stale.exists() and _count(published) == 2


def test_refuses_to_publish_over_the_working_file(tmp_path: Path) -> None:
    working = tmp_path / "wh.duckdb"
    _working(working, 1)
    with pytest.raises(PublishError, match="must differ"):
        publish_warehouse(working, working)
    with pytest.raises(PublishError, match="does not exist"):
        publish_warehouse(tmp_path / "missing.duckdb", tmp_path / "pub.duckdb")


def test_corrupt_copy_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    working, published = tmp_path / "wh.duckdb", tmp_path / "pub" / "wh.duckdb"
    _working(working, 1)
    publish_warehouse(working, published)
    before = published.read_bytes()

    def garbage(src: object, dst: Path) -> None:
        Path(dst).write_bytes(b"not a duckdb file" * 100)

    monkeypatch.setattr(publish.shutil, "copyfile", garbage)
    with pytest.raises(PublishError, match="does not open"):
        publish_warehouse(working, published)
    assert published.read_bytes() == before
