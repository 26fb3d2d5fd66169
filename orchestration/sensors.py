"""The landing-zone sensor: new or changed files become partitions and one run request.

Each tick lists the landing zone and looks only at files that changed (:func:`changed_at_ns`) since
the cursor, a single timestamp, plus files not yet registered.  Of those it hashes the content
(:func:`content_version`) and compares it with the file's last observed data version, kept by
Dagster as an observation of the file's partition of ``raw/landing_files``: a file touched or
copied over with the same bytes is not new.  New files are added as dynamic partitions; new and
changed files are ingested in one run of ``ingest_new_files``, which also rebuilds everything
downstream of raw data (the run itself skips that work if ingestion wrote nothing:
``pipelines.run_state``).  A file changed within the last ``HEALTHPLAN_SENSOR_SETTLE_SECONDS``
(default 5) is left for the next tick: it may still be being copied in.

File times come from the kernel's coarse clock (a tick of a few ms behind ``time.time_ns``), or a
file server's clock, or a file system with 2-second stamps: a file written just after a tick can
carry a time at or before that tick's cursor.  So the cursor only rules out files older than
``TIMESTAMP_SLACK_NS`` before it; younger ones are hashed again and compared with their last data
version, which costs a few hashes and never a spurious run.
"""

import hashlib
import os
import time
from pathlib import Path

import dagster as dg

from orchestration.jobs import INGEST_NEW_FILES, ingest_new_files_job
from orchestration.keys import RAW_FILES
from orchestration.landing import (
    LANDING_FILES,
    LANDING_FILES_NAME,
    changed_at_ns,
    content_version,
    discover,
    dump_cursor,
    load_cursor,
    partition_key,
    range_tags,
)
from pipelines.config import load_settings

SETTLE_ENV = "HEALTHPLAN_SENSOR_SETTLE_SECONDS"
#: Metadata key of the observation that records a landing file's data version.
VERSION_KEY = "content_version"
#: How many of a partition's newest observations are searched for its data version.
OBSERVATIONS_READ = 20
#: How far before the cursor a file's time may fall and still be a change made after the tick.
TIMESTAMP_SLACK_NS = 2_000_000_000


def _settle_seconds() -> float:
    return float(os.environ.get(SETTLE_ENV, "5"))


def last_version(instance: dg.DagsterInstance, key: str) -> str | None:
    """The data version last observed for the file partition ``key`` (None: never observed)."""
    # Ingestion also observes each partition (its row counts): look past those.
    records = instance.fetch_observations(
        dg.AssetRecordsFilter(asset_key=RAW_FILES, asset_partitions=[key]), limit=OBSERVATIONS_READ
    ).records
    for record in records:
        observation = record.asset_observation
        value = observation.metadata.get(VERSION_KEY) if observation is not None else None
        if value is not None:
            return str(value.value)
    return None


def _last_materialized(instance: dg.DagsterInstance, key: str) -> float | None:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=RAW_FILES, asset_partitions=[key]), limit=1
    ).records
    return records[0].timestamp if records else None


def _observation(key: str, version: str) -> dg.AssetObservation:
    return dg.AssetObservation(
        asset_key=RAW_FILES,
        partition=key,
        metadata={VERSION_KEY: version},
        description="landing file seen by landing_zone_sensor",
    )


def evaluate_landing_zone(
    instance: dg.DagsterInstance, cursor: str | None, raw_dir: Path
) -> dg.SensorResult:
    """Pure sensor logic (also used by the benchmark): what changed since ``cursor``."""
    since = load_cursor(cursor)
    settled_before = since - TIMESTAMP_SLACK_NS  # older than this: considered at an earlier tick
    known = list(instance.get_dynamic_partitions(LANDING_FILES_NAME))
    known_set = set(known)
    horizon = time.time_ns() - int(_settle_seconds() * 1e9)
    new_keys: list[str] = []
    changed: list[str] = []
    versions: dict[str, str] = {}
    changed_ats: dict[str, int] = {}
    for path in discover(raw_dir):
        key = partition_key(path, raw_dir)
        changed_at = changed_ats[key] = changed_at_ns(path)
        if changed_at > horizon or (key in known_set and changed_at <= settled_before):
            continue  # still being written (next tick), or unchanged since it was considered
        version = content_version(path)
        if key not in known_set:
            new_keys.append(key)
        else:
            previous = last_version(instance, key)
            if previous is None:
                # Registered but never observed (e.g. loaded by `healthplan run`): changed only if
                # modified after its last ingestion.
                last = _last_materialized(instance, key)
                if last is not None and changed_at / 1e9 <= last:
                    versions[key] = version
                    continue
            elif previous == version:
                continue
            changed.append(key)
        versions[key] = version
    events = [_observation(k, v) for k, v in sorted(versions.items())]
    new_cursor = dump_cursor(max(since, horizon))
    to_run = changed + new_keys
    if not to_run:
        return dg.SensorResult(
            skip_reason="no new or changed files", cursor=new_cursor, asset_events=events
        )
    ordered = known + new_keys
    # mtime as well as content: a restore of earlier bytes (v1 → v2 → v1) is a new arrival and
    # must not reuse the run key of v1's first run (Dagster skips a run key it has seen)
    run_key = hashlib.sha256(
        "\n".join(f"{k}:{versions[k]}:{changed_ats[k]}" for k in sorted(to_run)).encode()
    ).hexdigest()[:32]
    tags = range_tags(to_run, ordered) | {
        "healthplan/trigger": "sensor",
        "healthplan/new_files": str(len(new_keys)),
        "healthplan/changed_files": str(len(changed)),
    }
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, job_name=INGEST_NEW_FILES, tags=tags)],
        dynamic_partitions_requests=[LANDING_FILES.build_add_request(new_keys)] if new_keys else [],
        cursor=new_cursor,
        asset_events=events,
    )


@dg.sensor(
    name="landing_zone_sensor",
    job=ingest_new_files_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="New or changed files in HEALTHPLAN_RAW → partitions + an ingest-and-downstream run.",
)
def landing_zone_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """See module docstring."""
    return evaluate_landing_zone(context.instance, context.cursor, load_settings().raw)
