"""The webhook edge: signature on raw bytes, empty and unknown events, standby, redelivery, answering fast."""

from __future__ import annotations

import json
import time

import pytest

from bot.texts import SAMPLE_SCAM
from tests.line.conftest import Line, event, sign, text, user


def test_when_signature_is_wrong_then_400_and_nothing_is_processed(line: Line) -> None:
    response = line.post(text(SAMPLE_SCAM, user("Ubad")), signature=sign(b"something else"))
    assert response.status_code == 400
    assert line.fake.calls == []


def test_when_signature_is_missing_then_400(line: Line) -> None:
    body = json.dumps({"events": [text(SAMPLE_SCAM, user("Ubad"))]}, ensure_ascii=False).encode()
    response = line.http.post("/line/webhook", data=body, content_type="application/json")
    assert response.status_code == 400
    line.runtime.drain()
    assert line.fake.calls == []


def test_when_body_is_reserialised_after_signing_then_signature_fails(line: Line) -> None:
    payload = {"destination": "Ubot", "events": [text("未納料金があります", user("Ubad"))]}
    signed = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    sent = json.dumps(payload, ensure_ascii=True).encode("ascii")  # same JSON, different bytes
    response = line.http.post("/line/webhook", data=sent, headers={"X-Line-Signature": sign(signed)})
    assert response.status_code == 400


def test_when_events_are_empty_then_200_like_the_console_verify_button(line: Line) -> None:
    assert line.post().status_code == 200
    assert line.fake.calls == []


def test_when_event_type_is_unknown_then_it_is_ignored_and_the_rest_is_handled(line: Line) -> None:
    weird = event("somethingNew", user("U1"))
    response = line.post(weird, text(SAMPLE_SCAM, user("U1")))
    assert response.status_code == 200
    assert len(line.fake.of("reply")) == 1


def test_when_mode_is_standby_then_nothing_is_sent(line: Line) -> None:
    standby = text(SAMPLE_SCAM, user("U1"))
    standby["mode"] = "standby"
    assert line.post(standby).status_code == 200
    assert line.fake.calls == []


def test_when_an_event_is_redelivered_then_it_is_handled_once(line: Line) -> None:
    original = text(SAMPLE_SCAM, user("U1"))
    again = dict(original, deliveryContext={"isRedelivery": True})
    line.post(original)
    line.post(again)
    line.post(original, again)
    assert len(line.fake.of("reply")) == 1


def test_the_same_event_delivered_many_times_at_once_is_answered_once(line: Line) -> None:
    # Forwarded texts are claimed in the same write that keeps their answer: racing copies must still give one.
    original = text(SAMPLE_SCAM, user("U1"))
    line.fake.then("reply", delay=0.2)  # the first answer is still on its way while the copies are judged
    for _ in range(8):
        assert line.post(original, wait=False).status_code == 200
    assert line.runtime.drain(15)
    assert len(line.fake.of("reply")) + len(line.fake.of("push")) == 1


def test_when_line_api_is_slow_the_webhook_still_answers_at_once(line: Line) -> None:
    line.fake.then("reply", delay=2.0)
    started = time.monotonic()
    response = line.post(text(SAMPLE_SCAM, user("U1")), wait=False)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 1.5, f"webhook took {elapsed:.2f}s"  # waiting for the API would take 2 s or more
    line.runtime.drain()


def test_when_answering_one_event_fails_the_others_of_the_batch_are_still_answered(line: Line) -> None:
    line.fake.then("reply", status=500)  # one answer fails, and so does its push fallback
    line.fake.then("push", status=400)
    response = line.post(event("follow", user("U1")), event("follow", user("U2")))
    assert response.status_code == 200
    assert len(line.fake.sent()) == 1


def test_when_handling_one_event_crashes_the_others_are_unaffected(line: Line, caplog: pytest.LogCaptureFixture) -> None:
    line.fake.then("reply", body=b"\xff\xfe<html>")  # a 200 whose body the SDK cannot decode: it raises
    response = line.post(event("follow", user("U1")), event("follow", user("U2")))
    assert response.status_code == 200
    assert "line event failed" in caplog.text
    assert len(line.fake.of("reply")) == 2


def test_profile_answer_garbled_still_lets_the_helper_flow_work(line: Line) -> None:
    line.fake.then("profile", body=b"<html>oops</html>")
    line.post(text("見守り設定", user("Uwatched")))
    code = line.fake.of("reply")[-1].all_text.split("見守り ")[1][:6]
    line.post(text(f"見守り {code}", user("Uhelper")))
    (ask,) = line.fake.sent_to("Uwatched")
    assert "ご家族さん" in ask.all_text


@pytest.mark.parametrize("encode", [
    lambda body: json.dumps(body).encode("ascii"),  # the surrogate as a JSON escape
    lambda body: json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass"),  # as raw bytes
    lambda body: b"\xef\xbb\xbf" + json.dumps(body).encode("ascii"),  # behind a byte order mark
], ids=["escape", "raw bytes", "bom"])
def test_lone_surrogates_anywhere_in_a_delivery_are_replaced_before_any_handler_sees_them(
        line: Line, encode: object, caplog: pytest.LogCaptureFixture) -> None:
    events = [text(f"{SAMPLE_SCAM}\ud800", user("U1")), event("unsend", user("U1"), unsend={"messageId": "7\udc00"})]
    body = encode({"destination": "Ubot", "events": events})  # type: ignore[operator]
    response = line.http.post("/line/webhook", data=body, headers={"X-Line-Signature": sign(body)})
    assert response.status_code == 200 and line.runtime.drain(15)
    assert "line event failed" not in caplog.text  # the unsend's id is hashed: a surrogate would crash it
    (reply,) = line.fake.of("reply")
    assert reply.status == 200 and "危険" in reply.all_text


def test_when_body_is_not_json_then_400(line: Line) -> None:
    body = b"not json"
    response = line.http.post("/line/webhook", data=body, headers={"X-Line-Signature": sign(body)})
    assert response.status_code == 400


def test_when_the_backlog_is_full_the_webhook_answers_503_and_queues_nothing(line: Line) -> None:
    line.runtime.max_pending = 1
    line.fake.then("reply", delay=1.0)
    first = line.post(text(SAMPLE_SCAM, user("U1")), wait=False)
    refused = line.post(text(SAMPLE_SCAM, user("U2")), text("帰りに牛乳買ってきて", user("U3")), wait=False)
    assert first.status_code == 200
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "1"
    assert line.runtime.drain(10)
    assert len(line.fake.of("reply")) == 1  # only the accepted delivery was answered
    again = line.post(text(SAMPLE_SCAM, user("U2")))  # the redelivery is accepted once there is room
    assert again.status_code == 200 and len(line.fake.of("reply")) == 2
