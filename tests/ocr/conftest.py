"""OCR test fixtures: Tesseract and the CJK font are required in CI, optional on a laptop."""

from __future__ import annotations

import os

import pytest

from bot.ocr import ocr_available
from tests.ocr.sms_screens import font_path


def _missing(what: str) -> None:
    """Skip locally, but fail in CI: a CI without the packages would silently test nothing."""
    message = f"{what} is not installed (run .ci/system-packages.sh as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture()
def needs_ocr() -> None:
    """Tesseract with the Japanese model."""
    if not ocr_available():
        _missing("tesseract-ocr / tesseract-ocr-jpn")


@pytest.fixture()
def needs_font() -> None:
    """Noto Sans CJK, to render the screenshots."""
    if font_path() is None:
        _missing("fonts-noto-cjk")
