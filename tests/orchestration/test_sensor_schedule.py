"""Schedule and landing-zone sensor ticks produce the expected run requests."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.jobs import FULL_REFRESH, INGEST_NEW_FILES
from orchestration.landing import (
    LANDING_FILES,
    RANGE_END_TAG,
    RANGE_START_TAG,
    changed_at_ns,
    content_version,
    dump_cursor,
)
from orchestration.schedules import daily_full_refresh
from orchestration.sensors import (
    TIMESTAMP_SLACK_NS,
    evaluate_landing_zone,
    landing_zone_sensor,
    last_version,
)

CSV = "region,indicator,period,value\n江阴市,life_expectancy,{year},82.4\n"


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as inst:
        yield inst


@pytest.fixture
def raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv("HEALTHPLAN_RAW", str(raw))
    monkeypatch.setenv("HEALTHPLAN_SENSOR_SETTLE_SECONDS", "0")
    return raw


def _drop(raw: Path, rel: str, year: int, age_seconds: float = 60) -> Path:
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CSV.format(year=year), encoding="utf-8")
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))
    return path


def _tick(instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(instance=instance, cursor=cursor)
    result = landing_zone_sensor(context)
    assert isinstance(result, dg.SensorResult)
    # Apply what the daemon would: register the new partitions, store the observations.
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    for event in result.asset_events or []:
        instance.report_runless_asset_event(event)
    return result


def test_sensor_requests_one_run_for_new_files_then_only_for_changes(
    instance: dg.DagsterInstance, raw: Path
) -> None:
    _drop(raw, "a/one.csv", 2020, age_seconds=90)
    _drop(raw, "b/two.csv", 2021, age_seconds=60)

    first = _tick(instance, None)
    assert len(first.run_requests) == 1
    request = first.run_requests[0]
    assert request.job_name == INGEST_NEW_FILES
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (
        "a/one.csv",
        "b/two.csv",
    )
    assert [list(r.partition_keys) for r in first.dynamic_partitions_requests] == [
        ["a/one.csv", "b/two.csv"]
    ]
    assert instance.get_dynamic_partitions(LANDING_FILES.name) == ["a/one.csv", "b/two.csv"]

    # Nothing changed: no run.
    second = _tick(instance, first.cursor)
    assert second.run_requests in (None, []) and second.skip_reason

    # Touched without a content change: still no run.
    path = raw / "a/one.csv"
    os.utime(path, (time.time() - 30, time.time() - 30))
    third = _tick(instance, second.cursor)
    assert not third.run_requests

    # A revised file and a new file: one run covering both, the new one registered.
    _drop(raw, "a/one.csv", 2022, age_seconds=20)
    _drop(raw, "c/three.csv", 2023, age_seconds=10)
    fourth = _tick(instance, third.cursor)
    assert len(fourth.run_requests) == 1
    tags = fourth.run_requests[0].tags
    assert (tags[RANGE_START_TAG], tags[RANGE_END_TAG]) == ("a/one.csv", "c/three.csv")
    assert tags["healthplan/new_files"] == "1" and tags["healthplan/changed_files"] == "1"
    assert fourth.run_requests[0].run_key != request.run_key


def test_a_restore_of_earlier_bytes_is_a_new_run(instance: dg.DagsterInstance, raw: Path) -> None:
    """v1 → v2 → v1: the restore is an arrival (issue 20), so it gets a run of its own."""
    _drop(raw, "r/one.csv", 2020, age_seconds=90)
    first = _tick(instance, None)
    _drop(raw, "r/one.csv", 2021, age_seconds=60)
    second = _tick(instance, first.cursor)
    _drop(raw, "r/one.csv", 2020, age_seconds=30)  # the v1 bytes again
    third = _tick(instance, second.cursor)
    keys = [t.run_requests[0].run_key for t in (first, second, third)]
    assert len(set(keys)) == 3


def test_a_revision_stamped_just_before_the_cursor_is_still_seen(
    instance: dg.DagsterInstance, raw: Path
) -> None:
    """The kernel stamps files with a coarse clock, a few ms behind the cursor's clock: a file
    revised just after a tick can carry a time at or before that tick's cursor (CI saw it)."""
    path = _drop(raw, "a/one.csv", 2020)
    _tick(instance, None)
    path.write_text(CSV.format(year=2022), encoding="utf-8")
    just_after = dump_cursor(changed_at_ns(path) + 1_000_000)  # the tick ran 1 ms after the write
    result = _tick(instance, just_after)
    assert len(result.run_requests) == 1
    assert result.run_requests[0].tags["healthplan/changed_files"] == "1"
    assert last_version(instance, "a/one.csv") == content_version(path)
    # Older than the slack before the cursor: considered at an earlier tick, not even hashed.
    long_after = dump_cursor(changed_at_ns(path) + TIMESTAMP_SLACK_NS + 1)
    quiet = evaluate_landing_zone(instance, long_after, raw)
    assert not quiet.run_requests and not quiet.asset_events


