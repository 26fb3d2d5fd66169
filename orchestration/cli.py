"""``healthplan``: run the warehouse from the command line (headless Dagster, in-process).

Runs are recorded in the persistent Dagster instance at ``$DAGSTER_HOME`` (default
``<repo>/.dagster_home``), so ``make dev`` shows them.  Every writing command holds the warehouse
writer lock; a second one waits ``--wait`` seconds (default ``HEALTHPLAN_LOCK_TIMEOUT`` or 60) and
is then refused with a message naming the holder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipelines.config import DBT_PROJECT_DIR, PROJECT_ROOT, Settings, load_settings
from pipelines.locking import WarehouseLockedError, describe_holder, is_locked, read_holder
from pipelines.locking import writer_lock as _writer_lock

EXIT_RUN_FAILED = 1
EXIT_LOCKED = 3
PID_TAG = "healthplan/pid"

#: Assessment statuses grouped into the scorecard's columns.
SCORECARD_BUCKETS: dict[str, tuple[str, ...]] = {
    "met": ("met", "met_early"),
    "not_met": ("not_met",),
    "on_track": ("on_track",),
    "off_track": ("off_track",),
    "no_data": ("no_data", "insufficient_data", "baseline_only", "reference_missing"),
}


def _dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    return home


def _instance() -> Any:
    import dagster as dg

    _dagster_home()
    return dg.DagsterInstance.get()


def recover_stale_runs(instance: Any) -> dict[str, list[str]]:
    """Mark runs of dead ``healthplan`` processes failed and free their pool slots.

    Called while holding the writer lock, so no other healthplan writer is alive: a run still
    "started" whose process is gone was killed, and its concurrency slots would otherwise block
    the ``duckdb`` pool forever. Returns, per dead pid, what its runs were doing
    (``job: step, step``) for the interruption alert (``pipelines.alerts.flush_pending``).
    """
    import dagster as dg
    import psutil

    doing: dict[str, list[str]] = {}
    active = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=active)):
        pid = run.tags.get(PID_TAG)
        if pid is None or int(pid) == os.getpid() or psutil.pid_exists(int(pid)):
            continue
        steps = [
            s.step_key
            for s in instance.get_run_step_stats(run.run_id)
            if s.start_time is not None and s.end_time is None
        ]
        instance.report_run_failed(run)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        doing.setdefault(pid, []).append(
            f"run {run.run_id} of job {run.job_name}"
            + (f" in step {', '.join(steps)}" if steps else " before any step finished")
        )
    return doing


def _register_files(instance: Any, settings: Settings, only: Sequence[str] = ()) -> list[str]:
    """Add landing-zone files as partitions; return the keys to ingest (all, or ``only``)."""
    from orchestration.landing import LANDING_FILES, discover, partition_key

    keys = [partition_key(p, settings.raw) for p in discover(settings.raw)]
    if only:
        wanted = []
        for item in only:
            path = Path(item).resolve()
            key = partition_key(path, settings.raw) if path.exists() else item
            if key not in keys:
                raise SystemExit(f"healthplan: {item} is not a data file in {settings.raw}")
            wanted.append(key)
        keys = wanted
    known = set(instance.get_dynamic_partitions(LANDING_FILES.name))
    new = [k for k in keys if k not in known]
    if new:
        instance.add_dynamic_partitions(LANDING_FILES.name, new)
    return keys


def _execute(
    job_name: str,
    *,
    files: Sequence[str] | None,
    only_assets: Sequence[Any] | None = None,
    wait: float | None,
    purpose: str,
    extra_tags: dict[str, str] | None = None,
) -> tuple[Any, Settings]:
    """Run a job in-process under the writer lock. ``files=None`` means the job takes no files.

    ``extra_tags`` are added to the run's tags (e.g. forcing a full dbt rebuild).
    """
    from orchestration.keys import RAW_FILES
    from orchestration.landing import LANDING_FILES, range_tags
    from orchestration.project import prepare_manifest
    from pipelines.alerts import flush_pending

    settings = load_settings()
    instance = _instance()
    with _writer_lock(settings.lock_file, timeout=wait, purpose=purpose):
        # a run that died (kill -9, power loss) raises its alert before anything else happens
        flush_pending(
            settings.warehouse, lock_file=settings.lock_file, doing=recover_stale_runs(instance)
        )
        prepare_manifest()
        from orchestration.definitions import defs

        job = defs.resolve_job_def(job_name)
        tags = {PID_TAG: str(os.getpid()), "healthplan/trigger": "cli", **(extra_tags or {})}
        selection = list(only_assets) if only_assets else None
        if files is not None:
            keys = _register_files(instance, settings, files)
            if keys:
                ordered = list(instance.get_dynamic_partitions(LANDING_FILES.name))
                tags |= range_tags(keys, ordered)
            else:
                print(f"healthplan: no data files in {settings.raw}", file=sys.stderr)
                keys_all = job.asset_layer.selected_asset_keys
                selection = selection or [k for k in keys_all if k != RAW_FILES]
        result = job.execute_in_process(
            instance=instance,
            tags=tags,
            asset_selection=selection,
            raise_on_error=False,
            # The full event stream is in the Dagster UI; the terminal gets INFO and up.
            run_config={"loggers": {"console": {"config": {"log_level": _log_level()}}}},
        )
        if not result.success:
            _report_failure(result, job_name)
    return result, settings


def _log_level() -> str:
    return os.environ.get("HEALTHPLAN_LOG_LEVEL", "INFO").upper()


def _report_failure(result: Any, job_name: str) -> None:
    """Print failed steps; alert for failures outside steps (steps alert through the hook)."""
    from orchestration.alerting import alert_for_run_failure

    failures = [e for e in result.all_events if e.is_step_failure]
    for event in failures:
        error = event.step_failure_data.error
        message = error.message.strip() if error else ""
        print(f"healthplan: step {event.step_key} failed: {message}", file=sys.stderr)
    run_failure = next((e for e in result.all_events if e.is_run_failure), None)
    alert_for_run_failure(
        result.run_id, job_name, failures, run_failure.message if run_failure else ""
    )
    print(
        f"healthplan: run {result.run_id} failed; alert recorded in monitoring.alerts. "
        "The published warehouse was left as it was.",
        file=sys.stderr,
    )


SCORECARD_FROM_MART = """
select plan_id, n_targets as targets, n_met + n_met_early as met, n_not_met as not_met,
    n_on_track as on_track, n_off_track as off_track,
    n_no_data + n_insufficient_data + n_baseline_only + n_reference_missing as no_data
