"""Screenshots shared with the bot: download with the bot token, read with OCR (bot.ocr) when installed."""

from __future__ import annotations

import importlib
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot import texts
from bot.services import Services

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 10_000_000
DOWNLOAD_TIMEOUT = 10
SLACK_FILE_HOSTS = ("files.slack.com",)


def first_image(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first shared file that is an image."""
    return next((f for f in files if str(f.get("mimetype", "")).startswith("image/")), None)


def _token_host_ok(url: str, api_base_url: str) -> bool:
    """The bot token is only ever sent to Slack's file host (or the API host itself, e.g. a test fake)."""
    host = urlsplit(url).hostname or ""
    return urlsplit(url).scheme in ("https", "http") and (
        host in SLACK_FILE_HOSTS or host == urlsplit(api_base_url).hostname)


def download(services: Services, url: str) -> bytes | None:
    """The file's bytes, at most MAX_IMAGE_BYTES; None when it cannot be fetched."""
    settings = services.settings
    if settings.slack_bot_token is None or not _token_host_ok(url, settings.slack_api_base_url):
        return None
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {settings.slack_bot_token.get_secret_value()}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:  # host checked above
            data: bytes = response.read(MAX_IMAGE_BYTES + 1)
    except (urllib.error.URLError, OSError) as exc:
        log.warning("slack file download failed: %s", type(exc).__name__)
        return None
    return data if len(data) <= MAX_IMAGE_BYTES else None


@dataclass(frozen=True)
class ImageText:
    """What a screenshot said: the message text and, when seen, the sender line."""

    text: str
    sender: str | None


def read_shared_image(services: Services, files: list[dict[str, Any]], say: Callable[[str], None]) -> ImageText | None:
    """The SMS read from the first shared image; tells the user why and returns None when there is none."""
    image = first_image(files)
    if image is None:
        say(texts.NON_TEXT_HINT)
        return None
    try:
        ocr = importlib.import_module("bot.ocr")
    except ImportError:
        say(texts.OCR_UNAVAILABLE)
        return None
    if not ocr.ocr_available():
        say(texts.OCR_UNAVAILABLE)
        return None
    data = download(services, str(image.get("url_private_download") or image.get("url_private") or ""))
    if data is None:
        say(texts.OCR_UNREADABLE)
        return None
    result = ocr.read_image(data)
    if result.status != "ok" or not result.text.strip():
        log.info("slack image not read: %s", result.status)
        say({"unavailable": texts.OCR_UNAVAILABLE, "invalid": texts.NON_TEXT_HINT}.get(result.status,
                                                                                       texts.OCR_UNREADABLE))
        return None
    log.info("slack image read chars=%d sender=%s", len(result.text), result.sender is not None)
    return ImageText(text=result.text.strip(), sender=result.sender)
