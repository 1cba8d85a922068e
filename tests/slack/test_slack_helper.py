"""Helper notices with consent: naming, accepting with a button, notices without the text, the cap, stopping."""

from __future__ import annotations

import json
from typing import Any

from bot.housekeeping import JOBS
from bot.texts import DATA_DELETED, HELPER_NONE, HELPER_UNLINKED, SAMPLE_SCAM
from handlers.slack import helper
from tests.slack.conftest import Slack

SAGAWA = "【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。下記よりご確認ください。 <http://sagawa-xyz.com>"


def button_value(params: dict[str, Any], action_id: str) -> str:
    return next(str(e.get("value", "")) for b in params["blocks"] if b["type"] == "actions"
                for e in b["elements"] if e["action_id"] == action_id)


def posts_to(slack: Slack, channel: str) -> list[dict[str, Any]]:
    return [c.params for c in slack.fake.of("chat.postMessage") if c.params["channel"] == channel]


def ask(slack: Slack, target: str, user: str = "U1") -> dict[str, Any]:
    """The user names a helper in a DM; returns the request the helper receives."""
    before = len(slack.fake.of("chat.postMessage"))
    slack.dm(f"見守り設定 {target}", user=user, channel="D1")
    slack.fake.wait_for("chat.postMessage", count=before + 2)
    helper_id = target.strip("<>@#").split("|")[0]
    return posts_to(slack, helper_id)[-1]


def link(slack: Slack, helper: str = "UHELP") -> None:
    request = ask(slack, f"<@{helper}>")
    slack.click("sagi_helper_accept", button_value(request, "sagi_helper_accept"), user=helper, channel="DHELP")
    slack.fake.wait_for("response_url")
    slack.fake.wait_for("chat.postMessage", count=3)  # the request, "sent" to the user, "accepted" to the user
    assert slack.store.helpers_of("slack", "U1")


def test_naming_a_helper_sends_a_request_and_nothing_is_linked_before_acceptance(slack: Slack) -> None:
    request = ask(slack, "<@UHELP|hanako>")
    assert "見守りのお願い" in request["text"] and "<@U1>" in request["text"]
    told = posts_to(slack, "D1")[-1]["text"]
    assert "お願いを送りました" in told
    assert slack.store.helpers_of("slack", "U1") == []
    slack.dm(SAMPLE_SCAM, user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=3)
    slack.fake.settle()
    assert len(posts_to(slack, "UHELP")) == 1  # still only the request, no notice


def test_when_the_helper_accepts_both_are_told_and_danger_verdicts_reach_the_helper_as_a_summary(slack: Slack) -> None:
    link(slack)
    accepted = slack.fake.of("response_url")[0].params
    assert accepted["replace_original"] is True and "引き受けました" in accepted["text"]
    assert "引き受けました" in posts_to(slack, "U1")[-1]["text"]
    slack.dm(SAGAWA, user="U1", channel="D1", ts="1800000001.000001")
    slack.fake.wait_for("chat.postMessage", count=4)
    notice = slack.fake.wait_for("chat.postMessage", count=5)[-1].params
    assert notice["channel"] == "UHELP"
    assert "見守りのお知らせ" in notice["text"] and "<@U1>" in notice["text"]
    assert "お荷物のお届けにあがりました" not in notice["text"]  # no full text unless the user shares it
    assert "sagawa-xyz.com" not in notice["text"]


def test_ordinary_checks_send_no_notice(slack: Slack) -> None:
    link(slack)
    before = len(slack.fake.of("chat.postMessage"))
    slack.dm("明日の会議は10時からです", user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=before + 1)
    slack.fake.settle()
    assert len(slack.fake.of("chat.postMessage")) == before + 1


def test_when_the_user_shares_the_text_the_notice_includes_it(slack: Slack) -> None:
    link(slack)
    slack.store.set_share_full_text("slack", "U1", True)
    slack.dm(SAMPLE_SCAM, user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=5)  # 3 from linking, the verdict, the notice
    assert "有料動画の未納料金" in posts_to(slack, "UHELP")[-1]["text"]


def test_notices_stop_at_the_daily_cap(slack: Slack) -> None:
    link(slack)  # the fixture's cap is 3 a day
    for n in range(5):
        slack.dm(SAMPLE_SCAM, user="U1", channel="D1", ts=f"1800000002.00000{n}")
    slack.fake.wait_for("chat.postMessage", count=3 + 5 + 3)
    slack.fake.settle()
    notices = [p for p in posts_to(slack, "UHELP") if "見守りのお知らせ" in p["text"]]
    assert len(notices) == 3