from marts.mart_plan_scorecard where is_latest order by plan_id
"""


def scorecard(db_path: Path) -> list[dict[str, Any]]:
    """Per plan: how many current targets are met / not met / on track / off track / no data.

    Read from ``marts.mart_plan_scorecard``; computed from ``marts.fct_target_assessment`` if the
    mart is missing or has a different shape.
    """
    import duckdb

    buckets = ", ".join(
        f"count(*) filter (where status in ({', '.join(repr(s) for s in states)})) as {name}"
        for name, states in SCORECARD_BUCKETS.items()
    )
    from_fact = (
        f"select plan_id, count(*) as targets, {buckets} "
        "from marts.fct_target_assessment where is_latest group by plan_id order by plan_id"
    )
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        try:
            cur = con.execute(SCORECARD_FROM_MART)
        except duckdb.Error:
            cur = con.execute(from_fact)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def _print_scorecard(rows: list[dict[str, Any]]) -> None:
    cols = ["plan_id", "targets", *SCORECARD_BUCKETS]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) if rows else len(c) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols))
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in cols))
    if rows:
        print(
            "(targets = target × region assessments: a target set for every town counts once per "
            "town; met includes met early; no data includes baseline only, too little data and a "
            "missing reference year; other statuses: see marts.fct_target_assessment.status)"
        )


def _latest_path(instance: Any, key: Any, field: str = "path") -> str | None:
    event = instance.get_latest_materialization_event(key)
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get(field)
    return getattr(value, "path", None) or (str(value.value) if value is not None else None)


def _print_outputs(settings: Settings) -> None:
    from orchestration.keys import DATA_DOCS, FAILURE_REPORT

    instance = _instance()
    print(f"warehouse (working):      {settings.warehouse}")
    print(f"published (analysts):     {settings.published}")
    report = _latest_path(instance, FAILURE_REPORT, "html") or _latest_path(
        instance, FAILURE_REPORT
    )
    print(f"failure report:           {report or settings.reports}")
    print(f"GX Data Docs:             {_latest_path(instance, DATA_DOCS) or settings.data_docs}")


def _materializations(result: Any) -> list[Any]:
    return [
        e.event_specific_data.materialization for e in result.get_asset_materialization_events()
    ]


def cmd_run(args: argparse.Namespace) -> int:
    """The main job: every asset, headless and in-process; a no-op when nothing changed."""
    from orchestration.jobs import FULL_REFRESH
    from orchestration.keys import FULL_REFRESH_TAG, PUBLISHED

    started = time.monotonic()
    # --force rebuilds every dbt model from all raw data, not just the regions with new rows
    result, settings = _execute(
        FULL_REFRESH,
        files=[],
        wait=args.wait,
        purpose="healthplan run",
        extra_tags={FULL_REFRESH_TAG: "true"} if args.force else None,
    )
    if not result.success:
        return EXIT_RUN_FAILED
    elapsed = time.monotonic() - started
    if not any(m.asset_key == PUBLISHED for m in _materializations(result)):
        print(
            f"\nhealthplan: up to date — run {result.run_id} found nothing new ({elapsed:.1f}s): "
            "no data ingested, models, suites and code unchanged since the last published run, "
            "so nothing was rebuilt. Use `healthplan run --force` to rebuild anyway.\n"
        )
    else:
        print(f"\nhealthplan run {result.run_id} succeeded in {elapsed:.1f}s\n")
    try:
        _print_scorecard(scorecard(settings.published))
    except Exception as exc:  # a scorecard problem must not turn a good run into a failure
        print(f"(scorecard unavailable: {exc})")
    print()
    _print_outputs(settings)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files (all, or the given ones) and, unless ``--only``, everything downstream."""
    from orchestration.jobs import INGEST_NEW_FILES
    from orchestration.keys import RAW_FILES

    result, _ = _execute(
        INGEST_NEW_FILES,
        files=args.files,
        only_assets=[RAW_FILES] if args.only else None,
        wait=args.wait,
        purpose="healthplan ingest",
    )
    return 0 if result.success else EXIT_RUN_FAILED


