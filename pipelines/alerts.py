"""Operational alerts: a row in ``monitoring.alerts``, a log line, and pluggable notifiers.

Dagster's failure hook and run-failure sensor call :func:`record_alert`; so does ``healthplan run``
when a run fails.  Every recorded alert is pushed through the one delivery path,
``pipelines.notify.deliver_alert`` (企业微信 / 钉钉 group robots and ``HEALTHPLAN_ALERT_WEBHOOK``,
retried within a time budget, each delivery recorded in ``monitoring.notification_deliveries``).
Other notifiers (e-mail …) are plain callables taking an :class:`Alert`, configured through
``HEALTHPLAN_ALERT_NOTIFIERS`` (comma-separated ``module:callable`` import paths).  A notifier that
fails is logged, never fatal: the alert row is what counts.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.db import connect_warehouse
from pipelines.locking import (
    WarehouseLockedError,
    acknowledge_interrupted,
    describe_holder,
    writer_lock,
)

logger = logging.getLogger("healthplan.alerts")

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
NOTIFIERS_ENV = "HEALTHPLAN_ALERT_NOTIFIERS"
WEBHOOK_ENV = "HEALTHPLAN_ALERT_WEBHOOK"
#: Longest error message kept in the table (tracebacks live in the Dagster run log).
MAX_MESSAGE_CHARS = 4000

ALERTS_DDL = """
create schema if not exists monitoring;
create table if not exists monitoring.alerts (
    alert_id varchar primary key,
    raised_at timestamp not null,
    run_id varchar,
    job_name varchar,
    step_key varchar,
    error_type varchar,
    message varchar
);
"""


@dataclass(frozen=True)
class Alert:
    """One operational failure worth a human's attention."""

    run_id: str | None
    job_name: str | None
    step_key: str | None
    error_type: str
    message: str
    alert_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    raised_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))

    def summary(self) -> str:
        """One line naming run, job, failed step and error (message shortened to 300 chars)."""
        first = " ".join(self.message.split())[:300]
        return (
            f"healthplan ALERT run={self.run_id} job={self.job_name} step={self.step_key} "
            f"error={self.error_type}: {first}"
        )

    def to_json(self) -> dict[str, object]:
        """JSON-serialisable form (used by the webhook notifier and the spool file)."""
        data = asdict(self)
        data["raised_at"] = self.raised_at.isoformat()
        return data


Notifier = Callable[[Alert], None]


