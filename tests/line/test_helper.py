"""Family helper end to end: code, wrong and expired codes, consent, notices, caps, unlinking, unfollow."""

from __future__ import annotations

import re
from typing import Any

from bot import notices, texts
from bot.housekeeping import JOBS
from handlers.line import helper
from tests.line.conftest import Line, event, postback, text, user

SCAM = texts.SAMPLE_SCAM
SCAM_2 = "お荷物のお届けにあがりましたが不在の為持ち帰りました。下記よりご確認ください。http://example-delivery.top/abc"
WATCHED, HELPER = "Uwatched", "Uhelper"


def _last_reply_text(line: Line) -> str:
    return line.fake.of("reply")[-1].all_text


def _code(line: Line) -> str:
    line.post(text("見守り設定", user(WATCHED)))
    found = re.search(r"見守り (\d{6})", _last_reply_text(line))
    assert found, _last_reply_text(line)
    return found.group(1)


def _confirm_template(line: Line) -> dict[str, Any]:
    (push,) = line.fake.sent_to(WATCHED)
    return dict(push.messages[0]["template"])


def _link(line: Line) -> None:
    """Run the happy path up to a confirmed link."""
    line.fake.names.update({WATCHED: "山田花子", HELPER: "山田太郎"})
    line.post(text(f"見守り {_code(line)}", user(HELPER)))
    yes = _confirm_template(line)["actions"][0]
    line.post(postback(yes["data"], user(WATCHED)))
    line.fake.clear()


def test_setup_gives_a_six_digit_code_with_instructions(line: Line) -> None:
    code = _code(line)
    assert _last_reply_text(line) == texts.HELPER_SETUP.format(code=code)


def test_wrong_code_is_refused(line: Line) -> None:
    code = _code(line)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    line.post(text(f"見守り {wrong}", user(HELPER)))
    assert _last_reply_text(line) == texts.HELPER_CODE_WRONG
    assert line.fake.of("push") == []


def test_expired_code_is_refused(line: Line) -> None:
    code = _code(line)
    line.clock.advance(minutes=11)
    line.post(text(f"見守り {code}", user(HELPER)))
    assert _last_reply_text(line) == texts.HELPER_CODE_WRONG
    assert line.fake.of("push") == []


def test_own_code_is_refused(line: Line) -> None:
    code = _code(line)
    line.post(text(f"見守り {code}", user(WATCHED)))
    assert _last_reply_text(line) == texts.HELPER_CODE_SELF


def test_full_width_code_typed_on_a_phone_works(line: Line) -> None:
    code = _code(line)
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    line.post(text(f"見守り　{wide}", user(HELPER)))
    assert _last_reply_text(line) == texts.HELPER_REQUEST_SENT


def test_user_confirms_and_both_are_told(line: Line) -> None:
    line.fake.names[HELPER] = "山田太郎"
    line.post(text(f"見守り {_code(line)}", user(HELPER)))
    assert _last_reply_text(line) == texts.HELPER_REQUEST_SENT
    template = _confirm_template(line)
    assert template["text"] == texts.HELPER_ASK_CONFIRM.format(helper="山田太郎")
    assert [a["label"] for a in template["actions"]] == [texts.HELPER_CONFIRM_YES, texts.HELPER_CONFIRM_NO]
    line.post(postback(template["actions"][0]["data"], user(WATCHED)))
    assert _last_reply_text(line) == texts.HELPER_LINKED_USER
    (told,) = line.fake.sent_to(HELPER)
    assert told.all_text == texts.HELPER_LINKED_HELPER
    assert [link.helper_id for link in line.store.helpers_of("line", WATCHED)] == [HELPER]


def test_user_declines_and_the_helper_is_told(line: Line) -> None:
    line.post(text(f"見守り {_code(line)}", user(HELPER)))
    no = _confirm_template(line)["actions"][1]
    line.post(postback(no["data"], user(WATCHED)))
    assert _last_reply_text(line) == texts.HELPER_DECLINED
    assert line.fake.sent_to(HELPER)[0].all_text == texts.HELPER_DECLINED_HELPER
    assert line.store.helpers_of("line", WATCHED) == []


def test_someone_else_cannot_answer_the_consent_question(line: Line) -> None:
    line.post(text(f"見守り {_code(line)}", user(HELPER)))
    yes = _confirm_template(line)["actions"][0]
    line.post(postback(yes["data"], user(HELPER)))  # the helper replays the user's button
    assert _last_reply_text(line) == texts.HELPER_LINK_GONE
    assert line.store.helpers_of("line", WATCHED) == []


def test_danger_pushes_one_notice_to_the_helper_without_the_text(line: Line) -> None:
    _link(line)
    scam = text(SCAM, user(WATCHED))
    line.post(scam)
    line.post(dict(scam, deliveryContext={"isRedelivery": True}))
    (notice,) = line.fake.sent_to(HELPER)
    body = notice.all_text
    assert "山田花子さん" in body and "判定: 危険" in body and "Amazon" in body and "未納" in body
    assert SCAM not in body  # not shared unless the user chooses to
    buttons = notice.messages[0]["contents"]["footer"]["contents"]
    assert buttons[0]["action"]["type"] == "uri"