def cmd_validate(args: argparse.Namespace) -> int:
    """Re-run the GX suites on the current marts, rebuild the report and Data Docs, publish."""
    from orchestration.jobs import REVALIDATE

    result, settings = _execute(
        REVALIDATE, files=None, wait=args.wait, purpose="healthplan validate"
    )
    if result.success:
        _print_outputs(settings)
    return 0 if result.success else EXIT_RUN_FAILED


def cmd_report(args: argparse.Namespace) -> int:
    """Rebuild the failure report (and publish) from the latest validation results."""
    from orchestration.jobs import REVALIDATE
    from orchestration.keys import FAILURE_REPORT, PUBLISHED

    result, settings = _execute(
        REVALIDATE,
        files=None,
        only_assets=[FAILURE_REPORT, PUBLISHED],
        wait=args.wait,
        purpose="healthplan report",
    )
    if result.success:
        _print_outputs(settings)
    return 0 if result.success else EXIT_RUN_FAILED


def cmd_prepare(args: argparse.Namespace) -> int:
    """``dbt parse``: write the manifest Dagster builds its dbt assets from."""
    from orchestration.project import prepare_manifest

    print(f"dbt manifest: {prepare_manifest()}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """``dbt docs generate --static`` into a folder and say how to open it."""
    from orchestration.project import dbt_executable, prepare_manifest

    settings = load_settings()
    out = Path(args.out).resolve() if args.out else settings.reports / "dbt_docs"
    with _writer_lock(settings.lock_file, timeout=args.wait, purpose="healthplan docs"):
        prepare_manifest()
        cmd = [
            dbt_executable(),
            "docs",
            "generate",
            "--static",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(out),
        ]
        proc = subprocess.run(cmd, cwd=DBT_PROJECT_DIR, env=settings.dbt_env())
    if proc.returncode != 0:
        return proc.returncode
    print(
        f"\ndbt docs: {out / 'static_index.html'} (one self-contained file; open it in a browser)"
    )
    print(f"or serve the folder: python -m http.server -d {out} 8080  → http://127.0.0.1:8080")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Where everything is, who holds the writer lock, recent runs and alerts."""
    from orchestration.landing import LANDING_FILES, discover

    settings = load_settings()
    print(f"warehouse (working): {settings.warehouse}")
    print(f"published:           {settings.published}")
    print(f"landing zone:        {settings.raw}")
    print(f"reports:             {settings.reports}")
    print(f"DAGSTER_HOME:        {_dagster_home()}")
    if is_locked(settings.lock_file):
        holder = read_holder(settings.lock_file) or {}
        print(f"writer lock:         HELD by {describe_holder(holder)}")
    else:
        print("writer lock:         free")
    instance = _instance()
    known = set(instance.get_dynamic_partitions(LANDING_FILES.name))
    try:
        files = discover(settings.raw)
        print(f"landing files:       {len(files)} on disk, {len(known)} registered partitions")
    except Exception as exc:
        print(f"landing files:       cannot list ({exc})")
    print("recent runs:")
    for run in instance.get_runs(limit=5):
        stats = instance.get_run_stats(run.run_id)
        start = (
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stats.start_time))
            if stats.start_time
            else "-"
        )
        print(f"  {run.run_id[:8]}  {run.job_name:<24} {run.status.value:<10} {start}")
    _print_alerts(settings)
    return 0


