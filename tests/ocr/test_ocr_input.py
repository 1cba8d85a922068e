"""What comes in is checked before any OCR: non-images, broken files, bombs, and a missing Tesseract."""

from __future__ import annotations

import io
import time

import pytesseract
import pytest
from PIL import Image

from bot.ocr import OcrResult, ocr_available, read_image
from tests.ocr.sms_screens import png, png_header


def _small_png() -> bytes:
    return png(Image.new("RGB", (320, 240), "white"))


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, this is not an image", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, b"%PDF-1.7\n1 0 obj"],
    ids=["empty", "text", "garbage-after-png-signature", "pdf"],
)
def test_bytes_that_are_not_an_image_are_invalid(data: bytes) -> None:
    assert read_image(data) == OcrResult("invalid")


def test_truncated_screenshot_is_invalid() -> None:
    data = png(Image.effect_noise((600, 400), 50).convert("RGB"))

    assert read_image(data[: len(data) // 2]).status == "invalid"


@pytest.mark.parametrize("size", [(100_000, 100_000), (9_000, 9_000), (20_000, 10)], ids=["bomb", "50Mpx+", "too-wide"])
def test_huge_dimensions_in_the_header_are_refused_before_decoding(size: tuple[int, int]) -> None:
    started = time.monotonic()

    assert read_image(png_header(*size)).status == "invalid"
    assert time.monotonic() - started < 1.0


def test_image_too_small_to_hold_a_message_is_invalid() -> None:
    assert read_image(png(Image.new("RGB", (16, 16), "white"))).status == "invalid"


def test_file_over_the_byte_limit_is_invalid_without_decoding() -> None:
    assert read_image(_small_png() + b"\0" * (21 * 1024 * 1024)).status == "invalid"


def test_format_outside_the_allowed_list_is_invalid() -> None:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "white").save(out, format="TIFF")

    assert read_image(out.getvalue()).status == "invalid"


def test_without_tesseract_images_get_unavailable_and_nothing_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")

    assert ocr_available() is False
    assert read_image(_small_png()) == OcrResult("unavailable")
    assert read_image(b"not an image").status == "invalid"  # bad input is still named as such
