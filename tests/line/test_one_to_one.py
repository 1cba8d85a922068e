"""1:1 chat end to end: welcome, forwarded SMS → Flex verdict, buttons, non-text, data deletion."""

from __future__ import annotations

import sqlite3
from typing import Any

from bot import texts
from bot.compose import AFTER_CONTACT
from handlers.line.limits import ALT_TEXT_LIMIT, BUBBLE_BYTES, json_bytes, utf16_len
from tests.line.conftest import Line, event, postback, sticker, text, user

AMAZON_SCAM = texts.SAMPLE_SCAM
ORDINARY = "明日の夕飯は何がいい?カレーにしようと思ってるよ。"


def _buttons(flex: dict[str, Any]) -> dict[str, str]:
    """Footer button label → postback data."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "button":
                found[node["action"]["label"]] = node["action"].get("data", "")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(flex["contents"]["footer"])
    return found


def _verdict_bubble(line: Line, who: str, body: str) -> dict[str, Any]:
    line.post(text(body, user(who)))
    (reply,) = line.fake.of("reply")
    (flex,) = [m for m in reply.messages if m["type"] == "flex"]
    return flex


def test_follow_gets_a_welcome_with_a_sample_to_try(line: Line) -> None:
    line.post(event("follow", user("Unew")))
    (reply,) = line.fake.of("reply")
    message = reply.messages[0]
    assert message["text"] == texts.WELCOME
    (item,) = message["quickReply"]["items"]
    assert item["action"] == {"type": "message", "label": texts.TRY_SAMPLE_LABEL, "text": texts.SAMPLE_SCAM}


def test_forwarded_amazon_scam_gets_a_danger_flex_with_reasons_and_report_links(line: Line) -> None:
    flex = _verdict_bubble(line, "U1", AMAZON_SCAM)
    call = line.fake.of("reply")[0]
    assert flex["contents"]["header"]["contents"][0]["text"] == "危険"
    assert "未納" in call.all_text and "法的手続き" in call.all_text  # reasons quote the message's words
    uris = {s for s in call.texts if s.startswith("https://")}
    assert any("amazon.co.jp" in u and "nodeId" in u for u in uris)  # Amazon's report page
    assert any("shouhiseikatu.metro.tokyo.lg.jp" in u for u in uris)  # 東京くらしWEB
    assert "0120-899-543" in call.all_text  # the brand's real contact
    assert set(_buttons(flex)) == {texts.BUTTON_REPORT_PAGES, texts.BUTTON_AFTER_CONTACT, texts.BUTTON_TELL_FAMILY,
                                   texts.BUTTON_HELPFUL, texts.BUTTON_WRONG}
    assert utf16_len(flex["altText"]) <= ALT_TEXT_LIMIT
    assert flex["altText"].startswith("⚠️ 危険")
    assert json_bytes(flex["contents"]) <= BUBBLE_BYTES


def test_ordinary_text_gets_no_signs_without_alarm_or_family_button(line: Line) -> None:
    flex = _verdict_bubble(line, "U1", ORDINARY)
    assert flex["contents"]["header"]["contents"][0]["text"] == "目立った特徴なし"
    assert texts.BUTTON_TELL_FAMILY not in _buttons(flex)


def test_several_texts_in_one_webhook_are_judged_together_in_one_reply(line: Line) -> None:
    parts = ["有料動画の未納料金があります。", "本日中にご連絡無き場合、法的手続きに移行致します。", "アマゾンジャパン窓口"]
    line.post(*(text(p, user("U1")) for p in parts), text(ORDINARY, user("U2")))
    replies = line.fake.of("reply")
    assert len(replies) == 2
    labels = sorted(r.messages[0]["contents"]["header"]["contents"][0]["text"] for r in replies)
    assert labels == ["危険", "目立った特徴なし"]


def test_sticker_gets_a_friendly_hint(line: Line) -> None:
    line.post(sticker(user("U1")))
    assert line.fake.of("reply")[0].messages[0]["text"] == texts.NON_TEXT_HINT


def test_location_gets_a_friendly_hint(line: Line) -> None:
    location = {"id": "555", "type": "location", "latitude": 35.0, "longitude": 139.0, "address": "東京都"}
    line.post(event("message", user("U1"), message=location))
    assert line.fake.of("reply")[0].messages[0]["text"] == texts.NON_TEXT_HINT


def test_after_contact_button_explains_what_to_do(line: Line) -> None:
    flex = _verdict_bubble(line, "U1", AMAZON_SCAM)
    line.fake.clear()
    line.post(postback(_buttons(flex)[texts.BUTTON_AFTER_CONTACT], user("U1")))
    reply = line.fake.of("reply")[0].all_text
    assert reply == AFTER_CONTACT
    assert "188" in reply and "#9110" in reply


def test_report_button_lists_the_report_pages(line: Line) -> None:
    flex = _verdict_bubble(line, "U1", AMAZON_SCAM)
    line.fake.clear()
    line.post(postback(_buttons(flex)[texts.BUTTON_REPORT_PAGES], user("U1")))
    reply = line.fake.of("reply")[0].all_text
    assert reply.startswith("【報告先】") and "https://www.dekyo.or.jp/soudan/" in reply


def test_feedback_buttons_are_stored_as_feedback(line: Line) -> None:
    flex = _verdict_bubble(line, "U1", AMAZON_SCAM)
    buttons = _buttons(flex)
    line.post(postback(buttons[texts.BUTTON_HELPFUL], user("U1")))
    line.post(postback(buttons[texts.BUTTON_WRONG], user("U1")))
    assert line.store.stats().feedback == {"helpful": 1, "wrong": 1}
    assert line.fake.of("reply")[-1].messages[0]["text"] == texts.FEEDBACK_THANKS


def test_feedback_without_a_user_choice_keeps_no_raw_text(line: Line) -> None:
    flex = _verdict_bubble(line, "U1", AMAZON_SCAM)
    line.post(postback(_buttons(flex)[texts.BUTTON_WRONG], user("U1")))
    path = line.runtime.services.settings.effective_database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("select text, text_hash from feedback").fetchall()
    assert rows and rows[0][0] is None and rows[0][1]


def test_forged_or_stale_postback_data_is_ignored(line: Line) -> None:
    line.post(postback("a=fb&ans=maybe&v=danger", user("U1")), postback("garbage%%", user("U1")))
    assert line.fake.calls == []
    assert line.store.stats().feedback == {}


def test_data_deletion_request_deletes_and_confirms(line: Line) -> None:
    flex = _verdict_bubble(line, "U1", AMAZON_SCAM)
    line.post(postback(_buttons(flex)[texts.BUTTON_HELPFUL], user("U1")))
    line.post(text("データ削除", user("U1")))
    assert line.fake.of("reply")[-1].messages[0]["text"] == texts.DATA_DELETED
    assert line.store.stats().feedback == {}


def test_unsending_any_of_several_texts_judged_together_forgets_their_feedback(line: Line) -> None:
    first, second = text("有料動画の未納料金があります。", user("U1")), text("アマゾンジャパン窓口", user("U1"))
    line.post(first, second)
    flex = line.fake.of("reply")[0].messages[0]
    line.post(postback(_buttons(flex)[texts.BUTTON_HELPFUL], user("U1")))
    line.post(event("unsend", user("U1"), unsend={"messageId": second["message"]["id"]}))
    assert line.store.stats().feedback == {}


def test_unsend_forgets_feedback_and_the_result_kept_for_buttons(line: Line) -> None:
    line.post(text(AMAZON_SCAM, user("U1")))
    flex = line.fake.of("reply")[0].messages[0]
    key = _buttons(flex)[texts.BUTTON_REPORT_PAGES].split("k=")[1]
    line.post(postback(_buttons(flex)[texts.BUTTON_WRONG], user("U1")))
    line.post(event("unsend", user("U1"), unsend={"messageId": key}))
    assert line.store.stats().feedback == {}
    line.fake.clear()
    line.post(postback(_buttons(flex)[texts.BUTTON_REPORT_PAGES], user("U1")))
    assert line.fake.of("reply")[0].messages[0]["text"] == texts.DETAILS_EXPIRED