def _print_alerts(settings: Settings) -> None:
    """Flush pending alerts (spool, dead writers) if the warehouse is free, then list the latest.

    Read from the working warehouse when it is free (alerts land there first), else from the
    published copy plus the spool waiting for the running writer.
    """
    import duckdb

    from pipelines.alerts import flush_pending, spooled_count

    flushed = flush_pending(settings.warehouse, lock_file=settings.lock_file, lock_timeout=0)
    if flushed:
        print(f"alerts flushed now:  {len(flushed)} (spooled or raised for a dead writer)")
    busy = is_locked(settings.lock_file)
    source = settings.published if busy else settings.warehouse
    rows: list[tuple[Any, ...]] = []
    if source.exists():
        try:
            con = duckdb.connect(str(source), read_only=True)
        except duckdb.Error:
            con = None
        if con is not None:
            try:
                rows = con.execute(
                    "select raised_at, run_id, job_name, step_key, error_type, message "
                    "from monitoring.alerts order by raised_at desc limit 5"
                ).fetchall()
            except duckdb.Error:
                rows = []
            finally:
                con.close()
    where = "published copy; a run is writing" if busy else "working warehouse"
    print(f"latest alerts ({where}): {len(rows) or 'none'}")
    for raised_at, run_id, job, step, etype, msg in rows:
        first = (msg or "").splitlines()[0][:100] if msg else ""
        print(f"  {raised_at} run={str(run_id)[:8]} {job}/{step}: {etype}: {first}")
    waiting = spooled_count(settings.warehouse)
    if waiting:
        print(f"alerts waiting in the spool for the running writer: {waiting}")


def _landing_key(item: str, raw: Path) -> str:
    """A landing-zone path as ingestion records it (relative, POSIX), from what a user typed."""
    path = Path(item)
    full = path if path.is_absolute() else Path.cwd() / path
    try:
        return full.resolve().relative_to(raw.resolve()).as_posix()
    except ValueError:  # typed relative to the landing zone itself
        return path.as_posix()


