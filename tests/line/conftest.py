"""The app wired to a fake LINE API and a temporary SQLite store, and a client that signs like LINE."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import itertools
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from bot.app import create_app
from bot.config import load_settings
from bot.detect import Detector
from bot.knowledge import Knowledge, load
from bot.services import Services
from bot.storage import Store
from handlers.line.runtime import LineRuntime
from tests.line.fake_line import FakeLine

SECRET = "テスト用のチャネルシークレット"  # non-ASCII on purpose: the secret is hashed as UTF-8 bytes
TOKEN = "test-access-token"
_ids = itertools.count(1)


def sign(body: bytes, secret: str = SECRET) -> str:
    """X-Line-Signature exactly as LINE computes it."""
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def _base(kind: str, source: dict[str, Any], **extra: Any) -> dict[str, Any]:
    n = next(_ids)
    event = {"type": kind, "mode": "active", "timestamp": int(time.time() * 1000) + n,
             "webhookEventId": f"01TESTEVENT{n:015d}", "deliveryContext": {"isRedelivery": False},
             "source": source, **extra}
    if kind not in ("unfollow", "leave", "unsend", "memberLeft"):
        event["replyToken"] = f"reply-token-{n}"
    return event


def user(user_id: str) -> dict[str, Any]:
    """A 1:1 source."""
    return {"type": "user", "userId": user_id}


def group(group_id: str, user_id: str = "Umember") -> dict[str, Any]:
    """A group source."""
    return {"type": "group", "groupId": group_id, "userId": user_id}


def text(body: str, source: dict[str, Any], mention_self: bool = False, quoted: str | None = None) -> dict[str, Any]:
    """A text message event (optionally mentioning the bot at the start, or quoting a message)."""
    message: dict[str, Any] = {"id": str(next(_ids) + 10_000_000), "type": "text", "text": body,
                               "quoteToken": f"quote-{next(_ids)}"}
    if mention_self:
        handle = "@詐欺チェッカー"
        message["text"] = f"{handle} {body}"
        message["mention"] = {"mentionees": [{"index": 0, "length": len(handle), "type": "user", "userId": "Ubot",
                                              "isSelf": True}]}
    if quoted:
        message["quotedMessageId"] = quoted
    return _base("message", source, message=message)


def image(source: dict[str, Any]) -> dict[str, Any]:
    """An image message event."""
    return _base("message", source, message={"id": str(next(_ids) + 20_000_000), "type": "image",
                                             "contentProvider": {"type": "line"}, "quoteToken": "q"})


def sticker(source: dict[str, Any]) -> dict[str, Any]:
    """A sticker message event."""
    return _base("message", source, message={"id": str(next(_ids)), "type": "sticker", "packageId": "1",
                                             "stickerId": "2", "stickerResourceType": "STATIC", "quoteToken": "q"})


DETAILS: dict[str, dict[str, Any]] = {"follow": {"follow": {"isUnblocked": False}}}


def event(kind: str, source: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """Any other event: follow, unfollow, join, leave, unsend…"""
    return _base(kind, source, **{**DETAILS.get(kind, {}), **extra})


def postback(data: str, source: dict[str, Any]) -> dict[str, Any]:
    """A button press."""
    return _base("postback", source, postback={"data": data})


class Clock:
    """The store's clock, moved by hand (code expiry, daily caps)."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.now += dt.timedelta(**delta)


class Line:
    """Posts signed webhooks to the app and waits for the workers to finish."""

    def __init__(self, app: Flask, fake: FakeLine, clock: Clock) -> None:
        self.app = app
        self.clock = clock
        self.http = app.test_client()
        self.fake = fake
        self.runtime: LineRuntime = app.extensions["line"]

    def post(self, *events: dict[str, Any], signature: str | None = None, wait: bool = True) -> TestResponse:
        """Deliver events as one webhook, signed unless a signature is given."""
        body = json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode("utf-8")
        headers = {"X-Line-Signature": sign(body) if signature is None else signature,
                   "Content-Type": "application/json; charset=utf-8"}
        response = self.http.post("/line/webhook", data=body, headers=headers)
        if wait:
            assert self.runtime.drain(15), "workers did not finish"
        return response

    @property
    def store(self) -> Any:
        """The real store behind the app."""
        return self.runtime.store


@pytest.fixture
def fake() -> Iterator[FakeLine]:
    """The fake LINE API, one per test."""
    server = FakeLine().start()
    yield server
    server.stop()


class CurrentStore:
    """The community lookup of the shared detector, answered by the current test's store."""

    store: Store | None = None

    def reporter_counts(self, keys: list[str]) -> dict[str, int]:
        """Delegate to the store of the running test."""
        return self.store.reporter_counts(keys) if self.store else {}


@pytest.fixture(scope="session")
def core(tmp_path_factory: pytest.TempPathFactory) -> tuple[Knowledge, Detector, CurrentStore, Path]:
    """Knowledge, detector and a migrated database file, built once (they take most of a second each)."""
    knowledge = load()
    current = CurrentStore()
    template = tmp_path_factory.mktemp("line-db") / "template.sqlite3"
    Store(f"sqlite:///{template}", b"line-test-key").close()
    return knowledge, Detector(knowledge, community=current), current, template


@contextlib.contextmanager
def line_app(fake: FakeLine, tmp_path: Path, core: tuple[Knowledge, Detector, CurrentStore, Path],
             **overrides: Any) -> Iterator[Line]:
    """The whole app on a fresh SQLite file (or the `database_url` given), pointed at the fake LINE API."""
    knowledge, detector, current, template = core
    database = tmp_path / "line.sqlite3"
    shutil.copyfile(template, database)
    settings = load_settings(**{
        "line_channel_secret": SECRET, "line_channel_access_token": TOKEN,
        "line_api_base_url": fake.url, "line_data_api_base_url": fake.url,
        "database_url": f"sqlite:///{database}", "instance_path": tmp_path,
        "slack_bot_token": None, "slack_signing_secret": None, "helper_daily_cap": 3, **overrides,
    })
    clock = Clock()
    store = Store(settings.effective_database_url, b"line-test-key", settings.helper_daily_cap, clock=clock,
                  migrate="database_url" in overrides)
    current.store = store
    services = Services(settings=settings, knowledge=knowledge, store=store, detector=detector)
    app = create_app(settings, services=services)
    tester = Line(app, fake, clock)
    tester.runtime.client.timeout = (1.0, 0.5)
    tester.runtime.client.backoff = 0.01
    yield tester
    tester.runtime.close()
    current.store = None
    store.close()


@pytest.fixture
def line(fake: FakeLine, tmp_path: Path, core: tuple[Knowledge, Detector, CurrentStore, Path]) -> Iterator[Line]:
    """The whole app on a fresh SQLite file, pointed at the fake LINE API with short timeouts."""
    with line_app(fake, tmp_path, core) as tester:
        yield tester
