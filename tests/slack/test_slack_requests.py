"""The gate and the plumbing: signatures, url_verification, retries and duplicates, 429s, a fast ack."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from bot.app import create_app
from bot.config import load_settings
from bot.texts import SAMPLE_SCAM
from tests.slack.conftest import Slack
from tests.slack.fake_slack import FakeSlack


def test_url_verification_is_answered_with_the_challenge(slack: Slack) -> None:
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    response = slack.post(body, "application/json")
    assert response.status_code == 200
    assert response.get_json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_when_signature_is_wrong_then_401_and_nothing_is_processed(slack: Slack) -> None:
    response = slack.dm(SAMPLE_SCAM, secret="not-the-secret", event_id="EvBADSIG")
    assert response.status_code == 401
    slack.fake.settle()
    assert slack.fake.of("chat.postMessage") == []
    assert slack.store.claim_delivery("slack", "EvBADSIG")  # the event id was never claimed either


def test_when_request_is_older_than_five_minutes_then_401_even_if_correctly_signed(slack: Slack) -> None:
    response = slack.dm(SAMPLE_SCAM, timestamp=int(time.time()) - 6 * 60)
    assert response.status_code == 401
    slack.fake.settle()
    assert slack.fake.of("chat.postMessage") == []


def test_when_signature_headers_are_missing_then_401(slack: Slack) -> None:
    response = slack.client.post("/slack/events", data=b'{"type":"event_callback"}',
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 401


def test_slack_retries_of_one_event_are_answered_once(slack: Slack) -> None:
    event = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": SAMPLE_SCAM,
             "ts": "1800000000.000100"}
    for retry in ("", "1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        assert slack.event(event, event_id="EvRETRY1", headers=headers).status_code == 200
    slack.fake.wait_for("chat.postMessage")
    slack.fake.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1


def test_duplicate_event_ids_are_handled_once_across_processes(make_app: Callable[..., Flask], fake: FakeSlack) -> None:
    first, second = make_app(), make_app()  # two workers sharing one database
    event = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": SAMPLE_SCAM,
             "ts": "1800000000.000200"}
    Slack(first.test_client(), fake, first).event(event, event_id="EvTWICE")
    Slack(second.test_client(), fake, second).event(event, event_id="EvTWICE")
    fake.wait_for("chat.postMessage")
    fake.settle()
    assert len(fake.of("chat.postMessage")) == 1


def test_ack_does_not_wait_for_a_rate_limited_post_which_is_retried_after_retry_after(slack: Slack) -> None:
    slack.fake.rate_limit("chat.postMessage", times=1, retry_after=3)
    started = time.monotonic()
    response = slack.dm(SAMPLE_SCAM)
    acked_in = time.monotonic() - started
    assert response.status_code == 200
    # Waiting for the retry would take 3 s or more; a margin below that keeps a busy CI machine from failing it.
    assert acked_in < 2.0
    posts = slack.fake.wait_for("chat.postMessage", count=2, timeout=12)
    assert len(posts) == 2  # one 429, one retry honouring Retry-After
    assert posts[1].params["text"]


def test_without_slack_credentials_the_route_is_disabled_and_the_app_starts(tmp_path: Path) -> None:
    settings = load_settings(slack_bot_token=None, slack_signing_secret=None, line_channel_secret=None,
                             line_channel_access_token=None, instance_path=tmp_path / "instance", database_url="")
    app = create_app(settings)
    assert app.test_client().post("/slack/events", data=b"{}").status_code == 404


def test_when_slack_rejects_the_token_then_start_up_names_the_variable(make_app: Callable[..., Flask],
                                                                        fake: FakeSlack) -> None:
    fake.failing["auth.test"] = "invalid_auth"
    try:
        make_app()
    except Exception as exc:
        assert "SLACK_BOT_TOKEN" in str(exc)
        assert "xoxb" not in str(exc)
    else:
        raise AssertionError("start-up should fail on a rejected token")


def test_message_text_is_never_logged_even_at_debug(slack: Slack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    slack.dm(SAMPLE_SCAM)
    slack.command(SAMPLE_SCAM)
    slack.channel_message(SAMPLE_SCAM)
    slack.fake.wait_for("chat.postMessage", count=2)
    slack.fake.wait_for("response_url")
    assert caplog.records, "the checks were logged"
    assert not [r.name for r in caplog.records if "未納料金" in r.getMessage() or "未納料金" in (r.exc_text or "")]
