"""Fixtures: a fake Slack Web API, the real Flask app built on it (SQLite in a temp dir), and signed requests."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from slack_sdk.signature import SignatureVerifier
from werkzeug.test import TestResponse

from bot.app import create_app
from bot.config import Settings, load_settings
from bot.detect import Detector
from bot.services import Services
from bot.storage import open_store
from tests.slack.fake_slack import BOT_ID, BOT_USER_ID, TEAM_ID, TOKEN, FakeSlack, start

SECRET = "test-signing-secret"
SLASH = "/sagi-test"

__all__ = ["BOT_ID", "BOT_USER_ID", "SECRET", "SLASH", "Slack"]


def slack_settings(fake: FakeSlack, instance: Path, **overrides: Any) -> Settings:
    """Settings for a Slack-only app talking to the fake."""
    values: dict[str, Any] = {
        "slack_bot_token": TOKEN, "slack_signing_secret": SECRET, "slack_api_base_url": f"{fake.url}/api/",
        "slack_slash_command": SLASH, "line_channel_secret": None, "line_channel_access_token": None,
        "instance_path": instance, "database_url": "", "hash_key": "test-hash-key", "helper_daily_cap": 3,
    }
    values.update(overrides)
    return load_settings(**values)


class Slack:
    """Sends requests to /slack/events the way Slack does: signed, as JSON events or form-encoded payloads."""

    def __init__(self, client: FlaskClient, fake: FakeSlack, app: Flask) -> None:
        self.client, self.fake, self.app = client, fake, app

    @property
    def store(self) -> Any:
        return self.app.extensions["sagi"].store

    def post(self, body: str, content_type: str, *, timestamp: int | None = None, secret: str = SECRET,
             headers: dict[str, str] | None = None) -> TestResponse:
        """POST a raw body with Slack's v0 signature."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        return self.client.post("/slack/events", data=body.encode("utf-8"), headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
            **(headers or {})})

    def event(self, event: dict[str, Any], event_id: str | None = None, **kwargs: Any) -> TestResponse:
        """An Events API callback wrapping one event."""
        body = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0001", "type": "event_callback",
                "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}", "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}
        return self.post(json.dumps(body, ensure_ascii=False), "application/json", **kwargs)

    def interaction(self, payload: dict[str, Any]) -> TestResponse:
        """A block action or shortcut: form-encoded `payload=<json>`."""
        payload = {"team": {"id": TEAM_ID}, "api_app_id": "A0001", "token": "legacy", **payload}
        body = urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
        return self.post(body, "application/x-www-form-urlencoded")

    def command(self, text: str, user: str = "U1", command: str = SLASH) -> TestResponse:
        """A slash command invocation."""
        body = urlencode({"token": "legacy", "team_id": TEAM_ID, "channel_id": "C1", "user_id": user,
                          "command": command, "text": text, "response_url": f"{self.fake.url}/response/cmd",
                          "trigger_id": f"trig.{uuid.uuid4().hex[:8]}", "api_app_id": "A0001"})
        return self.post(body, "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, user: str, channel: str, message_ts: str = "1800000000.000001",
              ephemeral: bool = False) -> TestResponse:
        """A button press under a message."""
        return self.interaction({
            "type": "block_actions", "user": {"id": user}, "channel": {"id": channel},
            "container": {"type": "message", "channel_id": channel, "message_ts": message_ts,
                          "is_ephemeral": ephemeral},
            "message": {"ts": message_ts, "text": ""},
            "response_url": f"{self.fake.url}/response/{action_id}", "trigger_id": "trig.1",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                         "action_ts": str(time.time())}],
        })

    def dm(self, text: str, user: str = "U1", channel: str = "D1", ts: str | None = None,
           fields: dict[str, Any] | None = None, event_id: str | None = None, **post: Any) -> TestResponse:
        """A DM to the bot in its Messages tab; `fields` add to the event, `post` goes to post()."""
        return self.event({"type": "message", "channel_type": "im", "channel": channel, "user": user, "text": text,
                           "ts": ts or f"{time.time():.6f}", **(fields or {})}, event_id=event_id, **post)

    def channel_message(self, text: str, user: str = "U2", channel: str = "C1", ts: str | None = None,
                        fields: dict[str, Any] | None = None, event_id: str | None = None, **post: Any) -> TestResponse:
        """A message posted in a channel the bot is in."""
        return self.event({"type": "message", "channel_type": "channel", "channel": channel, "user": user,
                           "text": text, "ts": ts or f"{time.time():.6f}", **(fields or {})}, event_id=event_id, **post)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The fake Slack Web API, started before the app so bolt's auth.test reaches it."""
    slack = FakeSlack()
    stop = start(slack)
    yield slack
    stop()


@pytest.fixture
def make_app(fake: FakeSlack, tmp_path: Path, detector: Detector) -> Iterator[Callable[..., Flask]]:
    """Build the real app (real store on a temp SQLite file) against the fake; overrides change settings."""
    stores: list[Any] = []

    def make(**overrides: Any) -> Flask:
        settings = slack_settings(fake, tmp_path / "instance", **overrides)
        store = open_store(settings)
        stores.append(store)
        services = Services(settings=settings, knowledge=detector.knowledge, detector=detector, store=store)
        app = create_app(settings, services=services)
        app.config["TESTING"] = True
        return app

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def slack(make_app: Callable[..., Flask], fake: FakeSlack) -> Slack:
    """A signed-request client on a freshly built app."""
    app = make_app()
    return Slack(app.test_client(), fake, app)
