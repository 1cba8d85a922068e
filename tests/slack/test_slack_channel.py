"""Channel watch: silence on ordinary talk, one thread alert on a scam, never to bots, per-channel settings."""

from __future__ import annotations

from bot.texts import GROUP_LEVEL_CAUTION, GROUP_UNMUTED, SAMPLE_SCAM
from tests.slack.conftest import BOT_ID, BOT_USER_ID, Slack

CAUTION = "口座が不正使用されている可能性があります。手続きしてください"
TALK = ["おはようございます", "今日のランチどこ行く?", "リリースは来週の火曜日です。レビューお願いします。",
        "https://example.com/docs を見てください"]


def mention(slack: Slack, words: str, channel: str = "C1") -> None:
    slack.event({"type": "app_mention", "channel": channel, "user": "U1", "ts": "1800000000.000900",
                 "text": f"<@{BOT_USER_ID}> {words}"})


def test_ordinary_talk_in_a_channel_gets_no_answer(slack: Slack) -> None:
    for text in TALK:
        assert slack.channel_message(text).status_code == 200
    slack.fake.settle()
    assert slack.fake.of("chat.postMessage") == []


def test_a_scam_in_a_channel_gets_one_alert_in_its_thread(slack: Slack) -> None:
    slack.channel_message(SAMPLE_SCAM, ts="1800000000.000700")
    post = slack.fake.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "C1" and post["thread_ts"] == "1800000000.000700"
    assert "詐欺の可能性が高い" in post["text"]
    # The same message again under another event id (a second delivery) is not alerted twice.
    slack.channel_message(SAMPLE_SCAM, ts="1800000000.000700")
    slack.fake.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1


def test_a_scam_reply_inside_a_thread_is_alerted_in_that_thread(slack: Slack) -> None:
    slack.channel_message(SAMPLE_SCAM, ts="1800000000.000801", fields={"thread_ts": "1800000000.000800"})
    assert slack.fake.wait_for("chat.postMessage")[0].params["thread_ts"] == "1800000000.000800"


def test_messages_from_bots_and_from_itself_are_never_answered(slack: Slack) -> None:
    slack.channel_message(SAMPLE_SCAM, fields={"bot_id": "BOTHER", "subtype": "bot_message"})
    slack.channel_message(SAMPLE_SCAM, fields={"bot_id": "BOTHER"})
    slack.channel_message(SAMPLE_SCAM, user=BOT_USER_ID, fields={"bot_id": BOT_ID})
    slack.channel_message(SAMPLE_SCAM, fields={"subtype": "message_changed"})
    slack.fake.settle()
    assert slack.fake.of("chat.postMessage") == []


def test_caution_is_silent_by_default_and_alerted_once_the_channel_asks(slack: Slack) -> None:
    slack.channel_message(CAUTION)
    slack.fake.settle()
    assert slack.fake.of("chat.postMessage") == []
    mention(slack, "注意も")
    assert slack.fake.wait_for("chat.postMessage")[0].params["text"] == GROUP_LEVEL_CAUTION
    slack.channel_message(CAUTION)
    alert = slack.fake.wait_for("chat.postMessage", count=2)[1].params
    assert "詐欺によくある特徴" in alert["text"]


def test_a_muted_channel_stays_silent_until_resumed(slack: Slack) -> None:
    mention(slack, "静かに")
    slack.fake.wait_for("chat.postMessage")
    slack.channel_message(SAMPLE_SCAM)
    slack.fake.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1
    mention(slack, "詐欺チェック 再開")
    assert slack.fake.wait_for("chat.postMessage", count=2)[1].params["text"] == GROUP_UNMUTED
    slack.channel_message(SAMPLE_SCAM)
    slack.fake.wait_for("chat.postMessage", count=3)


def test_settings_are_per_channel(slack: Slack) -> None:
    mention(slack, "静かに", channel="C1")
    slack.fake.wait_for("chat.postMessage")
    slack.channel_message(SAMPLE_SCAM, channel="C2")
    assert slack.fake.wait_for("chat.postMessage", count=2)[1].params["channel"] == "C2"


def test_when_invited_the_bot_introduces_itself_once(slack: Slack) -> None:
    slack.event({"type": "member_joined_channel", "user": BOT_USER_ID, "channel": "C5", "channel_type": "C"})
    slack.event({"type": "member_joined_channel", "user": "U3", "channel": "C5", "channel_type": "C"})
    posts = slack.fake.wait_for("chat.postMessage")
    slack.fake.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1
    assert posts[0].params["channel"] == "C5" and "ふだんの会話には反応しません" in posts[0].params["text"]
