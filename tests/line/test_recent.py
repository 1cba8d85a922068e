"""Buttons work whichever worker or instance takes the press: results live in the database, not in a process."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from bot.app import create_app
from bot.detect import Detector
from bot.knowledge import Knowledge
from bot.services import Services
from bot.storage import Store
from tests.line.conftest import CurrentStore, Line, event, group, postback, text, user
from tests.line.fake_line import FakeLine
from tests.line.test_helper import HELPER, SCAM_2, WATCHED, _link

SCAM = texts.SAMPLE_SCAM


@pytest.fixture
def other(line: Line, core: tuple[Knowledge, Detector, CurrentStore, Path]) -> Iterator[Line]:
    """A second app (another process or machine) on the same database, with its own store and fake LINE API."""
    knowledge, detector, _, _ = core
    settings = line.runtime.services.settings
    fake = FakeLine().start()
    settings = settings.model_copy(update={"line_api_base_url": fake.url, "line_data_api_base_url": fake.url})
    store = Store(settings.effective_database_url, b"line-test-key", settings.helper_daily_cap, clock=line.clock,
                  migrate=False)
    app = create_app(settings, services=Services(settings=settings, knowledge=knowledge, store=store,
                                                 detector=detector))
    tester = Line(app, fake, line.clock)
    tester.runtime.client.timeout = (1.0, 0.5)
    yield tester
    tester.runtime.close()
    store.close()
    fake.stop()


def _buttons(line: Line) -> dict[str, str]:
    """Label → postback data of every button in the last reply."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "postback":
                found[node["label"]] = node["data"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(line.fake.of("reply")[-1].messages)
    return found


def _rows(line: Line) -> int:
    path = line.runtime.services.settings.effective_database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return int(conn.execute("select count(*) from recent_checks").fetchone()[0])


def test_report_pages_and_feedback_pressed_on_another_instance_use_the_judged_result(line: Line, other: Line) -> None:
    line.post(text(SCAM_2, user("U1")))
    buttons = _buttons(line)
    other.post(postback(buttons[texts.BUTTON_REPORT_PAGES], user("U1")))
    assert other.fake.of("reply")[-1].all_text.startswith("【報告先】")
    other.post(postback(buttons[texts.BUTTON_HELPFUL], user("U1")))
    assert other.fake.of("reply")[-1].all_text == texts.FEEDBACK_THANKS
    assert [r.key for r in line.store.list_reports()] == ["example-delivery.top"]  # counted as a community report


def test_tell_family_pressed_on_another_instance_notifies_the_helper(line: Line, other: Line) -> None:
    _link(line)
    line.post(text("【重要】お客様のアカウントが一時停止されました。", user(WATCHED)))  # caution: no automatic notice
    assert line.fake.sent_to(HELPER) == []
    other.post(postback(_buttons(line)[texts.BUTTON_TELL_FAMILY], user(WATCHED)))
    assert other.fake.of("reply")[-1].all_text == texts.TELL_FAMILY_SENT
    (notice,) = other.fake.sent_to(HELPER)
    assert "判定: 注意" in notice.all_text


def test_shared_text_reaches_the_helper_from_another_instance(line: Line, other: Line) -> None:
    _link(line)
    line.post(postback("a=share&on=1", user(WATCHED)))
    caution = "【重要】お客様のアカウントが一時停止されました。ミカン星人"
    line.post(text(caution, user(WATCHED)))
    other.post(postback(_buttons(line)[texts.BUTTON_TELL_FAMILY], user(WATCHED)))
    assert caution in other.fake.sent_to(HELPER)[0].all_text


def test_group_details_and_quoting_mentions_work_on_another_instance(line: Line, other: Line) -> None:
    scam = text(SCAM, group("G1"))
    line.post(scam)
    other.post(postback(_buttons(line)[texts.BUTTON_DETAILS], group("G1")))
    details = other.fake.of("reply")[-1].messages[0]
    assert details["type"] == "flex" and details["altText"].startswith("⚠️ 危険")
    other.post(text("", group("G1"), mention_self=True, quoted=scam["message"]["id"]))
    assert other.fake.of("reply")[-1].messages[0]["contents"]["header"]["contents"][0]["text"] == "危険"
    other.post(postback(_buttons(line)[texts.BUTTON_DETAILS], group("G2")))  # replayed in another group
    assert other.fake.of("reply")[-1].all_text == texts.DETAILS_EXPIRED


def test_unsend_on_one_instance_removes_the_result_for_all(line: Line, other: Line) -> None:
    message = text(SCAM, user("U1"))
    line.post(message)
    assert _rows(line) == 1
    other.post(event("unsend", user("U1"), unsend={"messageId": message["message"]["id"]}))
    assert _rows(line) == 0
    line.post(postback(_buttons(line)[texts.BUTTON_REPORT_PAGES], user("U1")))
    assert line.fake.of("reply")[-1].all_text == texts.DETAILS_EXPIRED


def test_buttons_expire_after_30_minutes(line: Line, other: Line) -> None:
    line.post(text(SCAM, user("U1")))
    report = _buttons(line)[texts.BUTTON_REPORT_PAGES]
    line.clock.advance(minutes=29)
    other.post(postback(report, user("U1")))
    assert other.fake.of("reply")[-1].all_text.startswith("【報告先】")
    line.clock.advance(minutes=2)
    other.post(postback(report, user("U1")))
    assert other.fake.of("reply")[-1].all_text == texts.DETAILS_EXPIRED