def resend_job(slack: Slack) -> int:
    """Run the web workers' Slack notice job once (bot.wsgi starts it every minute)."""
    (job,) = [j for j in slack.app.extensions[JOBS] if j.name == "slack-notices"]
    assert job.period == 60
    return int(helper.resend_pending(slack.app.extensions["sagi"], slack.app.extensions["slack_bolt"].client))


def notices_to(slack: Slack, helper_id: str) -> list[dict[str, Any]]:
    """Notices that are in the helper's conversation (what the helper sees)."""
    return [m for m in slack.fake.posted_to(helper_id) if (m.get("metadata") or {}).get("event_type") == "sagi_helper_notice"]


def danger_while_posts_to_the_helper(slack: Slack, kind: str) -> None:
    link(slack)
    slack.fake.trouble("UHELP", kind)
    slack.dm(SAMPLE_SCAM, user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=5)  # 3 from linking, the verdict, the notice's try
    slack.fake.settle()
    slack.fake.heal()


def test_a_notice_slack_did_not_take_is_posted_by_the_resend_job_once(slack: Slack) -> None:
    danger_while_posts_to_the_helper(slack, "fail")
    assert notices_to(slack, "UHELP") == []
    assert resend_job(slack) == 1
    (notice,) = notices_to(slack, "UHELP")
    assert "見守りのお知らせ" in notice["text"]
    assert resend_job(slack) == 0 and len(notices_to(slack, "UHELP")) == 1


def test_a_notice_that_arrived_although_its_answer_was_lost_is_not_posted_again(slack: Slack) -> None:
    danger_while_posts_to_the_helper(slack, "lose")
    assert len(notices_to(slack, "UHELP")) == 1  # it got there; the bot could not tell
    posts = len(slack.fake.of("chat.postMessage"))
    assert resend_job(slack) == 1  # found in the conversation: counted as delivered…
    assert len(slack.fake.of("chat.postMessage")) == posts and len(notices_to(slack, "UHELP")) == 1  # …not re-sent
    assert slack.fake.of("conversations.history")[-1].params["channel"] == "DHELP"


def test_when_the_conversation_cannot_be_read_the_notice_waits_instead_of_risking_a_second_copy(slack: Slack) -> None:
    danger_while_posts_to_the_helper(slack, "fail")
    slack.fake.failing["conversations.history"] = "internal_error"
    assert resend_job(slack) == 0 and notices_to(slack, "UHELP") == []
    del slack.fake.failing["conversations.history"]
    assert resend_job(slack) == 1 and len(notices_to(slack, "UHELP")) == 1


def test_declining_links_nothing_and_tells_the_user(slack: Slack) -> None:
    request = ask(slack, "<@UHELP>")
    slack.click("sagi_helper_decline", button_value(request, "sagi_helper_decline"), user="UHELP", channel="DHELP")
    slack.fake.wait_for("response_url")
    assert slack.store.helpers_of("slack", "U1") == []
    assert "お断り" in slack.fake.wait_for("chat.postMessage", count=3)[-1].params["text"]


def test_a_request_can_be_accepted_only_once(slack: Slack) -> None:
    request = ask(slack, "<@UHELP>")
    value = button_value(request, "sagi_helper_accept")
    slack.click("sagi_helper_accept", value, user="UHELP", channel="DHELP")
    slack.click("sagi_helper_accept", value, user="UHELP", channel="DHELP")
    answers = slack.fake.wait_for("response_url", count=2)
    assert sorted("有効期限" in a.params["text"] for a in answers) == [False, True]
    assert len(slack.store.helpers_of("slack", "U1")) == 1


def test_a_channel_can_be_the_helper_once_another_member_accepts(slack: Slack) -> None:
    request = ask(slack, "<#CSEC|security>")
    value = button_value(request, "sagi_helper_accept")
    slack.click("sagi_helper_accept", value, user="U1", channel="CSEC")  # the user cannot accept for the channel
    assert "ご本人" in slack.fake.wait_for("response_url")[0].params["text"]
    slack.click("sagi_helper_accept", value, user="U7", channel="CSEC")
    slack.fake.wait_for("response_url", count=2)
    assert [h.helper_id for h in slack.store.helpers_of("slack", "U1")] == ["CSEC"]
    slack.command(SAMPLE_SCAM, user="U1")
    slack.fake.wait_for("chat.postMessage", count=4)
    assert "見守りのお知らせ" in posts_to(slack, "CSEC")[-1]["text"]


def test_the_helper_can_stop_from_the_notice_and_the_user_is_told(slack: Slack) -> None:
    link(slack)
    slack.click("sagi_helper_stop", "", user="UHELP", channel="DHELP")
    assert slack.fake.wait_for("response_url", count=2)[-1].params["text"] == HELPER_UNLINKED
    slack.fake.wait_for("chat.postMessage", count=4)
    assert slack.store.helpers_of("slack", "U1") == []
    assert "やめました" in posts_to(slack, "U1")[-1]["text"]