def test_no_notice_for_harmless_messages(line: Line) -> None:
    _link(line)
    line.post(text("明日は晴れるといいね", user(WATCHED)))
    assert line.fake.sent_to(HELPER) == []


def test_tell_family_button_notifies_once_per_message(line: Line) -> None:
    _link(line)
    line.post(text(SCAM, user(WATCHED)))
    flex = line.fake.of("reply")[-1].messages[0]
    tell = next(b for b in flex["contents"]["footer"]["contents"] if b.get("action", {}).get("label") == "家族に知らせる")
    line.post(postback(tell["action"]["data"], user(WATCHED)))
    assert _last_reply_text(line) == texts.TELL_FAMILY_SENT
    assert len(line.fake.sent_to(HELPER)) == 1  # the automatic notice already covered this message


def _tell_button(line: Line) -> str:
    flex = next(m for c in line.fake.of("reply") for m in c.messages if m.get("type") == "flex")
    tell = next(b for b in flex["contents"]["footer"]["contents"] if b.get("action", {}).get("label") == "家族に知らせる")
    return str(tell["action"]["data"])


def _helper_pushes(line: Line) -> list[Any]:
    return [c for c in line.fake.of("push") if c.body.get("to") == HELPER]


def test_a_notice_whose_pushes_all_failed_is_sent_again_by_the_button_once(line: Line) -> None:
    _link(line)
    for _ in range(line.runtime.client.push_attempts):  # LINE is down for every attempt of the notice
        line.fake.then("push", status=500)
    line.post(text(SCAM, user(WATCHED)))
    assert line.fake.sent_to(HELPER) == []
    line.post(postback(_tell_button(line), user(WATCHED)))
    assert _last_reply_text(line) == texts.TELL_FAMILY_SENT
    assert len(line.fake.sent_to(HELPER)) == 1
    assert len({c.headers["X-Line-Retry-Key"] for c in _helper_pushes(line)}) == 1  # then and now: one key
    line.post(postback(_tell_button(line), user(WATCHED)))  # delivered: pressing again sends nothing
    assert len(_helper_pushes(line)) == line.runtime.client.push_attempts + 1


def test_a_notice_that_arrived_although_every_answer_was_lost_is_not_sent_twice(line: Line) -> None:
    _link(line)
    for n in range(line.runtime.client.push_attempts):  # the last attempt got through; its answer did not
        line.fake.then("push", status=500, accept=n == line.runtime.client.push_attempts - 1)
    line.post(text(SCAM, user(WATCHED)))
    line.post(postback(_tell_button(line), user(WATCHED)))
    assert [c.status for c in _helper_pushes(line)][-1] == 409  # LINE knew the key: nothing new was delivered
    assert line.fake.sent_to(HELPER) == []


def _line_down_for_one_notice(line: Line, landed_unseen: bool = False) -> None:
    """Every push attempt of the next notice fails; with landed_unseen, the last one arrived but its answer was lost."""
    attempts = line.runtime.client.push_attempts
    for n in range(attempts):
        line.fake.then("push", status=500, accept=landed_unseen and n == attempts - 1)


def test_a_notice_whose_pushes_all_failed_is_sent_by_the_resend_loop_once(line: Line) -> None:
    _link(line)
    _line_down_for_one_notice(line)
    line.post(text(SCAM, user(WATCHED)))
    assert line.fake.sent_to(HELPER) == []
    assert helper.resend_pending(line.runtime) == 1  # LINE is back: the next run delivers it
    (notice,) = line.fake.sent_to(HELPER)
    assert "山田花子" in notice.all_text
    assert len({c.headers["X-Line-Retry-Key"] for c in _helper_pushes(line)}) == 1  # every try: one key
    assert helper.resend_pending(line.runtime) == 0  # delivered: nothing left, nothing kept
    assert line.runtime.store.pending_helper_notices("line") == []
    line.post(postback(_tell_button(line), user(WATCHED)))  # nor does the button send it again
    assert len(line.fake.sent_to(HELPER)) == 1


def test_the_web_workers_run_the_resend_job_every_minute(line: Line) -> None:
    (job,) = [j for j in line.app.extensions[JOBS] if j.name == "line-notices"]  # bot.wsgi starts each job
    assert job.period == 60
    _link(line)
    _line_down_for_one_notice(line)
    line.post(text(SCAM, user(WATCHED)))
    job.work()
    assert len(line.fake.sent_to(HELPER)) == 1


def test_the_resend_loop_does_not_send_twice_a_notice_that_arrived_unseen(line: Line) -> None:
    _link(line)
    _line_down_for_one_notice(line, landed_unseen=True)
    line.post(text(SCAM, user(WATCHED)))
    helper.resend_pending(line.runtime)
    assert [c.status for c in _helper_pushes(line)][-1] == 409  # LINE knew the key: nothing new was delivered
    assert line.fake.sent_to(HELPER) == [] and line.runtime.store.pending_helper_notices("line") == []


