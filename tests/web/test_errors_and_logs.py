"""JSON errors on API routes, HTML for people; logs in JSON or text that never carry message text."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.logs import setup_logging
from tests.web.conftest import SCAM


def test_unknown_api_route_is_json_404_and_wrong_method_json_405(client: FlaskClient) -> None:
    missing = client.get("/api/nothing-here")
    assert (missing.status_code, missing.get_json()["error"]) == (404, "not found")
    wrong = client.get("/api/check")
    assert (wrong.status_code, wrong.get_json()["error"]) == (405, "method not allowed")


def test_unknown_page_outside_the_api_is_an_ordinary_html_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_crash_on_an_api_route_is_a_json_500_that_does_not_leak_the_exception(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app()
    app.config["TESTING"] = False  # let the error handler run instead of re-raising

    @app.post("/api/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().post("/api/boom", json={"text": SCAM})
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal error", "status": 500}
    assert SCAM not in caplog.text


def test_json_log_lines_are_one_object_each_with_level_and_logger(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("json", "INFO")
    logging.getLogger("bot.example").info("verdict=%s", "danger", extra={"event_id": "E1"})
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["level"] == "INFO" and record["logger"] == "bot.example"
    assert record["message"] == "verdict=danger" and record["event_id"] == "E1"


def test_text_logs_are_readable_lines(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("text", "INFO")
    setup_logging("text", "INFO")  # twice, as several app factories in one process do: still one line
    logging.getLogger("bot.example").warning("store slow")
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "WARNING" in lines[0] and "bot.example: store slow" in lines[0]


def test_checking_a_message_never_logs_its_text(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client.post("/api/check", json={"text": SCAM, "sender": "+8107012345678"})
    assert caplog.records  # the check did log (verdict and rule ids)
    for fragment in ("住所不明", "yamato-hxq", "8107012345678"):
        assert fragment not in caplog.text
