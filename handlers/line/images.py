"""Screenshots in 1:1: loading animation, download, OCR on the worker thread, then the usual verdict."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from linebot.v3.webhooks import MessageEvent

from bot import texts
from handlers.line import one_to_one, replies
from handlers.line.conversation import Conversation
from handlers.line.runtime import LineRuntime

log = logging.getLogger(__name__)

OCR_SECONDS = 15.0
LOADING_SECONDS = 20  # LINE accepts 5-60 in steps of 5; it stops early when our answer arrives

read_image: Callable[..., Any] | None
try:
    from bot.ocr import ocr_available, read_image
except ImportError:  # OCR is optional: without it images get a clear answer
    read_image = None

    def ocr_available() -> bool:
        """No OCR module in this build."""
        return False

ANSWERS = {"unavailable": texts.OCR_UNAVAILABLE, "invalid": texts.OCR_UNREADABLE, "unreadable": texts.OCR_UNREADABLE}


def on_image(runtime: LineRuntime, conv: Conversation, user_id: str, event: MessageEvent) -> None:
    """Read the SMS in the image and judge it; the text read is shown so the user sees what was judged."""
    if read_image is None or not ocr_available():
        conv.send(replies.text_messages(texts.OCR_UNAVAILABLE))
        return
    message_id = event.message.id
    runtime.client.show_loading(user_id, LOADING_SECONDS)
    data = runtime.client.content(message_id)
    if data is None:
        conv.send(replies.text_messages(texts.OCR_UNREADABLE))
        return
    reading = read_image(data, timeout=OCR_SECONDS)
    del data  # images are never kept
    log.info("line image ocr status=%s", reading.status)
    if reading.status != "ok":
        conv.send(replies.text_messages(ANSWERS.get(reading.status, texts.OCR_UNREADABLE)))
        return
    shown = replies.text_messages(f"{texts.OCR_READ_PREFIX}\n{reading.text}")
    one_to_one.judge(runtime, conv, user_id, reading.text, (message_id,), prefix=shown, sender=reading.sender)