def ensure_alerts_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``monitoring.alerts`` if missing (idempotent)."""
    con.execute(ALERTS_DDL)


def webhook_notifier(url: str, timeout: float = 10.0) -> Notifier:
    """A notifier POSTing the alert to ``url`` as generic JSON, through ``pipelines.notify``
    (the one delivery path; kept for callers that wire a URL in code)."""
    from pipelines import notify

    settings = notify.Settings((notify.Channel("webhook", url),), budget_seconds=timeout)

    def send(alert: Alert) -> None:
        notify.send([notify.alert_message(alert, settings)], settings)

    return send


def configured_notifiers() -> list[Notifier]:
    """Notifiers configured in the environment (see module docstring)."""
    notifiers: list[Notifier] = []
    for spec in filter(None, (s.strip() for s in os.environ.get(NOTIFIERS_ENV, "").split(","))):
        module_name, _, attr = spec.partition(":")
        if not attr:
            raise ValueError(f"{NOTIFIERS_ENV}: expected 'module:callable', got {spec!r}")
        notifiers.append(getattr(importlib.import_module(module_name), attr))
    # HEALTHPLAN_ALERT_WEBHOOK and the WeCom/DingTalk robots are delivered by record_alert
    # through pipelines.notify.deliver_alert, not here (one delivery path, recorded).
    return notifiers


def spool_path(db_path: Path) -> Path:
    """Where alerts wait when the warehouse is busy (flushed by the next :func:`record_alert`)."""
    return Path(db_path).with_suffix(".alerts.jsonl")


def _insert(con: duckdb.DuckDBPyConnection, alerts: Iterable[Alert]) -> None:
    ensure_alerts_table(con)
    con.executemany(
        "insert or ignore into monitoring.alerts values (?, ?, ?, ?, ?, ?, ?)",
        [
            (a.alert_id, a.raised_at, a.run_id, a.job_name, a.step_key, a.error_type, a.message)
            for a in alerts
        ],
    )


def _read_spool(path: Path) -> list[Alert]:
    if not path.exists():
        return []
    alerts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            data["raised_at"] = datetime.fromisoformat(data["raised_at"])
            alerts.append(Alert(**data))
    return alerts


def alert_for_interrupted(holder: dict[str, object], steps: list[str] | None = None) -> Alert:
    """The alert for a writer that died holding the lock (kill -9, power loss, OOM kill).

    ``holder`` is the dead holder's lock record (what it was doing, since when, which run);
    ``steps`` what its Dagster runs were doing (run, job, unfinished steps), when known.
    """
    doing = f"; it was doing: {'; '.join(steps)}" if steps else ""
    run_id = holder.get("run_id")
    return Alert(
        run_id=str(run_id) if run_id else None,
        job_name=str(holder.get("purpose") or "") or None,
        step_key=None,
        error_type="RunInterrupted",
        message=(
            f"A writer died without finishing: {describe_holder(holder)}{doing}. Its work was "
            "rolled back (each file and each dbt model is one transaction) and the published "
            "copy was left as it was; this run redoes what it did not finish."
        ),
    )


def record_alert(
    db_path: Path,
    alert: Alert,
    *,
    lock_file: Path | None = None,
    notifiers: Iterable[Notifier] | None = None,
    lock_timeout: float = 30.0,
) -> Alert:
    """Persist ``alert`` in ``monitoring.alerts``, log it and pass it to every notifier.

    The one place an alert is recorded (CONTRACTS §8). Writing takes the warehouse writer lock
    (re-entrant, so a failing run that already holds it can record its own alert). If another
    run holds the lock past ``lock_timeout``, the alert is appended to a JSONL spool beside the
    warehouse; the spool is flushed by the next recorded alert, at the start of every run and by
    ``healthplan status`` (:func:`flush_pending`), so no alert is lost and no second writer ever
    opens the file. Writers that died holding the lock are alerted on the way (see
    :func:`flush_pending`).
    """
    message = _ANSI.sub("", alert.message)[:MAX_MESSAGE_CHARS]
    if message != alert.message:
        alert = Alert(**{**alert.__dict__, "message": message})
    _record(Path(db_path), [alert], lock_file, notifiers, lock_timeout)
    return alert


def flush_pending(
    db_path: Path,
    *,
    lock_file: Path | None = None,
    notifiers: Iterable[Notifier] | None = None,
    lock_timeout: float = 30.0,
    doing: dict[str, list[str]] | None = None,
) -> list[Alert]:
    """Write spooled alerts and raise one for every writer that died holding the lock.

    Called at the start of every run (the warehouse resource, the CLI) and by ``healthplan
    status``. ``doing`` maps a dead pid to what its Dagster runs were doing (from the run
    records); it is named in that writer's alert. Returns the alerts written now (spooled ones
    and new interruption alerts); an empty list if the warehouse is busy (they stay pending).
    """
    return _record(Path(db_path), [], lock_file, notifiers, lock_timeout, doing or {})


def _record(
    db_path: Path,
    alerts: list[Alert],
    lock_file: Path | None,
    notifiers: Iterable[Notifier] | None,
    lock_timeout: float,
    doing: dict[str, list[str]] | None = None,
) -> list[Alert]:
    lock_file = lock_file or db_path.with_suffix(".writer.lock")
    doing = dict(doing or {})
    spool = spool_path(db_path)
    written: list[Alert] = []
    fresh = list(alerts)
    try:
        with writer_lock(lock_file, timeout=lock_timeout, purpose="record alert"):
            for holder in acknowledge_interrupted(lock_file):
                fresh.append(alert_for_interrupted(holder, doing.pop(str(holder.get("pid")), None)))
            # dead runs whose lock record was not kept still get their alert
            fresh += [alert_for_interrupted({"pid": pid}, steps) for pid, steps in doing.items()]
            for alert in fresh:
                logger.error(alert.summary())
            pending = _read_spool(spool)
            if pending or fresh:
                con = connect_warehouse(db_path)
                try:
                    _insert(con, [*pending, *fresh])
                finally:
                    con.close()
                spool.unlink(missing_ok=True)
            written = [*pending, *fresh]
    except (WarehouseLockedError, duckdb.IOException) as exc:
        # locked by another run, or opened by a reader: spool (with any interruption alert
        # acknowledged meanwhile) for the next flush
        if isinstance(exc, WarehouseLockedError):
            for alert in fresh:
                logger.error(alert.summary())
        if fresh:
            logger.warning("warehouse busy (%s); alert spooled to %s", exc, spool)
            with spool.open("a", encoding="utf-8") as fh:
                for alert in fresh:
                    fh.write(json.dumps(alert.to_json(), ensure_ascii=False) + "\n")
    for alert in fresh:  # spooled alerts were delivered when they were spooled
        deliver(alert, notifiers)
        if notifiers is None:  # 企业微信/钉钉 robots from the environment (off unless set)
            from pipelines.notify import deliver_alert

            deliver_alert(db_path, alert, lock_file=lock_file)
    return written


def deliver(alert: Alert, notifiers: Iterable[Notifier] | None = None) -> None:
    """Pass an alert to every notifier (default: the configured ones); failures are logged."""
    for notify in configured_notifiers() if notifiers is None else notifiers:
        try:
            notify(alert)
        except Exception:  # a broken notifier must not hide the alert itself
            logger.exception("alert notifier %r failed", notify)


def flush_spool(con: duckdb.DuckDBPyConnection, db_path: Path) -> int:
    """Insert spooled alerts through an open writer connection; returns how many were flushed."""
    spool = spool_path(db_path)
    pending = _read_spool(spool)
    if pending:
        _insert(con, pending)
        spool.unlink(missing_ok=True)
    return len(pending)


def spooled_count(db_path: Path) -> int:
    """How many alerts wait in the spool (the warehouse was busy when they were raised)."""
    return len(_read_spool(spool_path(db_path)))
