"""Read the SMS in a screenshot with Tesseract (Japanese model): text and sender, or a clear status.

`read_image` never raises for bad input and never keeps the image: the bytes live only in memory,
and pytesseract's hand-over file in the temp directory is deleted as soon as Tesseract returns.
Call it off the request thread; it blocks for up to `timeout` seconds.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.ocr_image import InvalidImage, decode, prepare
from bot.ocr_text import Reading, lines_from_data, read_lines

log = logging.getLogger(__name__)

Status = Literal["ok", "unavailable", "unreadable", "invalid"]
LANG = "jpn"
# Below these the reading is too poor to judge: better to ask for the text than to give a wrong verdict.
MIN_JAPANESE = 8
MIN_CONFIDENCE = 60.0
# Words Tesseract itself doubts are mostly noise from icons, photos and blur.
MIN_WORD_CONFIDENCE = 10.0
# Page segmentation "auto": a screen holds a title bar, a date line and bubbles in separate blocks.
CONFIG = "--psm 3 --oem 1"


@dataclass(frozen=True)
class OcrResult:
    """What a screenshot gave: status, the message text read (may be empty) and the sender line if seen."""

    status: Status
    text: str = ""
    sender: str | None = None


@lru_cache(maxsize=4)
def _available(command: str) -> bool:
    import pytesseract

    if shutil.which(command) is None:
        return False
    try:
        return LANG in pytesseract.get_languages(config="")
    except Exception:  # a broken install must not stop the app from starting
        log.warning("tesseract present but not usable", exc_info=True)
        return False


def ocr_available() -> bool:
    """Tesseract and its Japanese model are installed."""
    try:
        import pytesseract
    except ImportError:
        return False
    return _available(str(pytesseract.pytesseract.tesseract_cmd))


def read_image(data: bytes, *, timeout: float = 10.0) -> OcrResult:
    """Read one image: "invalid" for non-images, "unavailable" without Tesseract, "unreadable" if too poor."""
    started = time.monotonic()
    try:
        image = decode(data)
    except InvalidImage as exc:
        log.info("ocr image rejected: %s", exc)
        return OcrResult("invalid")
    if not ocr_available():
        return OcrResult("unavailable")
    import pytesseract

    try:
        prepared = prepare(image)
        remaining = max(0.5, timeout - (time.monotonic() - started))
        data_ = pytesseract.image_to_data(prepared, lang=LANG, config=CONFIG, timeout=remaining,
                                          output_type=pytesseract.Output.DICT)
        reading = read_lines(lines_from_data(data_, MIN_WORD_CONFIDENCE), prepared.width, prepared.height)
    except RuntimeError:  # pytesseract's timeout
        log.warning("ocr timed out after %.1fs", time.monotonic() - started)
        return OcrResult("unreadable")
    except Exception:  # OCR must never take the handler down
        log.exception("ocr failed")
        return OcrResult("unreadable")
    return _judge(reading, time.monotonic() - started)


def _judge(reading: Reading, elapsed: float) -> OcrResult:
    """Only a reading with enough Japanese read confidently is worth a verdict."""
    good = reading.japanese >= MIN_JAPANESE and reading.confidence >= MIN_CONFIDENCE
    log.info("ocr %s in %.2fs: japanese=%d confidence=%.0f sender=%s", "ok" if good else "unreadable", elapsed,
             reading.japanese, reading.confidence, reading.sender is not None)
    if not good:  # no partial text: a caller must not be tempted to judge a poor reading
        return OcrResult("unreadable")
    return OcrResult("ok", text=reading.text, sender=reading.sender)