def test_a_helper_watching_two_people_stops_only_the_one_the_notice_was_about(slack: Slack) -> None:
    for user in ("U1", "U2"):
        request = ask(slack, "<@UHELP>", user=user)
        slack.click("sagi_helper_accept", button_value(request, "sagi_helper_accept"), user="UHELP", channel="DHELP")
        slack.fake.wait_for("response_url", count=1 if user == "U1" else 2)
    slack.fake.wait_for("chat.postMessage", count=6)
    slack.command(SAMPLE_SCAM, user="U2")
    notice = next(p for p in reversed(slack.fake.wait_for("chat.postMessage", count=7))
                  if p.params.get("channel") == "UHELP" and "見守りのお知らせ" in p.params["text"]).params
    value = button_value(notice, "sagi_helper_stop")
    assert value == str(slack.store.helpers_of("slack", "U2")[0].id)
    slack.fake.wait_for("response_url", count=3)  # the command's own answer (it may come after the notice)
    slack.click("sagi_helper_stop", value, user="UHELP", channel="DHELP")
    assert slack.fake.wait_for("response_url", count=4)[-1].params["text"] == HELPER_UNLINKED
    assert slack.store.helpers_of("slack", "U2") == []
    assert [h.helper_id for h in slack.store.helpers_of("slack", "U1")] == ["UHELP"]  # the other watch goes on


def test_the_user_can_stop_by_typing_and_the_helper_is_told(slack: Slack) -> None:
    link(slack)
    slack.dm("見守り解除", user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=5)
    assert HELPER_UNLINKED in [p["text"] for p in posts_to(slack, "D1")]
    assert "やめました" in posts_to(slack, "UHELP")[-1]["text"]
    slack.dm("見守り解除", user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=6)
    assert posts_to(slack, "D1")[-1]["text"] == HELPER_NONE


def test_naming_oneself_or_a_bot_is_refused(slack: Slack) -> None:
    slack.fake.users["UROBOT"] = {"id": "UROBOT", "is_bot": True}
    slack.dm("見守り設定 <@U1>", user="U1", channel="D1")
    slack.dm("見守り設定 <@UROBOT>", user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=2)
    slack.fake.settle()
    assert {p["channel"] for p in posts_to(slack, "D1")} == {"D1"} and len(slack.fake.of("chat.postMessage")) == 2


def test_data_deletion_ends_links_and_confirms(slack: Slack) -> None:
    link(slack)
    slack.dm("データ削除", user="U1", channel="D1")
    slack.fake.wait_for("chat.postMessage", count=5)
    assert posts_to(slack, "D1")[-1]["text"] == DATA_DELETED
    assert slack.store.helpers_of("slack", "U1") == []


def test_home_tab_shows_usage_and_the_users_helpers(slack: Slack) -> None:
    link(slack)
    slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    view = slack.fake.wait_for("views.publish")[0].params
    assert view["user_id"] == "U1"
    shown = json.dumps(view["view"], ensure_ascii=False)
    assert view["view"]["type"] == "home" and "/sagi-test" in shown and "<@UHELP>" in shown
    assert len(view["view"]["blocks"]) <= 100


def test_picking_a_helper_in_the_home_tab_sends_the_request(slack: Slack) -> None:
    slack.interaction({"type": "block_actions", "user": {"id": "U1"}, "container": {"type": "view", "view_id": "V1"},
                       "view": {"id": "V1", "type": "home"}, "trigger_id": "trig.9",
                       "actions": [{"type": "users_select", "action_id": "sagi_home_pick_user", "block_id": "b",
                                    "selected_user": "UHELP", "action_ts": "1"}]})
    slack.fake.wait_for("views.publish")
    assert "見守りのお願い" in posts_to(slack, "UHELP")[0]["text"]
    assert "お願いを送りました" in posts_to(slack, "U1")[0]["text"]


def test_when_the_bot_is_removed_from_a_helper_channel_the_link_ends_and_the_user_is_told(slack: Slack) -> None:
    request = ask(slack, "<#CSEC|security>")
    slack.click("sagi_helper_accept", button_value(request, "sagi_helper_accept"), user="U7", channel="CSEC")
    slack.fake.wait_for("chat.postMessage", count=3)
    assert slack.store.helpers_of("slack", "U1")
    slack.event({"type": "channel_left", "channel": "CSEC", "actor_id": "U7"})
    slack.fake.wait_for("chat.postMessage", count=4)
    assert slack.store.helpers_of("slack", "U1") == []
    assert "やめました" in posts_to(slack, "U1")[-1]["text"]