def cmd_retract(args: argparse.Namespace) -> int:
    """Retract files removed from the landing zone, then run the main job so the marts follow.

    A file deleted from the landing zone is kept (its rows stay current) until retracted here;
    nothing is deleted, so earlier states stay queryable (docs/ingestion.md#arrivals).
    """
    import duckdb

    from pipelines.ingest import ensure_raw_schema
    from pipelines.ingest.arrivals import RetractionError, retract

    settings = load_settings()
    run_id = f"retract-{time.strftime('%Y%m%dT%H%M%S')}"
    with _writer_lock(settings.lock_file, timeout=args.wait, purpose="healthplan retract"):
        con = duckdb.connect(str(settings.warehouse))
        try:
            ensure_raw_schema(con)
            con.begin()
            try:
                for item in args.paths:
                    done = retract(con, _landing_key(item, settings.raw), settings.raw, run_id)
                    print(f"healthplan: retracted {done.file_path} at {done.ingested_at}")
            except RetractionError as exc:
                con.rollback()
                print(f"healthplan: {exc}; nothing retracted", file=sys.stderr)
                return EXIT_RUN_FAILED
            con.commit()
        finally:
            con.close()
    return cmd_run(argparse.Namespace(force=False, wait=args.wait))


def cmd_generate(argv: list[str]) -> int:
    """Forward to the sample/scale data generator."""
    from pipelines.generate.cli import main as generate_main

    return int(generate_main(argv) or 0)


def cmd_extract(argv: list[str]) -> int:
    """Forward to the plan-text extractor (``healthplan extract --help``)."""
    from pipelines.extract.cli import main as extract_main

    return int(extract_main(argv) or 0)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and ``--help``)."""
    parser = argparse.ArgumentParser(prog="healthplan", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def with_wait(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--wait",
            type=float,
            default=None,
            metavar="SECONDS",
            help="how long to wait for another writer (default HEALTHPLAN_LOCK_TIMEOUT or 60)",
        )
        return p

    p = with_wait(
        sub.add_parser("run", help="the main job: ingest, build, validate, report, publish")
    )
    p.add_argument(
        "--force", action="store_true", help="rebuild even when nothing changed since the last run"
    )
    p = with_wait(sub.add_parser("ingest", help="ingest landing-zone files (+ downstream)"))
    p.add_argument("files", nargs="*", help="files to (re-)ingest; default: all in the zone")
    p.add_argument("--only", action="store_true", help="ingest only; do not rebuild downstream")
    with_wait(sub.add_parser("validate", help="re-run GX suites, rebuild report, publish"))
    with_wait(sub.add_parser("report", help="rebuild the failure report and publish"))
    sub.add_parser("prepare", help="dbt parse → manifest (needed by Dagster)")
    p = with_wait(sub.add_parser("docs", help="dbt docs generate into a folder"))
    p.add_argument("--out", help="output folder (default <reports>/dbt_docs)")
    sub.add_parser("status", help="paths, writer lock, recent runs, alerts")
    p = with_wait(sub.add_parser("retract", help="retract files removed from the landing zone"))
    p.add_argument("paths", nargs="+", help="landing-zone paths (relative to HEALTHPLAN_RAW)")
    sub.add_parser("generate", help="synthetic/sample data (see healthplan generate --help)")
    sub.add_parser("extract", help="plan text → draft framework (see healthplan extract --help)")
    return parser


COMMANDS = {
    "run": cmd_run,
    "ingest": cmd_ingest,
    "validate": cmd_validate,
    "report": cmd_report,
    "prepare": cmd_prepare,
    "docs": cmd_docs,
    "status": cmd_status,
    "retract": cmd_retract,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``healthplan`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Beta-API notices (backfill_policy, pools) are for developers, not for every run's output.
    warnings.filterwarnings("ignore", message=r".*currently in beta.*")
    if argv[:1] == ["generate"]:
        return cmd_generate(argv[1:])
    if argv[:1] == ["extract"]:
        return cmd_extract(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WarehouseLockedError as exc:
        print(f"healthplan: {exc}", file=sys.stderr)
        return EXIT_LOCKED


if __name__ == "__main__":
    sys.exit(main())
