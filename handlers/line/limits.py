"""LINE's size limits, counted the way LINE counts them (UTF-16 code units, JSON bytes)."""

from __future__ import annotations

import json
from typing import Any

TEXT_LIMIT = 5000  # UTF-16 code units per text message
ALT_TEXT_LIMIT = 1500
BUBBLE_BYTES = 30_000
POSTBACK_DATA_LIMIT = 300
ELLIPSIS = "…"


def utf16_len(text: str) -> int:
    """Length as LINE counts it: emoji and rare kanji outside the BMP count twice."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int) -> str:
    """The longest prefix of at most `limit` UTF-16 units, never splitting a surrogate pair."""
    if utf16_len(text) <= limit:
        return text
    out, used = [], 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > limit:
            break
        out.append(char)
        used += size
    return "".join(out)


def shorten(text: str, limit: int) -> str:
    """Cut to the limit with an ellipsis when anything was dropped."""
    return text if utf16_len(text) <= limit else cut(text, limit - 1) + ELLIPSIS


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split into chunks within the limit, preferring line breaks so no sentence is cut in two."""
    chunks: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        head = cut(rest, limit)
        at = head.rfind("\n")
        if at > limit // 2:
            head = head[: at + 1]
        chunks.append(head.rstrip("\n"))
        rest = rest[len(head):]
    if rest or not chunks:
        chunks.append(rest)
    return chunks


def json_bytes(value: Any) -> int:
    """Size of a Flex container as sent."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def batches(messages: list[dict[str, Any]], size: int = 5) -> list[list[dict[str, Any]]]:
    """At most `size` messages per API call."""
    return [messages[i:i + size] for i in range(0, len(messages), size)] or [[]]
