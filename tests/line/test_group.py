"""Groups end to end: one intro, silence on ordinary talk, one quoted alert per scam, mentions, settings."""

from __future__ import annotations

from bot import texts
from bot.compose import group_alert
from tests.line.conftest import Line, event, group, postback, text

SCAM = texts.SAMPLE_SCAM
CAUTION = "【重要】お客様のアカウントが一時停止されました。"
TALK = ["今日は何時に帰る?", "了解!駅に着いたら電話するね", "週末はおばあちゃんの家に行こう", "写真ありがとう😊"]


def test_join_posts_one_short_introduction(line: Line) -> None:
    line.post(event("join", group("G1")))
    (reply,) = line.fake.of("reply")
    assert reply.messages[0]["text"] == texts.GROUP_INTRO


def test_ordinary_talk_gets_no_answer_and_nothing_is_stored(line: Line) -> None:
    line.post(*(text(t, group("G1")) for t in TALK))
    assert line.fake.calls == []
    assert line.store.stats().total_checks == 0


def test_a_scam_gets_one_quoted_alert_with_a_details_button(line: Line) -> None:
    scam = text(SCAM, group("G1"))
    line.post(scam)
    line.post(dict(scam, deliveryContext={"isRedelivery": True}))
    (reply,) = line.fake.of("reply")
    (message,) = reply.messages
    assert message["quoteToken"] == scam["message"]["quoteToken"]
    assert message["text"].startswith("⚠️ 詐欺の可能性が高いメッセージです")
    assert message["text"] == group_alert(line.runtime.check(SCAM))
    (item,) = message["quickReply"]["items"]
    assert item["action"]["label"] == texts.BUTTON_DETAILS

    line.post(postback(item["action"]["data"], group("G1")))
    details = line.fake.of("reply")[-1].messages[0]
    assert details["type"] == "flex" and details["altText"].startswith("⚠️ 危険")
    labels = details["altText"], [b["action"]["label"] for b in details["contents"]["footer"]["contents"]]
    assert texts.BUTTON_HELPFUL not in labels[1] and texts.BUTTON_TELL_FAMILY not in labels[1]


def test_caution_is_silent_unless_the_group_asks_for_it(line: Line) -> None:
    line.post(text(CAUTION, group("G1")))
    assert line.fake.calls == []
    line.post(text("詐欺チェック 注意も", group("G1")))
    assert line.fake.of("reply")[-1].messages[0]["text"] == texts.GROUP_LEVEL_CAUTION
    line.post(text(CAUTION, group("G1")))
    assert line.fake.of("reply")[-1].messages[0]["text"].startswith("⚠ 詐欺によくある特徴があります")
    line.post(text("詐欺チェック　危険のみ", group("G1")))  # full-width space as typed on phones
    line.fake.clear()
    line.post(text(CAUTION, group("G1")))
    assert line.fake.calls == []


def test_quiet_and_resume(line: Line) -> None:
    line.post(text("詐欺チェック 静かに", group("G1")))
    assert line.fake.of("reply")[-1].messages[0]["text"] == texts.GROUP_MUTED
    line.fake.clear()
    line.post(text(SCAM, group("G1")))
    assert line.fake.calls == []
    line.post(text("詐欺チェック 再開", group("G1")))
    line.post(text(SCAM, group("G1")))
    assert len(line.fake.of("reply")) == 2


def test_mention_checks_on_demand_and_always_answers(line: Line) -> None:
    line.post(text("明日の集合は10時です", group("G1"), mention_self=True))
    (reply,) = line.fake.of("reply")
    assert reply.messages[0]["contents"]["header"]["contents"][0]["text"] == "目立った特徴なし"


def test_mention_quoting_an_earlier_message_checks_that_message(line: Line) -> None:
    scam = text(SCAM, group("G1"))
    line.post(text("詐欺チェック 静かに", group("G1")), scam)
    line.fake.clear()
    line.post(text("", group("G1"), mention_self=True, quoted=scam["message"]["id"]))
    (reply,) = line.fake.of("reply")
    assert reply.messages[0]["contents"]["header"]["contents"][0]["text"] == "危険"


def test_mention_without_anything_to_check_explains_how(line: Line) -> None:
    line.post(text("", group("G1"), mention_self=True))
    assert line.fake.of("reply")[0].messages[0]["text"] == texts.MENTION_HINT


def test_leave_command_says_goodbye_and_leaves(line: Line) -> None:
    line.post(text("詐欺チェック 退出", group("G1")))
    assert line.fake.of("reply")[0].messages[0]["text"] == texts.GROUP_LEAVING
    assert [c.path for c in line.fake.of("leave")] == ["/v2/bot/group/G1/leave"]


def test_leave_command_in_a_multi_person_chat_leaves_the_room(line: Line) -> None:
    room = {"type": "room", "roomId": "R1", "userId": "Umember"}
    line.post(text("詐欺チェック 退出", room))
    assert [c.path for c in line.fake.of("leave")] == ["/v2/bot/room/R1/leave"]


def test_stickers_and_images_in_groups_are_ignored(line: Line) -> None:
    from tests.line.conftest import image, sticker
    line.post(sticker(group("G1")), image(group("G1")))
    assert line.fake.calls == []
