"""Push alerts to 企业微信 (WeCom) and 钉钉 (DingTalk) group robots: the one delivery path.

What is sent (Chinese first, labels from ``translations.csv``):

* after each target validation (:func:`notify_findings`): one message per binding target × region
  that newly misses (``new_binding_miss``), per other target newly off track
  (``newly_off_track``) or newly missed (``new_miss``), per target whose data became too old
  (``stale_data``). "New" is decided by the validation history (:mod:`pipelines.history`: the
  failing streak starts at this validation), so a target failing since last month is not sent again;
* every operational alert (a failed run or step): :func:`deliver_alert`, called by
  ``pipelines.alerts.record_alert`` for every alert it records.

Configuration (environment; nothing set = nothing sent, which is the default):

======================================  ====================================================
``HEALTHPLAN_WECOM_WEBHOOK``            企业微信群机器人 URL (``…/cgi-bin/webhook/send?key=…``)
``HEALTHPLAN_DINGTALK_WEBHOOK``         钉钉群机器人 URL (``…/robot/send?access_token=…``)
``HEALTHPLAN_DINGTALK_SECRET``          optional 加签 secret (``SEC…``): timestamp + HMAC-SHA256 sign
``HEALTHPLAN_ALERT_WEBHOOK``            any other endpoint: ``{"text": …, "kind": …, …}`` JSON
``HEALTHPLAN_NOTIFY_ATTEMPTS``          tries per message and endpoint (default 3)
``HEALTHPLAN_NOTIFY_BUDGET_SECONDS``    wall-clock budget of one notify call (default 20)
``HEALTHPLAN_NOTIFY_MAX_MESSAGES``      messages per run before one summary message (default 20)
``HEALTHPLAN_REPORT_URL``               optional link to the report, added to each message
======================================  ====================================================

Shapes: WeCom ``{"msgtype": "markdown", "markdown": {"content": …}}``; DingTalk ``{"msgtype":
"markdown", "markdown": {"title": …, "text": …}}``. Both robots answer HTTP 200 with
``{"errcode": 0}``; a non-zero ``errcode`` (e.g. rate limited) is a failure like HTTP 500.

Never blocking: every call stops at its time budget (each request's timeout is what is left of
it); backoff 0.5 s, 1 s, 2 s … between tries. Every delivery, successful or not, is a row of
``monitoring.notification_deliveries``; a message whose last delivery failed is sent again by the
next :func:`notify_findings` (for seven days), so a failed delivery is recorded, not lost.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from pipelines.db import connect_warehouse
from pipelines.history import read_sql
from pipelines.translations import label

logger = logging.getLogger("healthplan.notify")

WECOM_ENV = "HEALTHPLAN_WECOM_WEBHOOK"
DINGTALK_ENV = "HEALTHPLAN_DINGTALK_WEBHOOK"
DINGTALK_SECRET_ENV = "HEALTHPLAN_DINGTALK_SECRET"
GENERIC_ENV = "HEALTHPLAN_ALERT_WEBHOOK"
ATTEMPTS_ENV = "HEALTHPLAN_NOTIFY_ATTEMPTS"
BUDGET_ENV = "HEALTHPLAN_NOTIFY_BUDGET_SECONDS"
MAX_MESSAGES_ENV = "HEALTHPLAN_NOTIFY_MAX_MESSAGES"
REPORT_URL_ENV = "HEALTHPLAN_REPORT_URL"
TABLE = "monitoring.notification_deliveries"
#: WeCom rejects markdown content over 4096 bytes; DingTalk allows more: keep both under it.
MAX_CONTENT_BYTES = 4000
RETRY_DAYS = 7

DDL = f"""
create schema if not exists monitoring;
create table if not exists {TABLE} (
    delivery_id varchar primary key,
    attempted_at timestamp not null,
    message_key varchar not null,
    kind varchar not null,
    run_id varchar,
    channel varchar not null,
    success boolean not null,
    attempts integer not null,
    http_status integer,
    error varchar,
    title varchar not null,
    content varchar not null
);
"""


@dataclass(frozen=True)
class Message:
    """One notification: a title and a markdown body, with a stable key for de-duplication."""

    key: str
    kind: str
    title: str
    content: str
    run_id: str | None = None


@dataclass(frozen=True)
class Channel:
    """One configured robot: ``wecom``, ``dingtalk`` or ``webhook`` (generic JSON)."""

    name: str
    url: str
    secret: str | None = None


@dataclass(frozen=True)
class Delivery:
    """The outcome of sending one message to one channel (a row of the deliveries table)."""

    message: Message
    channel: str
    success: bool
    attempts: int
    http_status: int | None
    error: str | None
    delivery_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    attempted_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))


@dataclass(frozen=True)
class Settings:
    """Delivery settings (see the module docstring for the variables)."""

    channels: tuple[Channel, ...] = ()
    attempts: int = 3
    budget_seconds: float = 20.0
    max_messages: int = 20
    report_url: str | None = None


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Channels and limits from the environment; no URL set → no channel (off by default)."""
    env = dict(os.environ) if env is None else env
    channels = []
    if env.get(WECOM_ENV):
        channels.append(Channel("wecom", env[WECOM_ENV]))
    if env.get(DINGTALK_ENV):
        channels.append(Channel("dingtalk", env[DINGTALK_ENV], env.get(DINGTALK_SECRET_ENV)))
    if env.get(GENERIC_ENV):
        channels.append(Channel("webhook", env[GENERIC_ENV]))
    return Settings(
        channels=tuple(channels),
        attempts=max(1, int(env.get(ATTEMPTS_ENV) or 3)),
        budget_seconds=float(env.get(BUDGET_ENV) or 20.0),
        max_messages=max(1, int(env.get(MAX_MESSAGES_ENV) or 20)),
        report_url=env.get(REPORT_URL_ENV) or None,
    )


