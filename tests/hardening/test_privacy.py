"""Message texts sent through LINE, Slack and the API never reach the logs (at DEBUG), /metrics or any table."""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.detect import Detector
from handlers.line import build_runtime
from handlers.line.answering import Worker
from tests.hardening.conftest import World, running_world
from tests.line.conftest import group, postback, text, user
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID

# Each text carries a nonsense marker that cannot come from anywhere but the message itself.
TEMPLATES = [
    "【ヤマト運輸】お荷物をお届けに伺いましたが不在のため持ち帰りました。合言葉{m}。確認はこちら https://yamato-{n}.top/d",
    "ご利用料金のお支払い確認が取れておりません。本日中にご連絡ください。({m}) 03-6{n:03d}-7788",
    "【Amazon】お客様のアカウントを停止しました。{m} 以下より情報を更新してください http://amazon-{n}.xyz/login",
    "明日の飲み会、{m}の店で19時からね。遅れないように！",
    "認証コードは 4829{n:02d} です。{m} このコードを誰にも教えないでください。",
]
MARKERS = [f"ミカン星人{n}号" for n in range(len(TEMPLATES) * 3)]
TEXTS = [TEMPLATES[i % len(TEMPLATES)].format(m=marker, n=i) for i, marker in enumerate(MARKERS)]


def _line_post(world: World, *events: dict[str, Any]) -> None:
    body = json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode()
    assert world.line(body).status_code == 200
    assert world.line_runtime.drain(20)


def _press_every_line_button(world: World, source: dict[str, Any]) -> None:
    """Every postback a user could press in the answers so far (feedback, report pages, tell family, …)."""
    datas = {s for call in world.line_api.sent() for s in _postback_datas(call.body)}
    for data in sorted(datas):
        _line_post(world, postback(data, source))


def _postback_datas(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["data"]] if node.get("type") == "postback" and isinstance(node.get("data"), str) else []
        return found + [d for value in node.values() for d in _postback_datas(value)]
    if isinstance(node, list):
        return [d for item in node for d in _postback_datas(item)]
    return []


def _slack_event(world: World, event: dict[str, Any]) -> None:
    body = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0001", "type": "event_callback",
            "event_id": f"Ev{time.monotonic_ns()}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}
    assert world.slack(json.dumps(body, ensure_ascii=False).encode()).status_code == 200


def _press_every_slack_button(world: World) -> None:
    """Every button in the messages the bot posted, pressed by the user it was posted to."""
    for call in list(world.slack_api.calls):
        for block in call.params.get("blocks") or []:
            for element in block.get("elements", []) if isinstance(block, dict) else []:
                if isinstance(element, dict) and element.get("type") == "button" and "action_id" in element:
                    payload = {"type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": "U1"},
                               "api_app_id": "A0001", "token": "legacy", "channel": {"id": "D1"},
                               "container": {"type": "message", "message_ts": "1800000000.000001", "channel_id": "D1"},
                               "message": {"ts": "1800000000.000001", "text": ""}, "trigger_id": "t",
                               "response_url": f"{world.slack_api.url}/response/x",
                               "actions": [{"type": "button", "action_id": element["action_id"], "block_id": "b",
                                            "value": element.get("value", ""), "action_ts": str(time.time())}]}
                    body = urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode()
                    assert world.slack(body, "application/x-www-form-urlencoded").status_code == 200


def _leaks(haystack: str) -> list[str]:
    return [m for m in MARKERS if m in haystack] + [t[:30] for t in TEXTS if t in haystack]


@pytest.fixture
def debug_world(world: World, caplog: pytest.LogCaptureFixture) -> Iterator[World]:
    """The app with every logger we control at DEBUG (LOG_LEVEL=DEBUG in production does the same)."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    yield world
    root.setLevel(level)


def test_message_texts_never_reach_logs_metrics_or_the_database(debug_world: World,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    world = debug_world
    code = world.store.create_link_code("line", "Uprivacy1")  # a family helper, so danger notices are sent too
    link = world.store.redeem_link_code("line", "Uhelper", code)
    world.store.confirm_link("line", "Uprivacy1", link.link_id, accept=True)
    world.store.set_share_full_text("line", "Uprivacy1", True)  # the one place text may go: to the chosen helper
    for i, body in enumerate(TEXTS):
        _line_post(world, text(body, user("Uprivacy1")))
        _line_post(world, text(body, group("Cprivacy", f"Um{i}"), mention_self=i % 2 == 0))
        _slack_event(world, {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": body,
                             "ts": f"{time.time():.6f}"})
        _slack_event(world, {"type": "message", "channel_type": "channel", "channel": "C1", "user": "U2",
                             "text": body, "ts": f"{time.time():.6f}"})
        _slack_event(world, {"type": "app_mention", "channel": "C1", "user": "U2", "text": f"<@{BOT_USER_ID}> {body}",
                             "ts": f"{time.time():.6f}"})
        assert world.http.post("/api/check", json={"text": body, "sender": "SMS"}).status_code == 200
    _press_every_line_button(world, user("Uprivacy1"))
    world.slack_api.wait_for("chat.postMessage", len(TEXTS))
    world.settle()
    _press_every_slack_button(world)
    _line_post(world, text("見守り解除", user("Uprivacy1")))
    world.settle()

    assert any(m in c.all_text for c in world.line_api.sent_to("Uhelper") for m in MARKERS), \
        "control: the user chose to share full texts with the helper, so the helper's notices carry the markers"
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.__dict__}" for r in caplog.records)
    assert len(caplog.records) > 100, "control: the logs were captured"
    assert _leaks(logs) == [], "message text in the logs"
    metrics = world.http.get("/metrics").get_data(as_text=True)
    assert "sagi_" in metrics and _leaks(metrics) == [], "message text in /metrics"
    dump = world.dump()
    assert "feedback" in dump or "stat_checks" in dump, "control: the database holds rows"
    assert _leaks(dump) == [], "message text in the database"


def test_queued_deliveries_leave_no_text_in_the_inbox_once_answered(tmp_path: Path, detector: Detector) -> None:
    with running_world(tmp_path, detector, event_queue="database") as world:
        worker = Worker(build_runtime(world.app.extensions["sagi"], workers=4))
        for body in TEXTS:
            assert world.line(json.dumps({"destination": "Ubot", "events": [text(body, user("Uq"))]},
                                         ensure_ascii=False).encode()).status_code == 200
        inbox_file = Path(f"{world.database}-inbox")
        assert any(t.encode() in inbox_file.read_bytes() + Path(f"{inbox_file}-wal").read_bytes() for t in TEXTS), \
            "control: queued bodies hold the texts"
        while worker.step():
            assert worker.runtime.drain(20)
        worker.step(take=False)
        worker.runtime.close()
        assert len(world.line_api.of("reply")) == len(TEXTS)
        with contextlib.closing(sqlite3.connect(inbox_file)) as db:
            assert db.execute("SELECT COUNT(*) FROM inbox").fetchone() == (0,)
        wal = Path(f"{inbox_file}-wal")
        on_disk = inbox_file.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        assert inbox_file.read_bytes() and not any(m.encode() in on_disk for m in MARKERS), \
            "deleted bodies were left in the file or its log"
