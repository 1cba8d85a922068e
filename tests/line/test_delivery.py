"""Getting answers out: reply once, push fallback, retry key, 409, quota, limits, timeouts and logs."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from bot import texts
from handlers.line.conversation import Conversation
from tests.line.conftest import Line, text, user
from tests.line.fake_line import QUOTA

SCAM = texts.SAMPLE_SCAM


def _flex_label(call: Any) -> str:
    return str(call.messages[0]["contents"]["header"]["contents"][0]["text"])


def test_invalid_reply_token_falls_back_to_push_with_a_retry_key(line: Line) -> None:
    line.fake.then("reply", status=400, body={"message": "Invalid reply token"})
    line.post(text(SCAM, user("U1")))
    (push,) = line.fake.of("push")
    assert push.body["to"] == "U1"
    assert _flex_label(push) == "危険"
    assert len(push.headers["X-Line-Retry-Key"]) == 36


def test_when_work_outlives_the_reply_token_it_pushes_instead(line: Line) -> None:
    line.runtime.reply_window = 0.0
    line.post(text(SCAM, user("U1")))
    assert line.fake.of("reply") == []
    assert [c.body["to"] for c in line.fake.sent()] == ["U1"]


def test_a_redelivered_event_whose_token_is_too_old_is_answered_by_push(line: Line) -> None:
    late = text(SCAM, user("U1"))
    late.update(timestamp=late["timestamp"] - 5 * 60_000, deliveryContext={"isRedelivery": True})
    line.post(late)
    assert line.fake.of("reply") == []
    assert [c.body["to"] for c in line.fake.sent()] == ["U1"]


def test_reply_never_carries_a_retry_key(line: Line) -> None:
    line.post(text(SCAM, user("U1")))
    assert "X-Line-Retry-Key" not in line.fake.of("reply")[0].headers


def test_push_retries_server_errors_with_the_same_retry_key(line: Line) -> None:
    line.runtime.reply_window = 0.0
    line.fake.then("push", status=500)
    line.fake.then("push", status=503)
    line.post(text(SCAM, user("U1")))
    pushes = line.fake.of("push")
    assert [p.status for p in pushes] == [500, 503, 200]
    assert len({p.headers["X-Line-Retry-Key"] for p in pushes}) == 1


def test_push_whose_answer_was_lost_is_not_sent_twice(line: Line) -> None:
    line.runtime.reply_window = 0.0
    line.fake.then("push", status=500, accept=True)  # LINE accepted it, but we only saw a 500
    line.post(text(SCAM, user("U1")))
    assert [p.status for p in line.fake.of("push")] == [500, 409]


def test_push_timeout_is_retried_and_409_counts_as_sent(line: Line) -> None:
    line.runtime.reply_window = 0.0
    line.fake.then("push", delay=1.0)  # accepted, but slower than the client's read timeout
    started = time.monotonic()
    line.post(text(SCAM, user("U1")))
    assert [p.status for p in line.fake.of("push")] == [200, 409]
    assert time.monotonic() - started < 3


def test_push_stops_on_quota_and_logs_it(line: Line, caplog: pytest.LogCaptureFixture) -> None:
    line.runtime.reply_window = 0.0
    line.fake.then("push", status=429, body=QUOTA)
    with caplog.at_level(logging.INFO):
        line.post(text(SCAM, user("U1")))
    assert len(line.fake.of("push")) == 1
    assert "monthly limit" in caplog.text


def test_push_is_not_retried_on_a_client_error(line: Line) -> None:
    line.runtime.reply_window = 0.0
    line.fake.then("push", status=400, body={"message": "The request body has 1 error(s)"})
    line.post(text(SCAM, user("U1")))
    assert len(line.fake.of("push")) == 1


def test_slow_reply_gives_up_after_the_timeout_and_pushes(line: Line) -> None:
    line.fake.then("reply", delay=1.5)
    started = time.monotonic()
    line.post(text(SCAM, user("U1")))
    assert time.monotonic() - started < 1.4  # the read timeout cut the wait
    assert len(line.fake.of("push")) == 1


def test_more_than_five_messages_are_replied_five_and_pushed_the_rest(line: Line) -> None:
    conversation = Conversation(client=line.runtime.client, to="U1", reply_token="token-1")
    messages = [{"type": "text", "text": f"{n}番目"} for n in range(7)]
    assert conversation.send(messages)
    (reply,) = line.fake.of("reply")
    (push,) = line.fake.of("push")
    assert len(reply.messages) == 5 and len(push.messages) == 2


def test_request_ids_are_logged_and_message_text_never_is(line: Line, caplog: pytest.LogCaptureFixture) -> None:
    secret_words = "田中様の口座番号1234567は凍結されました。至急 http://bank-verify.example.top/ から手続きを"
    with caplog.at_level(logging.DEBUG):
        line.post(text(secret_words, user("U1")), text(SCAM, user("U2")))
    assert "request_id=" in caplog.text
    for fragment in ("田中", "1234567", "bank-verify", "未納料金", "アマゾンジャパン"):
        assert fragment not in caplog.text


def test_a_message_line_would_refuse_is_refused_by_the_fake_too(line: Line) -> None:
    # The bot posts plain JSON (no SDK models on the way): the fake checks each body against the SDK's models,
    # so every other test here also proves that what the bot sends is a message LINE accepts.
    outcome = line.runtime.client.reply("token", [{"type": "flex", "altText": "no contents"}])
    assert outcome.name == "GIVE_UP"
    assert line.fake.of("reply")[-1].status == 400
    assert line.runtime.client.push("U1", [{"type": "text"}]) is False
    assert line.fake.of("push")[-1].status == 400
