"""The few typed commands, as tables: pattern → action name. Everything else is a message to judge."""

from __future__ import annotations

import re
import unicodedata

USER_COMMANDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^見守り ?設定$"), "helper_setup"),
    (re.compile(r"^見守り ?(\d{6})$"), "helper_redeem"),
    (re.compile(r"^見守り ?解除$"), "helper_unlink"),
    (re.compile(r"^データ ?削除$"), "delete_data"),
)

GROUP_COMMANDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^詐欺チェック ?退出$"), "leave"),
    (re.compile(r"^詐欺チェック ?静かに$"), "mute"),
    (re.compile(r"^詐欺チェック ?再開$"), "unmute"),
    (re.compile(r"^詐欺チェック ?注意も$"), "caution"),
    (re.compile(r"^詐欺チェック ?危険のみ$"), "danger"),
)


def normalize(text: str) -> str:
    """Full-width digits and spaces folded (NFKC), runs of spaces collapsed, ends trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def match(table: tuple[tuple[re.Pattern[str], str], ...], text: str) -> tuple[str, re.Match[str]] | None:
    """The action and match for a command text, or None for an ordinary message."""
    if len(text) > 40:  # commands are short; long texts are messages to judge
        return None
    cleaned = normalize(text)
    for pattern, action in table:
        found = pattern.match(cleaned)
        if found:
            return action, found
    return None


def is_user_command(text: str) -> bool:
    """A 1:1 command (handled alone, never judged together with forwarded texts)."""
    return match(USER_COMMANDS, text) is not None
