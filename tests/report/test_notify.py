"""Push alerts against a real HTTP server on 127.0.0.1: shapes, "new", retries, delivery log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from gx_factory import assessment_rows, build_warehouse
from report_data import LATEST, TARGETS, observations

from expectations.runner import run_target_validation
from pipelines import notify
from pipelines.alerts import Alert, record_alert


class Robot:
    """A group-robot stand-in: records every POST; answers the queued statuses, then 200."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict]] = []
        self.statuses: list[int] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.requests.append((self.path, json.loads(body)))
                status = robot.statuses.pop(0) if robot.statuses else 200
                reply = json.dumps({"errcode": 0 if status == 200 else 500, "errmsg": "ok"})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(reply.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=k"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot() -> Iterator[Robot]:
    server = Robot()
    yield server
    server.close()


@pytest.fixture
def warehouse(report_db: Path, tmp_path: Path) -> Path:
    """The report warehouse plus a third validation in which life expectancy (binding, met
    until now) drops below its target: the one new binding miss."""
    db = tmp_path / "wh.duckdb"
    shutil.copyfile(report_db, db)
    latest = {**LATEST, ("jy__life_expectancy__2020", "jiangyin"): 79.0}
    assessment = assessment_rows(pd.DataFrame(TARGETS), latest)
    build_warehouse(db, TARGETS, assessment, observations())
    run_target_validation(db, "b7e1f0c2-0d3e-4b5a-9f8e-7d6c5b4a3f2e", None)
    return db


def _settings(*channels: notify.Channel, **kw: object) -> notify.Settings:
    return notify.Settings(channels=channels, **{"budget_seconds": 10.0, **kw})


def _deliveries(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select kind, channel, success, attempts, http_status from "
            "monitoring.notification_deliveries order by attempted_at"
        ).fetchall()


def test_one_wecom_message_per_new_binding_miss(warehouse: Path, robot: Robot) -> None:
    with duckdb.connect(str(warehouse)) as con:
        sent = notify.notify_findings(con, _settings(notify.Channel("wecom", robot.url)))
    bodies = [b for _, b in robot.requests]
    binding = [b for b in bodies if "新增约束性指标未达标" in b["markdown"]["content"]]
    assert len(binding) == 1  # life expectancy only: the other misses are not new
    body = binding[0]
    assert set(body) == {"msgtype", "markdown"} and body["msgtype"] == "markdown"
    assert set(body["markdown"]) == {"content"}
    content = body["markdown"]["content"]
    assert "人均预期寿命 · 江阴市" in content and "人均预期寿命达到80岁" in content
    assert "低于要求 1.0 岁" in content and "北京时间" in content
    assert len(bodies) == len(sent) == 1
    assert _deliveries(warehouse) == [("new_binding_miss", "wecom", True, 1, 200)]
    # Running again announces nothing: the miss is no longer new, and it was delivered.
    with duckdb.connect(str(warehouse)) as con:
        assert notify.notify_findings(con, _settings(notify.Channel("wecom", robot.url))) == []
    assert len(robot.requests) == 1


def test_dingtalk_shape_and_signature(warehouse: Path, robot: Robot) -> None:
    channel = notify.Channel("dingtalk", robot.url, secret="SECtest")
    with duckdb.connect(str(warehouse)) as con:
        notify.notify_findings(con, _settings(channel))
    path, body = robot.requests[0]
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"title", "text"}
    assert body["markdown"]["title"].startswith("新增约束性指标未达标")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    digest = hmac.new(
        b"SECtest", f"{query['timestamp'][0]}\nSECtest".encode(), hashlib.sha256
    ).digest()
    assert query["sign"][0] == base64.b64encode(digest).decode()


