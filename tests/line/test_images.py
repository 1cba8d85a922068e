"""Screenshots in 1:1: loading animation, content download, OCR off the request thread, verdict."""

from __future__ import annotations

import pytest

from bot import texts
from handlers.line import images
from tests.line.conftest import Line, image, user

needs_ocr = pytest.mark.skipif(not images.ocr_available(), reason="tesseract with the Japanese model not installed")


@needs_ocr
def test_screenshot_of_a_scam_is_read_and_judged(line: Line) -> None:
    sms_screens = pytest.importorskip("tests.ocr.sms_screens")
    if sms_screens.font_path() is None:
        pytest.skip("Japanese font not installed")
    shot = image(user("U1"))
    line.fake.content[shot["message"]["id"]] = sms_screens.png(sms_screens.render_sms(texts.SAMPLE_SCAM))
    line.post(shot)
    (loading,) = line.fake.of("loading")
    assert loading.body["chatId"] == "U1" and 5 <= loading.body["loadingSeconds"] <= 60
    assert [c.path for c in line.fake.of("content")] == [f"/v2/bot/message/{shot['message']['id']}/content"]
    (reply,) = line.fake.of("reply")
    shown, verdict = reply.messages
    assert shown["text"].startswith(texts.OCR_READ_PREFIX)
    assert verdict["contents"]["header"]["contents"][0]["text"] == "危険"


@needs_ocr
def test_an_image_that_is_not_a_picture_gets_a_friendly_answer(line: Line) -> None:
    shot = image(user("U1"))
    line.fake.content[shot["message"]["id"]] = b"this is not an image"
    line.post(shot)
    assert line.fake.of("reply")[0].messages[0]["text"] == texts.OCR_UNREADABLE


def test_when_the_download_fails_the_user_is_asked_for_the_text(line: Line) -> None:
    if not images.ocr_available():
        pytest.skip("without OCR no download is attempted")
    line.fake.then("content", status=404)
    line.post(image(user("U1")))
    assert line.fake.of("reply")[0].messages[0]["text"] == texts.OCR_UNREADABLE