def _clip(text: str) -> str:
    data = text.encode("utf-8")
    if len(data) <= MAX_CONTENT_BYTES:
        return text
    return data[: MAX_CONTENT_BYTES - 4].decode("utf-8", errors="ignore") + " …"


def payload(channel: Channel, message: Message) -> dict[str, Any]:
    """The JSON body for ``channel`` (WeCom, DingTalk or generic)."""
    content = _clip(message.content)
    if channel.name == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if channel.name == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": content}}
    return {"text": f"{message.title}\n{content}", "kind": message.kind, "key": message.key}


def signed_url(channel: Channel, now_ms: int | None = None) -> str:
    """DingTalk 加签: ``&timestamp=…&sign=…`` (HMAC-SHA256 of ``"{timestamp}\\n{secret}"``,
    base64, URL-encoded); other channels' URLs unchanged."""
    if channel.name != "dingtalk" or not channel.secret:
        return channel.url
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(
        channel.secret.encode("utf-8"), f"{stamp}\n{channel.secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))
    joiner = "&" if "?" in channel.url else "?"
    return f"{channel.url}{joiner}timestamp={stamp}&sign={sign}"


def _post_once(channel: Channel, body: bytes, timeout: float) -> tuple[int | None, str | None]:
    """One POST; returns (HTTP status, error or None)."""
    request = urllib.request.Request(
        signed_url(channel),
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - operator-set URL
            status, text = response.status, response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, bad URL
        return None, f"{type(exc).__name__}: {exc}"
    if channel.name in ("wecom", "dingtalk"):
        try:
            errcode = json.loads(text or "{}").get("errcode", 0)
        except (json.JSONDecodeError, AttributeError):
            errcode = 0
        if errcode:
            return status, f"errcode {errcode}: {text[:200]}"
    return status, None


def send(
    messages: Sequence[Message], settings: Settings, deadline: float | None = None
) -> list[Delivery]:
    """Send every message to every channel, retrying with backoff within the time budget.

    Never raises for network trouble and never runs past ``deadline`` (a ``time.monotonic()``
    value; default: now + the budget). A message not tried before the deadline is returned as a
    failed delivery with 0 attempts, so it is recorded and retried next run.
    """
    deadline = deadline if deadline is not None else time.monotonic() + settings.budget_seconds
    out = []
    for message in messages:
        for channel in settings.channels:
            body = json.dumps(payload(channel, message), ensure_ascii=False).encode("utf-8")
            error: str | None = "time budget exhausted before sending"
            status, attempts = None, 0
            for attempt in range(settings.attempts):
                left = deadline - time.monotonic()
                if left <= 0.05:
                    break
                attempts += 1
                status, error = _post_once(channel, body, timeout=min(10.0, left))
                if error is None:
                    break
                pause = min(0.5 * 2**attempt, deadline - time.monotonic())
                if attempt + 1 < settings.attempts and pause > 0:
                    time.sleep(pause)
            if error:
                logger.warning("notification %s to %s failed: %s", message.key, channel.name, error)
            out.append(Delivery(message, channel.name, error is None, attempts, status, error))
    return out


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``monitoring.notification_deliveries`` if missing (idempotent)."""
    con.execute(DDL)


def record(con: duckdb.DuckDBPyConnection, deliveries: Iterable[Delivery]) -> int:
    """Append deliveries to the table; returns how many."""
    ensure_table(con)
    rows = [
        (
            d.delivery_id,
            d.attempted_at,
            d.message.key,
            d.message.kind,
            d.message.run_id,
            d.channel,
            d.success,
            d.attempts,
            d.http_status,
            d.error,
            d.message.title,
            d.message.content,
        )
        for d in deliveries
    ]
    if rows:
        con.executemany(f"insert into {TABLE} values ({', '.join('?' * 12)})", rows)
    return len(rows)


def pending_retries(con: duckdb.DuckDBPyConnection, channel: str) -> list[Message]:
    """Messages whose latest delivery to ``channel`` failed in the last seven days."""
    ensure_table(con)
    since = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=RETRY_DAYS)
    rows = con.execute(read_sql("notify_pending"), {"channel": channel, "since": since})
    return [
        Message(k, kind, title, content, run) for k, kind, title, content, run in rows.fetchall()
    ]


def _already_sent(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> set[str]:
    ensure_table(con)
    if not keys:
        return set()
    rows = con.execute(
        f"select distinct message_key from {TABLE} where success and message_key in "
        f"(select unnest($keys))",
        {"keys": list(keys)},
    ).fetchall()
    return {r[0] for r in rows}


def deliver(
    con: duckdb.DuckDBPyConnection, messages: Sequence[Message], settings: Settings | None = None
) -> list[Delivery]:
    """Send new messages plus earlier failed ones, record every delivery through ``con`` (a
    writer connection). Messages already delivered once (same key) are skipped; past
    ``max_messages`` the rest are folded into one summary message."""
    settings = settings or settings_from_env()
    if not settings.channels:
        return []
    sent = _already_sent(con, [m.key for m in messages])
    fresh = [m for m in messages if m.key not in sent]
    if len(fresh) > settings.max_messages:
        keep, rest = fresh[: settings.max_messages - 1], fresh[settings.max_messages - 1 :]
        fresh = [*keep, summary_message(rest, settings)]
    deadline = time.monotonic() + settings.budget_seconds  # one budget for new and retried
    out = send(fresh, settings, deadline)
    for channel in settings.channels:
        retry = [
            m for m in pending_retries(con, channel.name) if m.key not in {f.key for f in fresh}
        ]
        one = Settings(
            (channel,), settings.attempts, settings.budget_seconds, settings.max_messages
        )
        out += send(retry, one, deadline)
    record(con, out)
    return out


def summary_message(rest: Sequence[Message], settings: Settings) -> Message:
    """One message standing for ``rest`` (too many to send one by one)."""
    lines = [f"### {label('alert', 'header')}", label("alert", "more", n=len(rest))]
    lines += [f"- {m.title}" for m in rest[:30]]
    if settings.report_url:
        lines.append(f"[{label('alert', 'report_at')}]({settings.report_url})")
    run = rest[0].run_id if rest else None
    key = "summary:" + hashlib.sha1("|".join(m.key for m in rest).encode()).hexdigest()[:16]
    return Message(key, "summary", label("alert", "header"), "\n".join(lines), run)


def deliver_alert(
    db_path: Path, alert: Any, *, lock_file: Path | None = None, settings: Settings | None = None
) -> list[Delivery]:
    """Send an operational alert (``pipelines.alerts.Alert``: a failed run or step) and record
    the delivery. Called by ``pipelines.alerts.record_alert`` for every alert it records.

    Records under the writer lock with a short wait; if another run holds it, the deliveries are
    only logged (the alert itself is in ``monitoring.alerts``). Never raises.
    """
    from pipelines.locking import writer_lock

    settings = settings or settings_from_env()
    if not settings.channels:
        return []
    message = alert_message(alert, settings)
    deliveries = send([message], settings)
    try:
        lock = lock_file or Path(db_path).with_suffix(".writer.lock")
        with writer_lock(lock, timeout=5.0, purpose="record notification"):
            con = connect_warehouse(db_path)
            try:
                record(con, deliveries)
            finally:
                con.close()
    except Exception:  # recording must never hide the alert
        logger.exception("could not record the delivery of alert %s", message.key)
    return deliveries


def alert_message(alert: Any, settings: Settings) -> Message:
    """A ``run_failed`` message for an operational alert."""
    title = f"{label('alert', 'header')}：{label('alert', 'run_failed')}"
    lines = [
        f"### {title}",
        f"> {label('alert', 'run')}：{alert.job_name or '—'}（{_beijing(alert.raised_at)} 北京时间）",
        f"> {label('alert', 'step')}：{alert.step_key or '—'}",
        f"> {label('alert', 'error')}：{alert.error_type}：{' '.join(str(alert.message).split())[:300]}",
    ]
    if settings.report_url:
        lines.append(f"[{label('alert', 'report_at')}]({settings.report_url})")
    return Message(f"alert:{alert.alert_id}", "run_failed", title, "\n".join(lines), alert.run_id)


def _beijing(moment: datetime) -> str:
    from pipelines.report.timefmt import beijing

    return beijing(moment)


def notify_findings(
    con: duckdb.DuckDBPyConnection, settings: Settings | None = None
) -> list[Delivery]:
    """Messages for the findings new at the latest target validation, delivered and recorded
    through ``con`` (a writer connection). Returns the deliveries (empty when off)."""
    from pipelines.notify_messages import finding_messages

    settings = settings or settings_from_env()
    if not settings.channels:
        return []
    return deliver(con, finding_messages(con, settings.report_url), settings)
