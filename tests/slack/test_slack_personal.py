"""Personal checks: DM, mention (with text or in a thread), message shortcut, slash command, verdict buttons."""

from __future__ import annotations

import json
from typing import Any

from bot.compose import AFTER_CONTACT
from bot.texts import EMPTY_HINT, FEEDBACK_THANKS, SAMPLE_SCAM
from tests.slack.conftest import BOT_ID, BOT_USER_ID, SLASH, Slack

ORDINARY = "明日の会議は10時からです。資料は共有フォルダにあります。"
SAGAWA = "【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。下記よりご確認ください。 <http://sagawa-xyz.com>"


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def assert_within_limits(params: dict[str, Any]) -> None:
    assert params["text"], "a plain text fallback is always sent"
    blocks = params["blocks"]
    assert len(blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")


def test_dm_with_a_scam_gets_the_verdict_as_blocks_with_fallback_and_buttons(slack: Slack) -> None:
    slack.dm(SAMPLE_SCAM, channel="D1")
    post = slack.fake.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "D1"
    assert_within_limits(post)
    assert "危険" in post["text"]
    shown = json.dumps(post["blocks"], ensure_ascii=False)
    assert "こう判断した理由" in shown and "本物の連絡先" in shown and "0120-899-543" in shown
    assert action_ids(post["blocks"]) == ["sagi_after_contact", "sagi_feedback_helpful", "sagi_feedback_wrong"]


def test_dm_verdict_quotes_scam_links_unclickable(slack: Slack) -> None:
    slack.dm(SAGAWA)
    post = slack.fake.wait_for("chat.postMessage")[0].params
    reasons = next(b["text"]["text"] for b in post["blocks"] if "こう判断した理由" in b.get("text", {}).get("text", ""))
    assert "sagawa-xyz[.]com" in reasons
    assert "sagawa-xyz.com" not in reasons and "sagawa-xyz.com" not in post["text"]
    assert post["unfurl_links"] is False


def test_dm_without_text_gets_a_hint(slack: Slack) -> None:
    slack.dm("   ")
    assert slack.fake.wait_for("chat.postMessage")[0].params["text"] == EMPTY_HINT


def test_dm_edits_and_bot_dms_are_not_answered(slack: Slack) -> None:
    slack.dm(SAMPLE_SCAM, fields={"subtype": "message_changed"})
    slack.dm(SAMPLE_SCAM, fields={"bot_id": BOT_ID})
    slack.dm(SAMPLE_SCAM, user=BOT_USER_ID)
    slack.fake.settle()
    assert slack.fake.of("chat.postMessage") == []


def test_feedback_buttons_are_stored_once_per_person_and_thanked(slack: Slack) -> None:
    slack.dm(SAMPLE_SCAM)
    post = slack.fake.wait_for("chat.postMessage")[0].params
    wrong = next(e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == "sagi_feedback_wrong")
    for _ in range(2):  # a double click
        assert slack.click("sagi_feedback_wrong", wrong["value"], user="U1", channel="D1").status_code == 200
    thanks = slack.fake.wait_for("response_url", count=2)
    assert thanks[0].params["text"] == FEEDBACK_THANKS
    assert thanks[0].params["response_type"] == "ephemeral"
    assert slack.store.stats().feedback == {"wrong": 1}


def test_after_contact_button_in_dm_posts_what_to_do_now(slack: Slack) -> None:
    slack.click("sagi_after_contact", "", user="U1", channel="D1")
    assert slack.fake.wait_for("chat.postMessage")[0].params["text"] == AFTER_CONTACT


def test_after_contact_button_in_a_channel_is_shown_only_to_the_clicker(slack: Slack) -> None:
    slack.click("sagi_after_contact", "", user="U1", channel="C1")
    answer = slack.fake.wait_for("response_url")[0].params
    assert answer["text"] == AFTER_CONTACT and answer["response_type"] == "ephemeral"


def test_mention_with_text_answers_that_text_in_a_thread(slack: Slack) -> None:
    slack.event({"type": "app_mention", "channel": "C1", "user": "U1", "ts": "1800000000.000300",
                 "text": f"<@{BOT_USER_ID}> {SAMPLE_SCAM}"})
    post = slack.fake.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "C1" and post["thread_ts"] == "1800000000.000300"
    assert "危険" in post["text"]
    assert slack.fake.of("conversations.replies") == []


def test_mention_in_a_thread_checks_the_first_message_and_answers_in_that_thread(slack: Slack) -> None:
    slack.fake.replies["1800000000.000400"] = [{"ts": "1800000000.000400", "user": "U9", "text": SAGAWA}]
    slack.event({"type": "app_mention", "channel": "C1", "user": "U1", "ts": "1800000000.000401",
                 "thread_ts": "1800000000.000400", "text": f"<@{BOT_USER_ID}> これ大丈夫?"})
    post = slack.fake.wait_for("chat.postMessage")[0].params
    fetched = slack.fake.of("conversations.replies")[0].params
    assert fetched["channel"] == "C1" and fetched["ts"] == "1800000000.000400"
    assert post["thread_ts"] == "1800000000.000400"
    assert "佐川急便" in post["text"]


def test_the_channel_copy_of_a_mention_is_left_to_the_mention_listener(slack: Slack) -> None:
    slack.channel_message(f"<@{BOT_USER_ID}> {SAMPLE_SCAM}")
    slack.fake.settle()
    assert slack.fake.of("chat.postMessage") == []


def test_message_shortcut_acks_at_once_and_answers_only_the_requester(slack: Slack) -> None:
    response = slack.interaction({
        "type": "message_action", "callback_id": "sagi_check", "trigger_id": "trig.2",
        "user": {"id": "U1"}, "channel": {"id": "C1"}, "message_ts": "1800000000.000500",
        "message": {"type": "message", "user": "U9", "ts": "1800000000.000500", "text": SAMPLE_SCAM},
        "response_url": f"{slack.fake.url}/response/shortcut",
    })
    assert response.status_code == 200
    answer = slack.fake.wait_for("chat.postEphemeral")[0].params
    assert answer["channel"] == "C1" and answer["user"] == "U1"
    assert_within_limits(answer)
    assert slack.fake.of("chat.postMessage") == []


def test_message_shortcut_where_the_bot_is_not_a_member_answers_through_response_url(slack: Slack) -> None:
    slack.fake.failing["chat.postEphemeral"] = "channel_not_found"
    slack.interaction({
        "type": "message_action", "callback_id": "sagi_check", "trigger_id": "trig.3",
        "user": {"id": "U1"}, "channel": {"id": "D77"}, "message_ts": "1800000000.000600",
        "message": {"type": "message", "user": "U9", "ts": "1800000000.000600", "text": SAMPLE_SCAM},
        "response_url": f"{slack.fake.url}/response/shortcut",
    })
    answer = slack.fake.wait_for("response_url")[0].params
    assert answer["response_type"] == "ephemeral" and "危険" in answer["text"]


def test_slash_command_with_the_configured_name_answers_ephemerally(slack: Slack) -> None:
    response = slack.command(SAMPLE_SCAM, command=SLASH)
    assert response.status_code == 200
    answer = slack.fake.wait_for("response_url")[0].params
    assert answer["response_type"] == "ephemeral"
    assert_within_limits(answer)
    assert slack.fake.of("chat.postMessage") == []


def test_slash_command_without_text_explains_what_to_send(slack: Slack) -> None:
    slack.command("")
    assert slack.fake.wait_for("response_url")[0].params["text"] == EMPTY_HINT


def test_ordinary_text_in_dm_gets_no_signs_without_the_after_contact_button(slack: Slack) -> None:
    slack.dm(ORDINARY)
    post = slack.fake.wait_for("chat.postMessage")[0].params
    assert "目立った特徴なし" in post["text"]
    assert "sagi_after_contact" not in action_ids(post["blocks"])
