"""The landing-zone sensor: new or changed files become partitions and one run request.

Each tick lists the landing zone, fingerprints every file (mtime + size; content sha256 only when
those moved) and compares with the cursor.  New files are added as dynamic partitions; new and
changed files are ingested in one run of ``ingest_new_files``, which also rebuilds everything
downstream of raw data — and nothing else.  A file whose mtime is younger than
``HEALTHPLAN_SENSOR_SETTLE_SECONDS`` (default 5) is left for the next tick: it may still be being
copied in.
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
    discover,
    dump_cursor,
    fingerprint,
    load_cursor,
    partition_key,
    range_tags,
)
from pipelines.config import load_settings

SETTLE_ENV = "HEALTHPLAN_SENSOR_SETTLE_SECONDS"


def _settle_seconds() -> float:
    return float(os.environ.get(SETTLE_ENV, "5"))


def _last_materialized(instance: dg.DagsterInstance, key: str) -> float | None:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=RAW_FILES, asset_partitions=[key]), limit=1
    ).records
    return records[0].timestamp if records else None


def evaluate_landing_zone(
    instance: dg.DagsterInstance, cursor: str | None, raw_dir: Path
) -> dg.SensorResult:
    """Pure sensor logic (also used by ``healthplan status``): what changed since ``cursor``."""
    state = load_cursor(cursor)
    known = list(instance.get_dynamic_partitions(LANDING_FILES.name))
    known_set = set(known)
    now = time.time()
    settle = _settle_seconds()
    new_state: dict[str, list[object]] = {}
    new_keys: list[str] = []
    changed: list[str] = []
    for path in discover(raw_dir):
        key = partition_key(path, raw_dir)
        previous = state.get(key)
        fp = fingerprint(path, previous)
        if now - fp.mtime_ns / 1e9 < settle:
            if previous is not None:
                new_state[key] = previous  # still being written: decide next tick
            continue
        new_state[key] = fp.to_list()
        if key not in known_set:
            new_keys.append(key)
        elif previous is None:
            # Known partition the sensor has not seen (e.g. loaded by `healthplan run`):
            # changed only if modified after its last ingestion.
            last = _last_materialized(instance, key)
            if last is None or fp.mtime_ns / 1e9 > last:
                changed.append(key)
        elif previous[2] != fp.sha256:
            changed.append(key)
    to_run = changed + new_keys
    if not to_run:
        return dg.SensorResult(skip_reason="no new or changed files", cursor=dump_cursor(new_state))
    ordered = known + new_keys
    # mtime as well as content: a restore of earlier bytes (v1 → v2 → v1) is a new arrival and
    # must not reuse the run key of v1's first run (Dagster skips a run key it has seen)
    run_key = hashlib.sha256(
        "\n".join(f"{k}:{new_state[k][0]}:{new_state[k][2]}" for k in sorted(to_run)).encode()
    ).hexdigest()[:32]
    tags = range_tags(to_run, ordered) | {
        "healthplan/trigger": "sensor",
        "healthplan/new_files": str(len(new_keys)),
        "healthplan/changed_files": str(len(changed)),
    }
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, job_name=INGEST_NEW_FILES, tags=tags)],
        dynamic_partitions_requests=[LANDING_FILES.build_add_request(new_keys)] if new_keys else [],
        cursor=dump_cursor(new_state),
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