def test_sensor_waits_for_files_still_being_written(
    instance: dg.DagsterInstance, raw: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHPLAN_SENSOR_SETTLE_SECONDS", "30")
    _drop(raw, "fresh.csv", 2020, age_seconds=0)
    result = evaluate_landing_zone(instance, None, raw)
    assert not result.run_requests and not result.asset_events
    monkeypatch.setenv("HEALTHPLAN_SENSOR_SETTLE_SECONDS", "0")
    later = evaluate_landing_zone(instance, result.cursor, raw)  # settled: considered now
    assert len(later.run_requests) == 1


def test_cursor_is_one_number_however_many_files(instance: dg.DagsterInstance, raw: Path) -> None:
    _drop(raw, "a.csv", 2020)
    small = _tick(instance, None).cursor
    for i in range(200):
        _drop(raw, f"many/{i:03d}.csv", 2000 + i % 20)
    result = _tick(instance, small)
    assert len(result.run_requests) == 1
    assert len(result.cursor or "") == len(small or "")
    # Every file's data version is kept by Dagster, as an observation of its partition.
    assert last_version(instance, "many/199.csv") == content_version(raw / "many/199.csv")
    # Copied over with the same bytes (new ctime, old mtime kept): not new.
    shutil.copy2(raw / "many/007.csv", raw / "copy.tmp")
    os.replace(raw / "copy.tmp", raw / "many/007.csv")
    assert not _tick(instance, result.cursor).run_requests


def test_sensor_ignores_sidecars_and_skips_when_empty(
    instance: dg.DagsterInstance, raw: Path
) -> None:
    assert not _tick(instance, None).run_requests
    _drop(raw, "one.csv", 2020)
    (raw / "one.csv.source.yml").write_text("layout: long\n", encoding="utf-8")
    result = _tick(instance, None)
    assert instance.get_dynamic_partitions(LANDING_FILES.name) == ["one.csv"]
    # Editing the sidecar changes how the file reads: the file is offered again.
    sidecar = raw / "one.csv.source.yml"
    sidecar.write_text("layout: long\nsource: revised\n", encoding="utf-8")
    stamp = time.time() - 5
    os.utime(sidecar, (stamp, stamp))
    again = _tick(instance, result.cursor)
    assert len(again.run_requests) == 1
    assert again.run_requests[0].tags[RANGE_START_TAG] == "one.csv"


def test_schedule_is_daily_in_shanghai_and_covers_every_file(
    instance: dg.DagsterInstance,
) -> None:
    assert daily_full_refresh.execution_timezone == "Asia/Shanghai"
    assert daily_full_refresh.cron_schedule == "0 6 * * *"
    instance.add_dynamic_partitions(LANDING_FILES.name, ["x.csv", "y/z.csv", "w.xlsx"])
    when = datetime(2026, 3, 2, 6, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=when)
    request = daily_full_refresh.evaluate_tick(context).run_requests[0]
    assert request.job_name == FULL_REFRESH
    assert request.run_key == f"{FULL_REFRESH}-2026-03-02"
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("x.csv", "w.xlsx")


def test_schedule_without_files_builds_everything_but_ingestion(
    instance: dg.DagsterInstance,
) -> None:
    from orchestration.definitions import defs
    from orchestration.keys import PUBLISHED, RAW_FILES

    when = datetime(2026, 3, 2, 6, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=when, repository_def=defs.get_repository_def()
    )
    request = daily_full_refresh.evaluate_tick(context).run_requests[0]
    assert request.asset_selection is not None
    assert RAW_FILES not in request.asset_selection and PUBLISHED in request.asset_selection
