"""One app with LINE, Slack and the API on, behind the existing fakes, with a way to see what it stored and logged."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.app import create_app
from bot.config import load_settings
from bot.detect import Detector
from bot.services import Services
from bot.storage import Store
from handlers.line.runtime import LineRuntime
from tests.line.conftest import SECRET as LINE_SECRET
from tests.line.conftest import TOKEN as LINE_TOKEN
from tests.line.conftest import sign
from tests.line.fake_line import FakeLine
from tests.slack.fake_slack import TOKEN as SLACK_TOKEN
from tests.slack.fake_slack import FakeSlack, start

SLACK_SECRET = "hardening-signing-secret"
HASH_KEY = b"hardening-hash-key"


class Crashes(logging.Handler):
    """Collects every log record that carries an exception: a crash that was caught and logged still counts."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.CRITICAL:
            self.records.append(record)

    def summary(self) -> list[str]:
        """Logger, message and exception type of each crash."""
        return [f"{r.name}: {r.getMessage()} ({r.exc_info[0].__name__ if r.exc_info and r.exc_info[0] else '-'})"
                for r in self.records]


@dataclass
class World:
    """The app, its fakes and its database file."""

    app: Flask
    http: FlaskClient
    line_api: FakeLine
    slack_api: FakeSlack
    store: Store
    database: Path
    crashes: Crashes
    thread_errors: list[BaseException] = field(default_factory=list)

    @property
    def line_runtime(self) -> LineRuntime:
        """The LINE worker pool."""
        runtime: LineRuntime = self.app.extensions["line"]
        return runtime

    def line(self, body: bytes, signature: str | None = None, **headers: str) -> TestResponse:
        """POST /line/webhook signed like LINE (unless a signature is given)."""
        sig = sign(body) if signature is None else signature
        return self.http.post("/line/webhook", data=body, headers={
            "X-Line-Signature": sig, "Content-Type": "application/json; charset=utf-8", **headers})

    def slack(self, body: bytes, content_type: str = "application/json", *, timestamp: int | None = None,
              secret: str = SLACK_SECRET, signature: str | None = None) -> TestResponse:
        """POST /slack/events with Slack's v0 signature over the raw bytes."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        # HMAC over the raw bytes (the SDK's helper decodes them as UTF-8 first, so it cannot sign garbage).
        sig = signature if signature is not None else "v0=" + hmac.new(
            secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
        return self.http.post("/slack/events", data=body, headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})

    def settle(self) -> None:
        """Wait for the LINE workers and for bolt's listeners (no new fake Slack call for a moment)."""
        assert self.line_runtime.drain(20), "LINE workers did not finish"
        self.slack_api.settle(0.1)

    def row_counts(self) -> dict[str, int]:
        """Rows in every table of the SQLite file."""
        with sqlite3.connect(self.database) as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}

    def dump(self) -> str:
        """Every value of every table, as text (what a database dump would show)."""
        out: list[str] = []
        with sqlite3.connect(self.database) as db:
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                for row in db.execute(f'SELECT * FROM "{name}"'):
                    out.append(f"{name}: " + " | ".join("" if v is None else
                                                        (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))
                                                        for v in row))
        return "\n".join(out)


def _build(tmp: Path, line_api: FakeLine, slack_api: FakeSlack, detector: Detector, **overrides: Any) -> World:
    database = tmp / "hardening.sqlite3"
    settings = load_settings(**{
        "line_channel_secret": LINE_SECRET, "line_channel_access_token": LINE_TOKEN,
        "line_api_base_url": line_api.url, "line_data_api_base_url": line_api.url,
        "slack_bot_token": SLACK_TOKEN, "slack_signing_secret": SLACK_SECRET,
        "slack_api_base_url": f"{slack_api.url}/api/", "database_url": f"sqlite:///{database}",
        "instance_path": tmp, "hash_key": HASH_KEY.decode(), "helper_daily_cap": 5, **overrides})
    store = Store(settings.effective_database_url, HASH_KEY, settings.helper_daily_cap)
    services = Services(settings=settings, knowledge=detector.knowledge, detector=detector, store=store)
    app = create_app(settings, services=services)
    app.config["TESTING"] = False  # like production: errors become 500 answers, not exceptions in the test
    runtime: LineRuntime = app.extensions["line"]
    runtime.client.timeout = (1.0, 0.5)
    runtime.client.backoff = 0.01
    crashes = Crashes()
    logging.getLogger().addHandler(crashes)
    return World(app, app.test_client(), line_api, slack_api, store, database, crashes)


@contextlib.contextmanager
def running_world(tmp: Path, detector: Detector, **overrides: Any) -> Iterator[World]:
    """Start both fakes and the app; stop everything afterwards."""
    line_api = FakeLine().start()
    slack_api = FakeSlack()
    stop_slack = start(slack_api)
    world = _build(tmp, line_api, slack_api, detector, **overrides)
    previous_hook = threading.excepthook
    threading.excepthook = lambda args: world.thread_errors.append(args.exc_value or RuntimeError("thread died"))
    try:
        yield world
    finally:
        threading.excepthook = previous_hook
        logging.getLogger().removeHandler(world.crashes)
        world.line_runtime.close()
        world.store.close()
        stop_slack()
        line_api.stop()


@pytest.fixture
def world(tmp_path: Path, detector: Detector) -> Iterator[World]:
    """A fresh app and database per test."""
    with running_world(tmp_path, detector) as built:
        yield built


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory, detector: Detector) -> Iterator[World]:
    """One app for a whole module (the property-based suites send thousands of requests to it)."""
    # The database goes to memory-backed /dev/shm when there is one: thousands of commits, no disk flushes.
    folder = Path(tempfile.mkdtemp(dir="/dev/shm")) if Path("/dev/shm").is_dir() else tmp_path_factory.mktemp("h")
    try:
        with running_world(folder, detector) as built:
            yield built
    finally:
        shutil.rmtree(folder, ignore_errors=True)
