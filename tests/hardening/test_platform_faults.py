"""The LINE and Slack APIs fail (500, 429, slow answers, dropped connections): webhooks still answer at once,
answers fall back or retry per the platform's rules, helper notices arrive exactly once, nothing crashes."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.detect import Detector
from bot.texts import SAMPLE_SCAM
from tests.hardening.conftest import World, running_world
from tests.line.conftest import text, user

WATCHED, HELPER = "Uwatched", "Uhelper"
FAST = 1.0  # seconds: LINE counts a webhook as failed after about 2 s, Slack wants its ack within 3 s (margin for busy CI)


def _line(world: World, *events: dict[str, Any]) -> float:
    """Post signed events; return how long the webhook took to answer (it must be 200)."""
    body = json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode()
    started = time.perf_counter()
    response = world.line(body)
    took = time.perf_counter() - started
    assert response.status_code == 200
    return took


def _link_line_helper(world: World) -> None:
    code = world.store.create_link_code("line", WATCHED)
    redeemed = world.store.redeem_link_code("line", HELPER, code)
    assert world.store.confirm_link("line", WATCHED, redeemed.link_id, accept=True) is not None


def _no_crash(world: World) -> None:
    world.settle()
    assert world.crashes.summary() == [] and world.thread_errors == []


def test_line_reply_500_falls_back_to_one_push_and_the_webhook_answers_at_once(world: World) -> None:
    world.line_api.then("reply", status=500)
    assert _line(world, text(SAMPLE_SCAM, user("U1"))) < FAST
    _no_crash(world)
    assert len(world.line_api.sent_to("U1")) == 1, "the answer must arrive by push, exactly once"


def test_line_slow_api_does_not_hold_the_webhook_and_the_answer_still_arrives(world: World) -> None:
    world.line_api.then("reply", delay=1.5)  # longer than the client's read timeout
    assert _line(world, text(SAMPLE_SCAM, user("U1"))) < FAST
    _no_crash(world)
    assert world.line_api.sent(), "the answer was lost"


def test_line_push_500s_are_retried_with_one_retry_key_and_delivered_once(world: World) -> None:
    world.line_api.then("reply", status=400, body={"message": "Invalid reply token"})
    world.line_api.then("push", status=500)
    world.line_api.then("push", status=503)
    _line(world, text(SAMPLE_SCAM, user("U1")))
    _no_crash(world)
    pushes = world.line_api.of("push")
    assert len({p.headers.get("X-Line-Retry-Key") for p in pushes}) == 1 and len(pushes) == 3
    assert len(world.line_api.sent_to("U1")) == 1


def test_line_push_accepted_but_answer_lost_counts_409_as_sent_and_is_not_resent(world: World) -> None:
    world.line_api.then("reply", status=400, body={"message": "Invalid reply token"})
    world.line_api.then("push", status=500, accept=True)  # LINE took it, the answer never came back
    _line(world, text(SAMPLE_SCAM, user("U1")))
    _no_crash(world)
    statuses = [p.status for p in world.line_api.of("push")]
    assert statuses == [500, 409], statuses


def test_line_push_429_is_not_retried_blindly(world: World) -> None:
    world.line_api.then("reply", status=400, body={"message": "Invalid reply token"})
    world.line_api.then("push", status=429, body={"message": "Too Many Requests"})
    _line(world, text(SAMPLE_SCAM, user("U1")))
    _no_crash(world)
    assert len(world.line_api.of("push")) == 1


def test_line_helper_notice_survives_push_errors_and_is_sent_once(world: World) -> None:
    _link_line_helper(world)
    world.line_api.clear()
    world.line_api.then("push", status=500)
    world.line_api.then("push", status=500, accept=True)
    scam = text(SAMPLE_SCAM, user(WATCHED))
    _line(world, scam)
    _line(world, dict(scam, deliveryContext={"isRedelivery": True}))  # LINE redelivers the same event
    _no_crash(world)
    assert len(world.line_api.sent_to(HELPER)) + sum(
        1 for p in world.line_api.of("push") if p.body.get("to") == HELPER and p.status == 409) == 1
    assert len([p for p in world.line_api.of("push") if p.body.get("to") == HELPER and p.status in (200, 409)]) == 1


class Dropper:
    """A loopback server that accepts connections and closes them without answering."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted = 0
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        """Base URL pointing at the dropper."""
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.recv(65536)
            conn.close()

    def close(self) -> None:
        """Stop accepting."""
        self._stop = True
        self.sock.close()


@pytest.fixture
def dropper() -> Iterator[Dropper]:
    """Connections that drop."""
    server = Dropper()
    yield server
    server.close()


