"""Forged and replayed webhooks: every variant is refused with 4xx, and nothing is processed, stored or sent."""

from __future__ import annotations

import base64
import json
import time
import urllib.parse
from collections.abc import Callable

import pytest
from slack_sdk.signature import SignatureVerifier
from werkzeug.test import TestResponse

from bot.texts import SAMPLE_SCAM
from tests.hardening.conftest import SLACK_SECRET, World
from tests.line.conftest import sign, text, user
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID

LINE_BODY = json.dumps({"destination": "Ubot", "events": [text(SAMPLE_SCAM, user("Uforged"))]},
                       ensure_ascii=False).encode("utf-8")
GOOD_LINE = sign(LINE_BODY)


def _slack_body(event_id: str = "EvFORGED0001") -> bytes:
    return json.dumps({
        "token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0001", "type": "event_callback", "event_id": event_id,
        "event_time": int(time.time()), "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": SAMPLE_SCAM,
                  "ts": f"{time.time():.6f}"}}, ensure_ascii=False).encode("utf-8")


def _flip(signature: str) -> str:
    """The same signature with one character changed."""
    return signature[:-3] + ("A" if signature[-3] != "A" else "B") + signature[-2:]


LINE_FORGERIES: dict[str, Callable[[World], TestResponse]] = {
    "missing header": lambda w: w.http.post("/line/webhook", data=LINE_BODY, content_type="application/json"),
    "empty signature": lambda w: w.line(LINE_BODY, signature=""),
    "wrong secret": lambda w: w.line(LINE_BODY, signature=sign(LINE_BODY, "another channel's secret")),
    "one character changed": lambda w: w.line(LINE_BODY, signature=_flip(GOOD_LINE)),
    "truncated": lambda w: w.line(LINE_BODY, signature=GOOD_LINE[:20]),
    "padding stripped": lambda w: w.line(LINE_BODY, signature=GOOD_LINE.rstrip("=")),
    "hex instead of base64": lambda w: w.line(LINE_BODY, signature=base64.b64decode(GOOD_LINE).hex()),
    "url-safe base64": lambda w: w.line(LINE_BODY, signature=base64.urlsafe_b64encode(base64.b64decode(
        sign(LINE_BODY + b" "))).decode()),
    "non-ascii signature": lambda w: w.line(LINE_BODY, signature="署名" + GOOD_LINE[2:]),
    "signature twice": lambda w: w.line(LINE_BODY, signature=GOOD_LINE + GOOD_LINE),
    "body changed after signing": lambda w: w.line(LINE_BODY.replace(b"Uforged", b"Uvictim"), signature=GOOD_LINE),
    "byte appended after signing": lambda w: w.line(LINE_BODY + b"\n", signature=GOOD_LINE),
    "re-encoded as ascii json": lambda w: w.line(
        json.dumps(json.loads(LINE_BODY), ensure_ascii=True).encode(), signature=GOOD_LINE),
    "re-encoded as utf-16": lambda w: w.line(LINE_BODY.decode().encode("utf-16"), signature=GOOD_LINE),
    "signed as text, not bytes": lambda w: w.line(LINE_BODY, signature=sign(LINE_BODY.decode("utf-8").encode("latin-1",
                                                                                                            "replace"))),
}


def _snapshot(world: World) -> dict[str, int]:
    world.settle()
    world.line_api.clear()
    with world.slack_api._lock:
        world.slack_api.calls.clear()
    world.crashes.records.clear()
    return world.row_counts()


def _assert_untouched(world: World, before: dict[str, int]) -> None:
    world.settle()
    assert world.row_counts() == before, "a refused request changed the database"
    assert world.line_api.calls == [], "a refused request reached the LINE API"
    assert world.slack_api.calls == [], "a refused request reached Slack"
    assert world.crashes.summary() == [], "a refused request crashed something"


@pytest.mark.parametrize("name", list(LINE_FORGERIES))
def test_forged_line_webhook_is_refused_and_leaves_no_trace(shared_world: World, name: str) -> None:
    world = shared_world
    before = _snapshot(world)
    response = LINE_FORGERIES[name](world)
    assert 400 <= response.status_code < 500, name
    _assert_untouched(world, before)


def test_the_genuine_line_request_used_by_the_forgeries_is_accepted(world: World) -> None:
    before = _snapshot(world)
    assert world.line(LINE_BODY, signature=GOOD_LINE).status_code == 200
    world.settle()
    assert world.line_api.of("reply"), "the control request must be processed, or the forgery tests prove nothing"
    assert world.row_counts() != before


def _slack_sig(body: bytes, ts: str, secret: str = SLACK_SECRET) -> str:
    return SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)


