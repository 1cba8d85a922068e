"""Read the SMS in a screenshot with Tesseract (Japanese model): text and sender, or a clear status.

`read_image` never raises for bad input and never keeps the image: the bytes live only in memory,
and pytesseract's hand-over file in the temp directory is deleted as soon as Tesseract returns.
Call it off the request thread; it blocks for up to `timeout` seconds.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from PIL import Image

from bot.ocr_image import InvalidImage, decode, prepare
from bot.ocr_text import Line, Reading, latin_tail, lines_from_data, merge_passes, read_lines, weakest, with_tail

log = logging.getLogger(__name__)

Status = Literal["ok", "unavailable", "unreadable", "invalid"]
LANG = "jpn"
# Below these the reading is too poor to judge: better to ask for the text than to give a wrong verdict.
MIN_JAPANESE = 8
MIN_CONFIDENCE = 60.0
# Words Tesseract itself doubts are mostly noise from icons, photos and blur.
MIN_WORD_CONFIDENCE = 10.0
# A second pass, smaller, when some line was read with less confidence than this.
RETRY_BELOW = 75.0
RETRY_SCALE = 0.8
# Page segmentation "auto": a screen holds a title bar, a date line and bubbles in separate blocks.
CONFIG = "--psm 3 --oem 1"
# Lines of URLs and addresses are read again with the English model, as one line each.
LATIN_LANG = "eng"
LINE_CONFIG = "--psm 7 --oem 1"
# The English model at 40 still reads Latin better than the Japanese model at 90 (amazOn.CO.jD).
LATIN_MIN_CONFIDENCE = 40.0


@dataclass(frozen=True)
class OcrResult:
    """What a screenshot gave: status, the message text read (may be empty) and the sender line if seen."""

    status: Status
    text: str = ""
    sender: str | None = None


@lru_cache(maxsize=4)
def _languages(command: str) -> frozenset[str]:
    import pytesseract

    if shutil.which(command) is None:
        return frozenset()
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except Exception:  # a broken install must not stop the app from starting
        log.warning("tesseract present but not usable", exc_info=True)
        return frozenset()


def _installed() -> frozenset[str]:
    try:
        import pytesseract
    except ImportError:
        return frozenset()
    return _languages(str(pytesseract.pytesseract.tesseract_cmd))


def ocr_available() -> bool:
    """Tesseract and its Japanese model are installed."""
    return LANG in _installed()


def read_image(data: bytes, *, timeout: float = 10.0) -> OcrResult:
    """Read one image: "invalid" for non-images, "unavailable" without Tesseract, "unreadable" if too poor."""
    return read_image_details(data, timeout=timeout)[0]


def read_image_details(data: bytes, *, timeout: float = 10.0) -> tuple[OcrResult, Reading | None]:
    """`read_image` plus the raw reading with its quality measures, for the benchmark and diagnostics."""
    started = time.monotonic()
    try:
        image = decode(data)
    except InvalidImage as exc:
        log.info("ocr image rejected: %s", exc)
        return OcrResult("invalid"), None
    if not ocr_available():
        return OcrResult("unavailable"), None
    deadline = started + timeout
    try:
        prepared = prepare(image)
        lines = _pass(prepared, 1.0, deadline)
        # Tesseract's reading of a line changes with scale; a weak line often reads cleanly at another.
        if weakest(lines) < RETRY_BELOW and deadline - time.monotonic() > 1.0:
            lines = merge_passes(lines, _pass(prepared, RETRY_SCALE, deadline))
        if LATIN_LANG in _installed():
            lines = [_reread_latin(prepared, line, deadline) for line in lines]
        reading = read_lines(lines, prepared.width, prepared.height)
    except RuntimeError:  # pytesseract's timeout
        log.warning("ocr timed out after %.1fs", time.monotonic() - started)
        return OcrResult("unreadable"), None
    except Exception:  # OCR must never take the handler down
        log.exception("ocr failed")
        return OcrResult("unreadable"), None
    return _judge(reading, time.monotonic() - started), reading


def _pass(image: Image.Image, scale: float, deadline: float) -> list[Line]:
    """One Tesseract run at `scale`, lines in the coordinates of `image`."""
    import pytesseract

    if scale != 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
    words = pytesseract.image_to_data(image, lang=LANG, config=CONFIG, timeout=max(0.05, deadline - time.monotonic()),
                                      output_type=pytesseract.Output.DICT)
    return lines_from_data(words, MIN_WORD_CONFIDENCE, scale)


def _reread_latin(image: Image.Image, line: Line, deadline: float) -> Line:
    """Read a URL or Latin line (or the URL ending a line) again with the English model."""
    import pytesseract

    start = latin_tail(line)
    if start is None or deadline - time.monotonic() < 0.5:
        return line
    pad = max(4, line.height // 3)
    left = line.words[start][1] if line.words else line.left
    box = (max(0, left - pad), max(0, line.top - pad), min(image.width, line.right + pad),
           min(image.height, line.top + line.height + pad))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return line
    words = pytesseract.image_to_data(image.crop(box), lang=LATIN_LANG, config=LINE_CONFIG,
                                      timeout=max(0.05, deadline - time.monotonic()), output_type=pytesseract.Output.DICT)
    reread = next(iter(lines_from_data(words, MIN_WORD_CONFIDENCE)), None)
    if reread is None or reread.confidence < LATIN_MIN_CONFIDENCE or sum(ch.isascii() for ch in reread.text) < 0.9 * reread.chars:
        return line
    # Spaces inside a URL are misreads; between the words of a Latin sentence they are real.
    tail = reread.text.replace(" ", "") if re.search(r"://|www\.|@|\.[a-z]{2,}/", reread.text) else reread.text
    # The crop may catch the edge of the Japanese glyph before the URL: splice from the URL's start only.
    old = "".join(word for word, _ in line.words[start:])
    old_at, new_at = _url_start(old), _url_start(tail)
    if old_at is not None and new_at is not None:
        tail = old[:old_at] + tail[new_at:]
    return with_tail(line, start, tail, reread.confidence)


def _url_start(text: str) -> int | None:
    found = re.search(r"https?:|www\.", text, re.IGNORECASE)
    return found.start() if found else None


def _judge(reading: Reading, elapsed: float) -> OcrResult:
    """Only a reading with enough Japanese read confidently is worth a verdict."""
    good = reading.japanese >= MIN_JAPANESE and reading.confidence >= MIN_CONFIDENCE
    log.info("ocr %s in %.2fs: japanese=%d confidence=%.0f sender=%s", "ok" if good else "unreadable", elapsed,
             reading.japanese, reading.confidence, reading.sender is not None)
    if not good:  # no partial text: a caller must not be tempted to judge a poor reading
        return OcrResult("unreadable")
    return OcrResult("ok", text=reading.text, sender=reading.sender)