def test_a_500_is_retried_recorded_and_sent_again_next_run(warehouse: Path, robot: Robot) -> None:
    robot.statuses = [500, 500, 500]
    channel = notify.Channel("wecom", robot.url)
    with duckdb.connect(str(warehouse)) as con:
        notify.notify_findings(con, _settings(channel, attempts=3))
    assert len(robot.requests) == 3  # retried with backoff
    assert _deliveries(warehouse) == [("new_binding_miss", "wecom", False, 3, 500)]
    # The next run: nothing new, but the failed delivery is sent again and succeeds.
    with duckdb.connect(str(warehouse)) as con:
        notify.notify_findings(con, _settings(channel))
    assert len(robot.requests) == 4
    assert robot.requests[3][1] == robot.requests[0][1]
    assert [d[2] for d in _deliveries(warehouse)] == [False, True]
    with duckdb.connect(str(warehouse)) as con:
        notify.notify_findings(con, _settings(channel))
    assert len(robot.requests) == 4  # delivered once: not again


def test_a_server_that_is_down_does_not_block_the_run(warehouse: Path, robot: Robot) -> None:
    url = robot.url
    robot.close()  # nothing listens on that port any more
    started = time.monotonic()
    with duckdb.connect(str(warehouse)) as con:
        sent = notify.notify_findings(
            con, _settings(notify.Channel("wecom", url), attempts=3, budget_seconds=3.0)
        )
    assert time.monotonic() - started < 5.0
    assert [(d.success, d.attempts, d.http_status) for d in sent] == [(False, 3, None)]
    assert "Connection refused" in (sent[0].error or "")
    assert _deliveries(warehouse) == [("new_binding_miss", "wecom", False, 3, None)]


def test_off_by_default(warehouse: Path) -> None:
    assert notify.settings_from_env({}).channels == ()
    with duckdb.connect(str(warehouse)) as con:
        assert notify.notify_findings(con, notify.settings_from_env({})) == []
        assert not con.execute(
            "select count(*) from information_schema.tables "
            "where table_name = 'notification_deliveries'"
        ).fetchone()[0]


def test_failed_run_alert_goes_through_the_same_delivery(
    tmp_path: Path, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(notify.WECOM_ENV, robot.url)
    monkeypatch.delenv(notify.DINGTALK_ENV, raising=False)
    monkeypatch.delenv(notify.GENERIC_ENV, raising=False)
    db = tmp_path / "wh.duckdb"
    record_alert(db, Alert("run-9", "main_job", "dbt_models", "DbtCliError", "model x failed"))
    content = robot.requests[0][1]["markdown"]["content"]
    assert "运行失败" in content and "dbt_models" in content and "model x failed" in content
    assert _deliveries(db) == [("run_failed", "wecom", True, 1, 200)]


def test_environment_configures_channels() -> None:
    env = {
        notify.WECOM_ENV: "http://127.0.0.1:1/w",
        notify.DINGTALK_ENV: "http://127.0.0.1:1/d?access_token=t",
        notify.DINGTALK_SECRET_ENV: "SECx",
        notify.ATTEMPTS_ENV: "5",
    }
    settings = notify.settings_from_env(env)
    assert [c.name for c in settings.channels] == ["wecom", "dingtalk"]
    assert settings.channels[1].secret == "SECx" and settings.attempts == 5
    signed = notify.signed_url(settings.channels[1], now_ms=1700000000000)
    assert signed.startswith("http://127.0.0.1:1/d?access_token=t&timestamp=1700000000000&sign=")


def test_stale_data_is_announced_once_per_data_year(
    report_db: Path, tmp_path: Path, robot: Robot
) -> None:
    db = tmp_path / "stale.duckdb"
    shutil.copyfile(report_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "update marts.fct_target_assessment set status = 'stale_data', latest_year = 2015 "
            "where target_id = 'jy__life_expectancy__2020'"
        )
    channel = notify.Channel("wecom", robot.url)
    for _ in range(2):
        with duckdb.connect(str(db)) as con:
            notify.notify_findings(con, _settings(channel))
    stale = [b for _, b in robot.requests if "数据过旧" in b["markdown"]["content"]]
    assert len(stale) == 1
    assert "人均预期寿命 · 江阴市" in stale[0]["markdown"]["content"]
    assert "2015年" in stale[0]["markdown"]["content"]
    # the other message of the first run: smoking, expected target, newly missed
    kinds = sorted(k for k, *_ in _deliveries(db))
    assert kinds == ["new_miss", "stale_data"]