def _forged_slack(world: World, name: str) -> TestResponse:
    body = _slack_body()
    now = str(int(time.time()))
    good = _slack_sig(body, now)
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": now, "X-Slack-Signature": good}
    if name == "missing signature":
        del headers["X-Slack-Signature"]
    elif name == "missing timestamp":
        del headers["X-Slack-Request-Timestamp"]
    elif name == "wrong secret":
        headers["X-Slack-Signature"] = _slack_sig(body, now, "not-the-secret")
    elif name == "one character changed":
        headers["X-Slack-Signature"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    elif name == "truncated":
        headers["X-Slack-Signature"] = good[:30]
    elif name == "no v0 prefix":
        headers["X-Slack-Signature"] = good.removeprefix("v0=")
    elif name == "upper-case hex":
        headers["X-Slack-Signature"] = "v0=" + good[3:].upper()
    elif name == "base64 instead of hex":
        headers["X-Slack-Signature"] = "v0=" + base64.b64encode(bytes.fromhex(good[3:])).decode()
    elif name == "body changed after signing":
        body = body.replace(b'"U1"', b'"U2"')
    elif name == "re-encoded as ascii json":
        body = json.dumps(json.loads(body), ensure_ascii=True).encode()
    elif name == "timestamp changed after signing":
        headers["X-Slack-Request-Timestamp"] = str(int(now) + 1)
    elif name == "replayed six minutes later":
        old = str(int(time.time()) - 6 * 60)
        headers.update({"X-Slack-Request-Timestamp": old, "X-Slack-Signature": _slack_sig(body, old)})
    elif name == "dated six minutes ahead":
        ahead = str(int(time.time()) + 6 * 60)
        headers.update({"X-Slack-Request-Timestamp": ahead, "X-Slack-Signature": _slack_sig(body, ahead)})
    elif name == "timestamp not a number":
        headers.update({"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": _slack_sig(body, "soon")})
    elif name == "form payload re-encoded":
        form = urllib.parse.urlencode({"payload": json.dumps({"type": "block_actions"})}).encode()
        headers.update({"Content-Type": "application/x-www-form-urlencoded",
                        "X-Slack-Signature": _slack_sig(form.replace(b"%22", b'"'), now)})
        body = form
    elif name == "unsigned garbage body":
        body, headers["Content-Type"] = b"\x00{not json", "application/json"
    elif name == "unsigned json array":
        body = b"[1, 2]"
    else:  # pragma: no cover - the list below names every case
        raise AssertionError(name)
    return world.http.post("/slack/events", data=body, headers=headers)


SLACK_FORGERIES = [
    "missing signature", "missing timestamp", "wrong secret", "one character changed", "truncated", "no v0 prefix",
    "upper-case hex", "base64 instead of hex", "body changed after signing", "re-encoded as ascii json",
    "timestamp changed after signing", "replayed six minutes later", "dated six minutes ahead",
    "timestamp not a number", "form payload re-encoded", "unsigned garbage body", "unsigned json array",
]


@pytest.mark.parametrize("name", SLACK_FORGERIES)
def test_forged_or_replayed_slack_request_is_refused_and_leaves_no_trace(shared_world: World, name: str) -> None:
    world = shared_world
    before = _snapshot(world)
    response = _forged_slack(world, name)
    assert 400 <= response.status_code < 500, name
    _assert_untouched(world, before)  # the deliveries table included: the event id was never claimed


def test_the_genuine_slack_request_used_by_the_forgeries_is_accepted(world: World) -> None:
    before = _snapshot(world)
    assert world.slack(_slack_body("EvGENUINE001")).status_code == 200
    world.slack_api.wait_for("chat.postMessage")
    world.settle()
    assert world.row_counts() != before


def test_a_genuine_slack_request_four_minutes_old_is_still_accepted(world: World) -> None:
    assert world.slack(_slack_body("EvFOURMIN01"), timestamp=int(time.time()) - 4 * 60).status_code == 200
    world.slack_api.wait_for("chat.postMessage")


SIGNED_ODDITIES = {
    "block actions without actions": {"payload": {"type": "block_actions", "actions": None}},
    "block actions with an empty list": {"payload": {"type": "block_actions", "actions": []}},
    "block action without an action id": {"payload": {"type": "block_actions", "user": {"id": "U1"},
                                                      "actions": [{"type": "button", "value": "x"}]}},
    "view submission without a view type": {"payload": {"type": "view_submission", "view": {"callback_id": "x"}}},
    "event that is a string": {"json": {"type": "event_callback", "event_id": "EvODD1", "event": "message"}},
    "edited message that is a list": {"json": {"type": "event_callback", "event_id": "EvODD2", "event": {
        "type": "message", "subtype": "message_changed", "channel_type": "im", "message": [1]}}},
    "json array": {"json": [1, 2, 3]},
    "event id with a lone surrogate": {"json": {"type": "event_callback", "event_id": "Ev\ud800", "event": {
        "type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "x", "ts": "1.1"}}},
}


@pytest.mark.parametrize("name", list(SIGNED_ODDITIES))
def test_signed_payloads_of_shapes_slack_never_sends_are_a_4xx_not_a_5xx(shared_world: World, name: str) -> None:
    world = shared_world
    before = _snapshot(world)
    case = SIGNED_ODDITIES[name]
    if "payload" in case:
        response = world.slack(urllib.parse.urlencode({"payload": json.dumps(case["payload"])}).encode(),
                               "application/x-www-form-urlencoded")
    else:
        response = world.slack(json.dumps(case["json"]).encode())
    assert 400 <= response.status_code < 500, (name, response.status_code)
    _assert_untouched(world, before)