def test_while_line_is_down_a_resend_run_gives_way_and_keeps_the_notices(line: Line) -> None:
    _link(line)
    for n in range(3):  # the test app's daily cap
        _line_down_for_one_notice(line)
        line.post(text(f"{SCAM} ({n})", user(WATCHED)))
    pushes = len(_helper_pushes(line))
    for _ in range(notices.GIVE_WAY):
        line.fake.then("push", status=500)
    assert helper.resend_pending(line.runtime) == 0
    assert len(_helper_pushes(line)) == pushes + notices.GIVE_WAY  # one try each, then it stopped
    assert len(line.runtime.store.pending_helper_notices("line")) == 3
    assert helper.resend_pending(line.runtime) == 3 and len(line.fake.sent_to(HELPER)) == 3


def test_an_undelivered_notice_is_given_up_after_a_day_and_its_messages_blanked(line: Line) -> None:
    _link(line)
    _line_down_for_one_notice(line)
    line.post(text(SCAM, user(WATCHED)))
    line.clock.advance(days=1, seconds=1)
    assert helper.resend_pending(line.runtime) == 0 and line.fake.sent_to(HELPER) == []
    assert line.runtime.store.purge_expired()["helper_notice_messages"] == 1


def test_while_line_still_fails_the_button_says_so(line: Line) -> None:
    _link(line)
    for _ in range(2 * line.runtime.client.push_attempts):
        line.fake.then("push", status=500)
    line.post(text(SCAM, user(WATCHED)))
    line.post(postback(_tell_button(line), user(WATCHED)))
    assert _last_reply_text(line) == texts.TELL_FAMILY_FAILED


def test_tell_family_without_a_helper_explains_how(line: Line) -> None:
    line.post(text(SCAM, user(WATCHED)))
    flex = line.fake.of("reply")[-1].messages[0]
    tell = next(b for b in flex["contents"]["footer"]["contents"] if b.get("action", {}).get("label") == "家族に知らせる")
    line.post(postback(tell["action"]["data"], user(WATCHED)))
    assert _last_reply_text(line) == texts.TELL_FAMILY_NONE


def test_sharing_the_full_text_is_the_users_choice(line: Line) -> None:
    _link(line)
    line.post(postback("a=share&on=1", user(WATCHED)))
    assert _last_reply_text(line) == texts.HELPER_SHARE_ON
    line.post(text(SCAM, user(WATCHED)))
    assert SCAM in line.fake.sent_to(HELPER)[0].all_text


def test_daily_cap_limits_notices(line: Line) -> None:
    _link(line)
    for n in range(5):  # the test app's HELPER_DAILY_CAP is 3
        line.post(text(f"{SCAM} ({n})", user(WATCHED)))
    assert len(line.fake.sent_to(HELPER)) == 3
    line.clock.advance(days=1)
    line.post(text(SCAM_2, user(WATCHED)))
    assert len(line.fake.sent_to(HELPER)) == 4


def test_helper_unlinks_and_the_user_is_told(line: Line) -> None:
    _link(line)
    line.post(text("見守り解除", user(HELPER)))
    assert _last_reply_text(line) == texts.HELPER_UNLINKED
    assert line.fake.sent_to(WATCHED)[0].all_text == texts.HELPER_UNLINKED_OTHER.format(name="山田太郎")
    line.post(text(SCAM, user(WATCHED)))
    assert line.fake.sent_to(HELPER) == []


def test_user_unlinks_and_a_second_request_says_there_is_none(line: Line) -> None:
    _link(line)
    line.post(text("見守り解除", user(WATCHED)))
    assert line.fake.sent_to(HELPER)[0].all_text == texts.HELPER_UNLINKED_OTHER.format(name="山田花子")
    line.post(text("見守り解除", user(WATCHED)))
    assert _last_reply_text(line) == texts.HELPER_NONE


def test_unfollow_unlinks_and_tells_the_helper(line: Line) -> None:
    _link(line)
    line.post(event("unfollow", user(WATCHED)))
    assert len(line.fake.sent_to(HELPER)) == 1
    assert line.store.helpers_of("line", WATCHED) == []
    line.post(text(SCAM, user(WATCHED)))
    assert len(line.fake.sent_to(HELPER)) == 1


def test_a_button_replayed_by_someone_else_cannot_reach_another_users_message(line: Line) -> None:
    _link(line)
    line.post(postback("a=share&on=1", user(WATCHED)))
    line.post(text(SCAM, user("Ustranger")))
    flex = line.fake.of("reply")[-1].messages[0]
    tell = next(b for b in flex["contents"]["footer"]["contents"] if b.get("action", {}).get("label") == "家族に知らせる")
    line.post(postback(tell["action"]["data"], user(WATCHED)))  # WATCHED replays the stranger's button data
    assert _last_reply_text(line) == texts.TELL_FAMILY_EXPIRED
    assert line.fake.sent_to(HELPER) == []
