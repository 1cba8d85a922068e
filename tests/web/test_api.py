"""POST /api/check: the documented JSON API (same object as `python -m bot check --json`, plus the reply)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.commands.check import check_line
from bot.compose import compose
from bot.detect import MAX_CHARS, Detector
from tests.web.conftest import OTP, SCAM


def test_when_scam_is_posted_then_danger_with_reply_text_and_group_alert(client: FlaskClient) -> None:
    response = client.post("/api/check", json={"text": SCAM, "sender": "+8107012345678"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["verdict"] == "danger"
    assert body["group_alert"] is True
    assert body["reply"].startswith("⚠️ 危険")
    assert body["card"]["label"] == "危険"
    assert body["reasons"] and body["card"]["reasons"]
    assert "ヤマト運輸" in body["group_alert_text"]
    assert body["line_flex"]["type"] == "flex"  # the very message the LINE channel sends
    assert body["line_flex"]["altText"].startswith("⚠️ 危険")


def test_result_is_the_cli_json_object_plus_the_rendered_reply(client: FlaskClient, detector: Detector) -> None:
    body = client.post("/api/check", json={"text": SCAM, "sender": "SMBC"}).get_json()
    cli = check_line(detector, json.dumps({"text": SCAM, "sender": "SMBC"}))
    assert {k: body[k] for k in cli} == cli
    assert body["reply"] == compose(detector.check(SCAM, "SMBC")).text


def test_when_genuine_otp_is_posted_then_no_signs_and_no_group_alert(client: FlaskClient) -> None:
    body = client.post("/api/check", json={"text": OTP, "sender": "Amazon"}).get_json()
    assert body["verdict"] == "no_signs"
    assert body["group_alert"] is False
    assert body["group_alert_text"] is None
    assert body["highlights"] == []


def test_sender_may_be_omitted_or_null(client: FlaskClient) -> None:
    assert client.post("/api/check", json={"text": OTP}).status_code == 200
    assert client.post("/api/check", json={"text": OTP, "sender": None}).status_code == 200


def test_segments_put_the_original_text_back_together_and_mark_the_evidence(client: FlaskClient) -> None:
    body = client.post("/api/check", json={"text": SCAM}).get_json()
    assert "".join(piece["text"] for piece in body["segments"]) == SCAM
    marked = [piece["text"] for piece in body["segments"] if piece["reasons"]]
    assert "yamato-hxq.top" in marked
    for span in body["highlights"]:
        assert 0 <= span["start"] < span["end"] <= len(SCAM)


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "body must be JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"sender": "x"}', '"text" is required'),
    (b'{"text": 42}', '"text" is required and must be a string'),
    (b'{"text": "   "}', '"text" is empty'),
    (b'{"text": "x", "sender": 5}', '"sender" must be a string'),
    (json.dumps({"text": "x", "sender": "0" * 201}).encode(), '"sender" is too long'),
    (b"\xff\xfe\xfa", "body must be JSON"),
])
def test_when_body_is_malformed_then_400_with_a_clear_json_error(client: FlaskClient, body: bytes, message: str) -> None:
    response = client.post("/api/check", data=body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_when_text_is_longer_than_the_limit_then_413_naming_the_limit(client: FlaskClient) -> None:
    response = client.post("/api/check", json={"text": "あ" * (MAX_CHARS + 1)})
    assert response.status_code == 413
    assert str(MAX_CHARS) in response.get_json()["error"]
    assert client.post("/api/check", json={"text": "あ" * MAX_CHARS}).status_code == 200


def test_when_body_exceeds_max_body_bytes_then_json_413(make_app: Callable[..., Flask]) -> None:
    client = make_app(max_body_bytes=2048).test_client()
    response = client.post("/api/check", data=b'{"text": "' + b"a" * 4096 + b'"}', content_type="application/json")
    assert response.status_code == 413
    assert response.is_json
    assert "2048" in response.get_json()["error"]


def test_each_check_is_counted_for_the_dashboard_without_its_text(app: Flask, client: FlaskClient) -> None:
    client.post("/api/check", json={"text": SCAM})
    client.post("/api/check", json={"text": OTP})
    stats = app.extensions["sagi"].store.stats(1)
    counts: dict[str, int] = {}
    for by_verdict in stats.checks_by_day.values():
        for verdict, n in by_verdict.items():
            counts[verdict] = counts.get(verdict, 0) + n
    assert counts == {"danger": 1, "no_signs": 1}
    assert stats.top_brands == [("yamato", 1)]  # the genuine Amazon code names Amazon but impersonates nobody


class BrokenStore:
    """A store whose database is gone."""

    def record_check(self, *args: object) -> None:
        raise OSError("database unreachable")

    def ping(self) -> bool:
        raise OSError("database unreachable")


def test_when_the_database_fails_then_the_user_still_gets_the_answer(make_app: Callable[..., Flask]) -> None:
    client = make_app(store=BrokenStore()).test_client()
    response = client.post("/api/check", json={"text": SCAM})
    assert response.status_code == 200
    assert response.get_json()["verdict"] == "danger"


def test_when_playground_is_off_then_page_and_api_are_404(make_app: Callable[..., Flask]) -> None:
    client = make_app(playground=False).test_client()
    assert client.get("/").status_code == 404
    response = client.post("/api/check", json={"text": SCAM})
    assert response.status_code == 404
    assert response.get_json()["error"] == "not found"
    assert client.get("/healthz").status_code == 200