def test_line_dropped_connections_are_survived(tmp_path: Path, detector: Detector, dropper: Dropper) -> None:
    with running_world(tmp_path, detector, line_api_base_url=dropper.url, line_data_api_base_url=dropper.url) as world:
        assert _line(world, text(SAMPLE_SCAM, user("U1")), text("こんにちは", user("U2"))) < FAST
        _no_crash(world)
        assert dropper.accepted >= 2, "the bot never tried to answer"
        assert _line(world, text(SAMPLE_SCAM, user("U3"))) < FAST  # and it keeps working afterwards


def _slack_dm(world: World, body: str, user_id: str = "U1", event_id: str | None = None) -> float:
    payload = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
               "event_id": event_id or f"Ev{time.monotonic_ns()}", "event_time": int(time.time()),
               "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": user_id, "text": body,
                         "ts": f"{time.time():.6f}"}}
    started = time.perf_counter()
    response = world.slack(json.dumps(payload, ensure_ascii=False).encode())
    took = time.perf_counter() - started
    assert response.status_code == 200
    return took


def test_slack_429_is_retried_after_retry_after_and_delivered_once(world: World) -> None:
    world.slack_api.rate_limit("chat.postMessage", times=1, retry_after=1)
    assert _slack_dm(world, SAMPLE_SCAM) < FAST
    posts = world.slack_api.wait_for("chat.postMessage", 2, timeout=10)
    _no_crash(world)
    assert len(posts) == 2  # the 429, then the one that went through


def test_slack_slow_api_does_not_hold_the_ack(world: World) -> None:
    answer = world.slack_api.answer

    def slow(method: str, params: dict[str, Any]) -> dict[str, Any]:
        time.sleep(2)
        return answer(method, params)

    world.slack_api.answer = slow  # type: ignore[method-assign]
    assert _slack_dm(world, SAMPLE_SCAM) < FAST
    world.slack_api.wait_for("chat.postMessage", 1, timeout=10)
    _no_crash(world)


def test_slack_api_errors_are_logged_not_crashed_and_a_redelivery_is_not_answered_twice(world: World) -> None:
    world.slack_api.failing["chat.postMessage"] = "internal_error"
    assert _slack_dm(world, SAMPLE_SCAM, event_id="EvFAULT1") < FAST
    world.slack_api.wait_for("chat.postMessage", 1)
    del world.slack_api.failing["chat.postMessage"]
    assert _slack_dm(world, SAMPLE_SCAM, event_id="EvFAULT1") < FAST  # Slack's retry of the same event
    _no_crash(world)
    assert len(world.slack_api.of("chat.postMessage")) == 1


def _record_deliveries(world: World) -> list[str]:
    """Channels of the chat.postMessage calls Slack accepted (the fake answers only those that were not 429s)."""
    delivered: list[str] = []
    answer = world.slack_api.answer

    def recording(method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage":
            delivered.append(str(params.get("channel")))
        return answer(method, params)

    world.slack_api.answer = recording  # type: ignore[method-assign]
    return delivered


def test_slack_helper_notice_survives_429s_and_is_sent_once(world: World) -> None:
    code = world.store.create_link_code("slack", "U1")
    redeemed = world.store.redeem_link_code("slack", "U9", code)
    assert world.store.confirm_link("slack", "U1", redeemed.link_id, accept=True) is not None
    delivered = _record_deliveries(world)
    world.slack_api.rate_limit("chat.postMessage", times=2, retry_after=1)
    _slack_dm(world, SAMPLE_SCAM, event_id="EvNOTICE1")
    _slack_dm(world, SAMPLE_SCAM, event_id="EvNOTICE1")  # Slack's retry of the same event
    world.slack_api.wait_for("chat.postMessage", 4, timeout=15)
    _no_crash(world)
    assert delivered.count("U9") == 1, delivered
    assert delivered.count("D1") == 1, delivered


def test_slack_dropped_connections_are_survived(world: World, dropper: Dropper) -> None:
    assert _slack_dm(world, "こんにちは") < FAST  # token checked and cached while Slack was reachable
    world.slack_api.wait_for("chat.postMessage", 1)
    world.app.extensions["slack_bolt"].client.base_url = f"{dropper.url}/api/"  # then connections start dropping
    assert _slack_dm(world, SAMPLE_SCAM) < FAST
    deadline = time.monotonic() + 10
    while dropper.accepted < 2 and time.monotonic() < deadline:  # the first try and the connection-error retry
        time.sleep(0.05)
    _no_crash(world)
    assert dropper.accepted >= 2, "the bot never tried to answer"
