"""Screenshots shared in a DM: downloaded with the bot token from Slack's file host only, read by OCR, judged."""

from __future__ import annotations

import json

import pytest

from bot.ocr import ocr_available
from bot.texts import NON_TEXT_HINT, OCR_READ_PREFIX, OCR_UNAVAILABLE, OCR_UNREADABLE, SAMPLE_SCAM
from handlers.slack.images import _token_host_ok
from tests.ocr.sms_screens import font_path, png, render_sms
from tests.slack.conftest import Slack
from tests.slack.fake_slack import TOKEN


def shared(slack: Slack, path: str, mimetype: str = "image/png") -> dict[str, object]:
    return {"subtype": "file_share", "files": [{"id": "F1", "mimetype": mimetype, "name": "screen.png",
                                                "url_private": f"{slack.fake.url}{path}"}]}


@pytest.mark.skipif(not ocr_available() or font_path() is None, reason="needs Tesseract (jpn) and Noto Sans CJK")
def test_a_screenshot_in_dm_is_downloaded_with_the_token_read_and_judged(slack: Slack) -> None:
    slack.fake.files["/files/T1/F1/screen.png"] = png(render_sms(SAMPLE_SCAM, "+81 80-1234-5678", size=(750, 1334)))
    slack.dm("", fields=shared(slack, "/files/T1/F1/screen.png"))
    post = slack.fake.wait_for("chat.postMessage", timeout=20)[0].params
    download = slack.fake.of("files.download")[0]
    assert download.headers["authorization"] == f"Bearer {TOKEN}"
    assert "危険" in post["text"]
    assert OCR_READ_PREFIX in json.dumps(post["blocks"], ensure_ascii=False)


def test_a_file_that_is_not_an_image_gets_the_hint(slack: Slack) -> None:
    slack.dm("", fields=shared(slack, "/files/T1/F2/doc.pdf", mimetype="application/pdf"))
    assert slack.fake.wait_for("chat.postMessage")[0].params["text"] == NON_TEXT_HINT
    assert slack.fake.of("files.download") == []


def test_an_image_that_cannot_be_downloaded_is_answered_not_dropped(slack: Slack) -> None:
    slack.dm("", fields=shared(slack, "/files/T1/F3/missing.png"))
    expected = OCR_UNREADABLE if ocr_available() else OCR_UNAVAILABLE
    assert slack.fake.wait_for("chat.postMessage", timeout=10)[0].params["text"] == expected


def test_the_bot_token_is_sent_only_to_slacks_file_host() -> None:
    api = "https://slack.com/api/"
    assert _token_host_ok("https://files.slack.com/files-pri/T1-F1/screen.png", api)
    assert not _token_host_ok("https://evil.example/files-pri/T1-F1/screen.png", api)
    assert not _token_host_ok("ftp://files.slack.com/x", api)
    assert _token_host_ok("http://127.0.0.1:5000/files/x", "http://127.0.0.1:5000/api/")
